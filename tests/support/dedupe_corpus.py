"""A small generated news corpus for dedupe tests, written for this project.

Each EVENT has an original report and a rewrite of the same event by another outlet
(different wording: must not be a duplicate, should share a story). SAME_ENTITIES holds
reports that name the same people and places as an event but describe another event
(must stay apart: no duplicate, no shared story). ``edits`` makes the copies that ARE
duplicates: other chrome, an edited title, a dropped paragraph, an updated toll, a
regional respelling, and combinations.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime

from streams.dedupe import DedupeInput, Deduplicator


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    paragraphs: tuple[str, ...]
    published: str

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _r(key: str, published: str, title: str, *paragraphs: str) -> Report:
    return Report(key, title, tuple(paragraphs), published)


EVENTS: list[tuple[Report, Report]] = [
    (
        _r(
            "ar-flood",
            "2024-03-11T08:00:00Z",
            "فيضانات تجتاح مدينة الحديدة وتشرد 4000 أسرة",
            "اجتاحت سيول جارفة مدينة الحديدة الساحلية فجر الاثنين بعد أمطار غزيرة استمرت أكثر من 12 ساعة، ما أدى إلى غمر أحياء كاملة وانقطاع الطرق الرئيسية المؤدية إلى الميناء.",
            "وقالت السلطات المحلية إن نحو 4000 أسرة فقدت منازلها، وإن فرق الإنقاذ انتشلت جثث سبعة أشخاص بينهم طفلان، فيما لا يزال آخرون في عداد المفقودين.",
            "وأعلنت منظمة الصحة العالمية أنها أرسلت شحنة عاجلة من الأدوية ومستلزمات تنقية المياه، محذرة من خطر تفشي الكوليرا في المخيمات المؤقتة التي أقيمت على أطراف المدينة.",
            "ودعا محافظ الحديدة المنظمات الدولية إلى تقديم مساعدات فورية، مؤكدا أن الإمكانات المتاحة لا تكفي لإيواء المتضررين وأن الأضرار في شبكة الكهرباء كبيرة.",
        ),
        _r(
            "ar-flood-rw",
            "2024-03-11T10:30:00Z",
            "سيول الحديدة: سبعة قتلى وآلاف المشردين",
            "لقي سبعة أشخاص مصرعهم وشُردت آلاف العائلات جراء سيول ضربت الحديدة على ساحل البحر الأحمر، وفق ما أفاد به مسؤولون في المحافظة صباح اليوم.",
            "وأوضح شهود عيان أن المياه ارتفعت إلى أكثر من متر في بعض الشوارع، وأن السكان لجأوا إلى أسطح المنازل بانتظار وصول قوارب الدفاع المدني.",
            "من جانبها حذرت الصحة العالمية من انتشار الأوبئة بعد تلوث مصادر المياه، وقالت إنها بدأت توزيع أقراص الكلور والأدوية على النازحين.",
        ),
    ),
    (
        _r(
            "ar-summit",
            "2024-05-02T09:00:00Z",
            "قمة الرياض تبحث ممرا اقتصاديا يربط الخليج بأوروبا",
            "انطلقت في الرياض أعمال قمة اقتصادية يشارك فيها قادة 14 دولة لبحث إنشاء ممر تجاري يربط موانئ الخليج بالأسواق الأوروبية عبر شبكة من السكك الحديدية والموانئ.",
            "وقال وزير الاستثمار في كلمته الافتتاحية إن المشروع قد يخفض زمن نقل البضائع بنسبة 40 في المئة، وإن التمويل الأولي يقدر بنحو 20 مليار دولار.",
            "وتناقش القمة على مدى يومين آليات تمويل المشروع وتوحيد الإجراءات الجمركية بين الدول المشاركة، إضافة إلى معايير الربط الرقمي بين الموانئ.",
            "ومن المنتظر أن يصدر في ختام القمة إعلان مشترك يحدد جدولا زمنيا لدراسات الجدوى والمرحلة الأولى من التنفيذ.",
        ),
        _r(
            "ar-summit-rw",
            "2024-05-02T13:00:00Z",
            "قادة 14 دولة في الرياض لإطلاق مشروع الممر التجاري",
            "يجتمع زعماء أربع عشرة دولة في العاصمة السعودية لمناقشة مشروع طموح لنقل البضائع من الخليج إلى أوروبا بالقطارات والسفن في وقت أقصر.",
            "وبحسب مصادر دبلوماسية، تتركز المباحثات على حصة كل دولة في التمويل الذي يتجاوز عشرين مليار دولار، وعلى تسهيل عبور الشحنات عند الحدود.",
            "ويرى خبراء أن نجاح المشروع يتوقف على الاستقرار الإقليمي وعلى قدرة الموانئ على استيعاب حجم التجارة المتوقع خلال العقد المقبل.",
        ),
    ),
    (
        _r(
            "ar-quake",
            "2024-08-19T04:00:00Z",
            "زلزال بقوة 6.1 درجات يضرب جنوب تركيا",
            "ضرب زلزال بقوة 6.1 درجات على مقياس ريختر ولاية أضنة جنوبي تركيا فجر اليوم، وشعر به سكان المدن المجاورة وصولا إلى الساحل السوري.",
            "وأعلنت هيئة إدارة الكوارث أن مركز الزلزال كان على عمق عشرة كيلومترات، وأن 23 شخصا أصيبوا بجروح طفيفة أثناء محاولتهم الفرار من المباني.",
            "وأشارت التقارير الأولية إلى انهيار ثلاثة مبان قديمة في قرى ريفية، دون تسجيل وفيات حتى الآن، فيما تواصل فرق البحث تفقد المناطق المتضررة.",
            "وعلقت السلطات الدراسة في المدارس لمدة يومين ريثما تنتهي لجان الهندسة من فحص سلامة المباني العامة.",
        ),
        _r(
            "ar-quake-rw",
            "2024-08-19T06:15:00Z",
            "هزة أرضية قوية في أضنة وإصابات بين السكان",
            "استيقظ سكان أضنة على هزة أرضية عنيفة دفعت الآلاف إلى الشوارع، وأفادت السلطات التركية بإصابة أكثر من عشرين شخصا.",
            "وذكرت هيئة الكوارث أن الهزة وقعت على عمق ضحل، وأن عدة هزات ارتدادية تلتها خلال الساعات التالية.",
            "وقال والي أضنة إن المباني المنهارة كانت خالية وقت الزلزال، وإن المدارس ستبقى مغلقة حتى التأكد من سلامتها.",
        ),
    ),
    (
        _r(
            "ar-election",
            "2024-06-10T18:00:00Z",
            "نسبة المشاركة في الانتخابات البلدية التونسية تبلغ 31 بالمئة",
            "أعلنت الهيئة العليا المستقلة للانتخابات في تونس أن نسبة المشاركة في الانتخابات البلدية بلغت 31 بالمئة عند إغلاق مكاتب الاقتراع مساء الأحد.",
            "وقال رئيس الهيئة في مؤتمر صحفي إن عملية التصويت جرت في أجواء هادئة، وإن الهيئة تلقت 112 شكوى تتعلق بخروقات محدودة في عدد من الدوائر.",
            "وتنافس في هذه الانتخابات أكثر من 7000 مرشح على مقاعد 350 مجلسا بلديا، في ظل مقاطعة أحزاب معارضة رئيسية.",
            "ومن المنتظر إعلان النتائج الأولية خلال 48 ساعة، على أن تنظر المحكمة الإدارية في الطعون قبل إعلان النتائج النهائية.",
        ),
        _r(
            "ar-election-rw",
            "2024-06-10T21:00:00Z",
            "إقبال ضعيف على صناديق الاقتراع في تونس",
            "شهدت الانتخابات البلدية في تونس إقبالا محدودا، إذ لم يتجاوز عدد المقترعين ثلث المسجلين بحسب أرقام الهيئة الانتخابية.",
            "وعزا محللون ضعف المشاركة إلى مقاطعة أحزاب المعارضة وتراجع ثقة الناخبين في المجالس المحلية.",
            "وأكدت الهيئة أن الشكاوى التي وردتها لا تؤثر على سلامة العملية، وأن النتائج الأولية ستعلن مطلع الأسبوع.",
        ),
    ),
    (
        _r(
            "ar-pentagon",
            "2024-02-14T15:00:00Z",
            "البنتاغون يعلن حزمة مساعدات عسكرية جديدة لأوكرانيا بقيمة 250 مليون دولار",
            "أعلنت وزارة الدفاع الأمريكية البنتاغون عن حزمة مساعدات عسكرية جديدة لأوكرانيا بقيمة 250 مليون دولار تشمل ذخائر مدفعية وصواريخ دفاع جوي.",
            "وقال المتحدث باسم الوزارة جون كيربي إن الحزمة تأتي استجابة لطلبات كييف العاجلة، وإن الشحنات الأولى ستصل خلال أسابيع قليلة.",
            "وأضاف كيربي أن الولايات المتحدة ستواصل دعم أوكرانيا بالتنسيق مع حلفائها في حلف شمال الأطلسي، مشيرا إلى اجتماع مرتقب لوزراء دفاع الحلف في بروكسل.",
            "في المقابل، انتقد الكرملين الخطوة واعتبر المتحدث باسمه ديميتري بيسكوف أن تزويد كييف بالسلاح يطيل أمد النزاع.",
        ),
        _r(
            "ar-pentagon-rw",
            "2024-02-14T19:00:00Z",
            "واشنطن ترسل ذخائر وصواريخ دفاع جوي إلى كييف",
            "قررت الإدارة الأمريكية تزويد أوكرانيا بدفعة إضافية من قذائف المدفعية ومنظومات الدفاع الجوي، في صفقة تتجاوز قيمتها ربع مليار دولار.",
            "وأوضح مسؤول في وزارة الدفاع أن الأسلحة ستنقل من مخزونات الجيش الأمريكي لتسريع وصولها إلى الجبهة.",
            "وردت موسكو بالتحذير من أن المساعدات الغربية لن تغير مسار الحرب، بحسب تصريحات للمتحدث باسم الرئاسة الروسية.",
        ),
    ),
    (
        _r(
            "ar-wheat",
            "2024-09-03T07:00:00Z",
            "مصر توقع عقدا لاستيراد 500 ألف طن من القمح",
            "وقعت الهيئة العامة للسلع التموينية في مصر عقدا لاستيراد 500 ألف طن من القمح الروسي والروماني، بمتوسط سعر بلغ 245 دولارا للطن شاملا الشحن.",
            "وقال متعاملون في أسواق الحبوب إن الصفقة هي الأكبر منذ بداية العام، وإن الشحنات ستصل إلى ميناء الإسكندرية على دفعات خلال شهري أكتوبر ونوفمبر.",
            "وتسعى الحكومة إلى تعزيز المخزون الاستراتيجي من القمح ليكفي ستة أشهر على الأقل، في ظل تقلب الأسعار العالمية وارتفاع تكاليف النقل البحري.",
            "وأكد وزير التموين أن أسعار الخبز المدعم لن تتأثر بهذه الصفقة، وأن الدولة تتحمل فارق التكلفة.",
        ),
        _r(
            "ar-wheat-rw",
            "2024-09-03T12:00:00Z",
            "صفقة قمح كبيرة لتعزيز المخزون المصري",
            "اشترت مصر نصف مليون طن من القمح من روسيا ورومانيا في مناقصة دولية، حسبما أفاد تجار أوروبيون لوكالات الأنباء.",
            "وأشار التجار إلى أن الأسعار جاءت أقل من توقعات السوق، ما يعكس وفرة المعروض من منطقة البحر الأسود هذا الموسم.",
            "وتعد مصر من أكبر مستوردي القمح في العالم، وتعتمد على الواردات لتوفير الخبز المدعم لملايين المواطنين.",
        ),
    ),
    (
        _r(
            "ar-gas",
            "2024-11-20T11:00:00Z",
            "اكتشاف حقل غاز جديد قبالة سواحل الجزائر",
            "أعلنت شركة سوناطراك الجزائرية اكتشاف حقل غاز طبيعي جديد في المياه العميقة قبالة السواحل الشرقية، تقدر احتياطياته الأولية بنحو 100 مليار متر مكعب.",
            "وقال الرئيس التنفيذي للشركة إن الحفر تم بالشراكة مع شركة إيني الإيطالية، وإن الإنتاج التجاري قد يبدأ خلال أربع سنوات بعد استكمال الدراسات الفنية.",
            "ويعزز الاكتشاف موقع الجزائر كمورد رئيسي للغاز إلى أوروبا عبر خطوط الأنابيب الممتدة إلى إيطاليا وإسبانيا، في وقت تبحث فيه القارة عن بدائل للإمدادات الروسية.",
            "وارتفعت أسهم الشركة الإيطالية في بورصة ميلانو بأكثر من 3 في المئة عقب الإعلان.",
        ),
        _r(
            "ar-gas-rw",
            "2024-11-20T16:00:00Z",
            "سوناطراك وإيني تعلنان كشفا غازيا بحريا كبيرا",
            "كشفت الجزائر عن اكتشاف غازي بحري جديد وصفته بالمهم، في خطوة قد تزيد صادراتها إلى الأسواق الأوروبية خلال السنوات المقبلة.",
            "وأفاد بيان مشترك للشركتين بأن البئر الاستكشافية حفرت على عمق يتجاوز ألفي متر، وأن التقديرات الأولية للاحتياطي مشجعة.",
            "ويأتي الإعلان بينما تعمل الجزائر على رفع طاقة خط الأنابيب العابر للمتوسط لتلبية الطلب المتزايد في إيطاليا.",
        ),
    ),
    (
        _r(
            "ar-strike",
            "2024-04-22T06:00:00Z",
            "إضراب عمال الموانئ يشل حركة الشحن في ميناء الدار البيضاء",
            "توقفت عمليات الشحن والتفريغ في ميناء الدار البيضاء لليوم الثاني على التوالي بسبب إضراب ينفذه عمال الموانئ للمطالبة بزيادة الأجور وتحسين شروط السلامة.",
            "وقالت النقابة المنظمة للإضراب إن أكثر من 1200 عامل يشاركون في التحرك، وإن الإدارة رفضت مقترحا بزيادة الأجور بنسبة 15 بالمئة.",
            "وتنتظر أكثر من 30 سفينة في عرض البحر السماح لها بالرسو، ما أثار مخاوف المستوردين من تأخر وصول البضائع قبل شهر رمضان.",
            "ودعت وزارة النقل الطرفين إلى جلسة حوار عاجلة، مؤكدة حرصها على استمرارية النشاط في أكبر موانئ المملكة.",
        ),
        _r(
            "ar-strike-rw",
            "2024-04-22T14:00:00Z",
            "سفن عالقة أمام الدار البيضاء مع استمرار الإضراب",
            "بقيت عشرات السفن التجارية راسية خارج ميناء الدار البيضاء بينما يواصل العمال إضرابهم احتجاجا على الأجور.",
            "وأكد ممثلون عن النقابة أنهم لن يعودوا إلى العمل قبل توقيع اتفاق مكتوب مع إدارة الميناء.",
            "وحذرت غرف التجارة من خسائر يومية كبيرة إذا طال أمد الأزمة، داعية الحكومة إلى التدخل.",
        ),
    ),
    (
        _r(
            "en-bridge",
            "2024-07-08T09:00:00Z",
            "Bridge collapse in Porto Alegre leaves 5 dead",
            "A road bridge over the Guaiba river in Porto Alegre collapsed during the morning rush hour on Monday, sending at least a dozen vehicles into the water.",
            "Fire officials said 5 people were confirmed dead and 17 injured, while divers continued to search for others who may be trapped in submerged cars.",
            "The bridge, built in 1958, had been scheduled for structural repairs next year after inspectors reported corrosion in its steel supports.",
            "The state governor declared three days of mourning and ordered an independent inquiry into the maintenance of public infrastructure.",
        ),
        _r(
            "en-bridge-rw",
            "2024-07-08T12:00:00Z",
            "Divers search river after Porto Alegre bridge gives way",
            "Rescue teams worked through the afternoon after a decades-old bridge gave way in southern Brazil, plunging commuters into the Guaiba.",
            "Witnesses described hearing a loud crack before the central span dropped, taking cars and a minibus with it.",
            "Local engineers had warned for years that the structure needed urgent work, according to documents seen by reporters.",
        ),
    ),
    (
        _r(
            "en-rates",
            "2024-10-24T13:00:00Z",
            "Central bank cuts interest rate to 4.25 percent",
            "The central bank lowered its benchmark interest rate by a quarter point to 4.25 percent on Thursday, its second cut this year, citing slowing inflation and weak consumer demand.",
            "Governor Maria Lindqvist told reporters that price growth had eased to 2.1 percent in September and that the bank expected it to stay close to target through next year.",
            "Analysts had been divided ahead of the decision, with several warning that a stronger labour market could push wages and prices higher again.",
            "The currency fell 0.6 percent against the euro after the announcement, while government bond yields dropped to their lowest level since March.",
        ),
        _r(
            "en-rates-rw",
            "2024-10-24T16:00:00Z",
            "Lindqvist signals more easing after second rate cut",
            "Borrowing costs came down again as policymakers decided inflation was no longer the main threat to the economy.",
            "In a press conference, the governor said further reductions were possible if demand remained soft over the winter.",
            "Markets reacted quickly, with the currency weakening and bond prices rising as investors priced in another cut early next year.",
        ),
    ),
    (
        _r(
            "en-wildfire",
            "2024-08-02T18:00:00Z",
            "Wildfire forces 12,000 to evacuate near Athens",
            "A fast-moving wildfire fanned by strong winds forced the evacuation of about 12,000 residents from towns north of Athens on Friday.",
            "The fire service said more than 400 firefighters, 90 fire engines and 15 aircraft were battling the blaze, which had burned through pine forest and reached the edge of several villages.",
            "Authorities sent emergency text messages ordering people to leave, and several roads were closed as thick smoke drifted over the capital.",
            "Greece has experienced record temperatures this summer, and officials warned that the risk of new fires would remain very high over the weekend.",
        ),
        _r(
            "en-wildfire-rw",
            "2024-08-02T21:00:00Z",
            "Thousands flee as flames approach villages outside Greek capital",
            "Residents packed cars and fled as a blaze swept through forests north of the Greek capital, with smoke visible from central Athens.",
            "Firefighting planes made repeated water drops while crews on the ground tried to stop the flames from reaching homes.",
            "Meteorologists said gusty winds and heat above 40C would make the fire hard to contain until Sunday.",
        ),
    ),
    (
        _r(
            "en-merger",
            "2024-01-15T07:00:00Z",
            "Nordic Air and Baltic Wings agree 1.2 billion euro merger",
            "Nordic Air and Baltic Wings said on Monday they had agreed to merge in a deal valuing the combined airline at 1.2 billion euros, creating the largest carrier in northern Europe by routes.",
            "Under the terms, Nordic Air shareholders will own 60 percent of the new company, which will keep its headquarters in Stockholm and operate a fleet of 140 aircraft.",
            "The companies expect annual cost savings of about 90 million euros by 2027, mainly from joint purchasing of fuel and aircraft maintenance.",
            "The merger still needs approval from the European Commission, which is expected to examine overlapping routes between Scandinavia and the Baltic states.",
        ),
        _r(
            "en-merger-rw",
            "2024-01-15T11:00:00Z",
            "Airline tie-up to create northern Europe's biggest network",
            "Two regional carriers are combining in a deal that will give Stockholm the base of the largest route network in the north of the continent.",
            "Investors welcomed the news, sending shares of both companies sharply higher in early trading.",
            "Competition lawyers said Brussels would likely demand that some slots be given up on routes where the airlines now compete directly.",
        ),
    ),
]

# Same people and places as an event above, but a different event (other day, other facts).
SAME_ENTITIES: list[tuple[str, Report]] = [
    (
        "ar-pentagon",
        _r(
            "ar-pentagon-other",
            "2024-02-15T15:00:00Z",
            "كيربي: البنتاغون يراجع إجراءات تأمين القواعد في الشرق الأوسط",
            "قال المتحدث باسم وزارة الدفاع الأمريكية جون كيربي إن البنتاغون يراجع إجراءات تأمين قواعده في الشرق الأوسط بعد هجوم بطائرة مسيرة على قاعدة في شرق سوريا.",
            "وأوضح كيربي أن الهجوم لم يسفر عن إصابات، وأن الوزارة تعمل مع الحلفاء لتحديد الجهة المسؤولة عنه.",
            "وأضاف أن تعزيز الدفاعات الجوية في القواعد الأمريكية يشكل أولوية، دون أن يكشف عن تفاصيل المنظومات التي سيتم نشرها.",
        ),
    ),
    (
        "ar-wheat",
        _r(
            "ar-wheat-other",
            "2024-09-04T07:00:00Z",
            "وزير التموين المصري يفتتح صوامع جديدة لتخزين القمح في الإسكندرية",
            "افتتح وزير التموين المصري مجمعا جديدا من الصوامع لتخزين القمح في محافظة الإسكندرية بسعة تصل إلى 300 ألف طن.",
            "وقال الوزير إن المشروع يقلل الفاقد من الحبوب ويرفع كفاءة التخزين، مشيرا إلى أن الدولة أنشأت عشرات الصوامع خلال السنوات الأخيرة.",
            "وأكد أن الحكومة ماضية في توسيع الطاقة التخزينية حتى تستوعب محصول القمح المحلي والواردات على حد سواء.",
        ),
    ),
    (
        "en-rates",
        _r(
            "en-rates-other",
            "2024-10-25T10:00:00Z",
            "Lindqvist warns banks over risky property lending",
            "Central bank governor Maria Lindqvist warned commercial banks on Friday against loosening lending standards for commercial property, saying office values could fall further.",
            "In the bank's financial stability report, she said exposure to property developers had grown to a level that needed close monitoring.",
            "The report recommended that banks hold more capital against loans to developers with high debt and weak rental income.",
        ),
    ),
]

CHROME_LINES = [
    "شارك هذا المقال عبر فيسبوك وتويتر",
    "اقرأ أيضاً: أسعار الذهب تتراجع في التعاملات الصباحية",
    "جميع الحقوق محفوظة © 2024",
    "تابعونا على قناتنا في تيليجرام",
    "Share this article on Facebook and X",
    "Read more: Stock markets open higher on Tuesday",
    "Copyright 2024. All rights reserved.",
    "التعليقات (0)",
]

_RESPELL = [
    (re.compile(r"ي\b"), "ى"),
    (re.compile(r"\bفي\b"), "فى"),
    (re.compile(r"ة\b"), "ه"),
    (re.compile(r"أ"), "ا"),
    (re.compile(r"إ"), "ا"),
    (re.compile(r"غ"), "ج"),
]
_EN_RESPELL = [
    ("labour", "labor"),
    ("organisation", "organization"),
    ("centre", "center"),
    ("percent", "per cent"),
    ("defence", "defense"),
]


def respell(text: str) -> str:
    for pattern, replacement in _RESPELL:
        text = pattern.sub(replacement, text)
    for a, b in _EN_RESPELL:
        text = text.replace(a, b)
    return text


# a toll: a count of the dead, injured or affected, which a copy updates as it comes in
_TOLL = re.compile(r"(\d+)(\s*(?:شخصا|قتيلا|جريحا|مصابا|dead|injured|people))")


def update_tolls(text: str) -> str:
    """``text`` with each toll raised by 3 (other figures, a year, an amount or a share,
    are kept: a text with another one is the template filled in for another event)."""
    return _TOLL.sub(lambda m: str(int(m.group(1)) + 3) + m.group(2), text)


def with_chrome(report: Report, rng: random.Random) -> tuple[str, str]:
    lines = rng.sample(CHROME_LINES, 3)
    return report.title, "\n".join([lines[0], report.text, lines[1], lines[2]])


def edited_title(title: str) -> str:
    words = title.split()
    return (
        "عاجل: " + " ".join(words[:-1])
        if any("\u0600" <= c <= "\u06ff" for c in title)
        else "Update: " + " ".join(words[:-1])
    )


def edits(report: Report, rng: random.Random) -> dict[str, tuple[str, str]]:
    """Copies of ``report`` that are duplicates of it, by edit kind: (title, text)."""
    paragraphs = list(report.paragraphs)
    dropped_middle = paragraphs[:1] + paragraphs[2:]
    dropped_last = paragraphs[:-1]
    chrome_title, chrome_text = with_chrome(report, rng)
    copies = {
        "chrome": (chrome_title, chrome_text),
        "title": (edited_title(report.title), report.text),
        "drop-middle": (report.title, "\n\n".join(dropped_middle)),
        "drop-last": (report.title, "\n\n".join(dropped_last)),
        "respell": (respell(report.title), respell(report.text)),
        "combo": (edited_title(respell(report.title)), respell(with_chrome(report, rng)[1])),
        "doubled": (report.title, report.text + "\n\n" + report.text),
    }
    tolls = (update_tolls(report.title), update_tolls(report.text))
    if tolls != (report.title, report.text):  # (a report that gives a toll)
        copies["toll"] = tolls
    return copies


# --- stories ---------------------------------------------------------------------------------
#
# STORY_CLUSTERS: one event told by two or three outlets in their own words, hours apart
# (none is a duplicate of another; all should share one story). SAME_DAY_OTHER_EVENT: a
# report on the same day that names the same people, places or institutions as the first
# report of a cluster, about another event (must not join its story). Written for this
# project; names of companies and some people are invented.

STORY_CLUSTERS: list[tuple[Report, ...]] = [
    (
        _r(
            "st-fire",
            "2024-05-14T08:30:00Z",
            "حريق هائل في مصنع للغزل بالمحلة الكبرى ومقتل ثلاثة عمال",
            "لقي ثلاثة عمال حتفهم وأصيب أحد عشر آخرون في حريق هائل اندلع صباح الثلاثاء داخل مصنع للغزل والنسيج في مدينة المحلة الكبرى بمحافظة الغربية.",
            "ودفعت الحماية المدنية بأربع عشرة سيارة إطفاء للسيطرة على النيران التي امتدت إلى مخزن للأقطان ملاصق لعنابر التشغيل، واستمرت عمليات الإطفاء نحو خمس ساعات.",
            "وقال شهود إن الدخان الكثيف غطى الشوارع المحيطة بالمصنع، فيما نقلت سيارات الإسعاف المصابين إلى مستشفى المحلة العام ومعظمهم يعاني من الاختناق.",
            "وأمرت النيابة العامة بفتح تحقيق في أسباب الحريق وانتداب خبراء الأدلة الجنائية لمعاينة موقع الحادث، فيما رجحت التحريات الأولية حدوث ماس كهربائي.",
        ),
        _r(
            "st-fire-rw",
            "2024-05-14T11:45:00Z",
            "النيابة تحقق في حريق مصنع الغزل بالغربية",
            "بدأت النيابة العامة التحقيق في الحريق الذي التهم أجزاء من مصنع غزل ونسيج في المحلة الكبرى، وأسفر عن وفاة ثلاثة من العاملين وإصابة آخرين.",
            "وأفاد مصدر أمني بأن النيران بدأت في عنبر التشغيل قبل أن تنتقل إلى مخزن القطن المجاور، وأن فرق الإطفاء احتاجت ساعات لإخمادها بالكامل.",
            "وتشير المعاينة الأولية إلى أن ماسا كهربائيا وراء الحادث، بينما يتلقى المصابون العلاج من حالات اختناق وحروق في مستشفى المدينة.",
        ),
        _r(
            "st-fire-brief",
            "2024-05-14T13:10:00Z",
            "مصرع 3 عمال في حريق مصنع نسيج بدلتا النيل",
            "قتل ثلاثة عمال وأصيب 11 في حريق شب بمصنع للنسيج في المحلة الكبرى بدلتا النيل، بحسب بيان لمحافظة الغربية، التي قالت إن الحريق نجم على الأرجح عن ماس كهربائي.",
        ),
    ),
    (
        _r(
            "st-train",
            "2024-10-02T12:20:00Z",
            "خروج قطار ركاب عن القضبان قرب المنيا وإصابة 27 راكبا",
            "خرجت أربع عربات من قطار ركاب متجه من القاهرة إلى أسوان عن القضبان قرب مدينة ملوي بمحافظة المنيا ظهر الأربعاء، ما أسفر عن إصابة 27 راكبا بجروح متفاوتة.",
            "وقالت هيئة السكك الحديدية في بيان إن القطار كان يسير بسرعة منخفضة عند وقوع الحادث، وإن حركة القطارات على الخط تحولت مؤقتا إلى خط مواز.",
            "ودفعت وزارة الصحة بعشرين سيارة إسعاف إلى موقع الحادث، وأكد وكيل الوزارة في المنيا أن حالة المصابين مستقرة باستثناء ثلاثة أجريت لهم جراحات عاجلة.",
            "ويعد هذا الحادث الثاني من نوعه على خط الصعيد خلال العام الجاري، وسط مطالبات برلمانية بتسريع مشروعات تجديد السكك والإشارات.",
        ),
        _r(
            "st-train-rw",
            "2024-10-02T17:00:00Z",
            "27 مصابا في حادث قطار الصعيد.. والسكة الحديد تفتح تحقيقا",
            "أصيب سبعة وعشرون شخصا عندما انحرفت عربات قطار متجه إلى أسوان عن مسارها في منطقة ملوي جنوبي المنيا.",
            "وأعلنت السكة الحديد تشكيل لجنة فنية لفحص أسباب الحادث، مشيرة إلى أن الحركة على خط الصعيد عادت جزئيا بعد ساعات من رفع العربات.",
            "وزار محافظ المنيا المصابين في مستشفى ملوي العام، ووجه بتوفير الرعاية الكاملة لهم.",
        ),
    ),
    (
        _r(
            "st-visit",
            "2024-06-18T19:00:00Z",
            "وزير الخارجية السعودي يصل طهران في أول زيارة منذ استئناف العلاقات",
            "وصل وزير الخارجية السعودي الأمير فيصل بن فرحان إلى طهران مساء الثلاثاء في زيارة رسمية تستمر يومين، هي الأولى له منذ استئناف العلاقات الدبلوماسية بين البلدين.",
            "وكان في استقباله بمطار مهرآباد نظيره الإيراني، ومن المقرر أن يلتقي الرئيس الإيراني ويبحث معه ملفات الأمن الإقليمي والتبادل التجاري وإعادة فتح القنصليات.",
            "وقالت وكالة الأنباء الرسمية إن الجانبين سيوقعان مذكرة تفاهم لتشكيل لجنة مشتركة تجتمع بشكل دوري.",
        ),
        _r(
            "st-visit-rw",
            "2024-06-18T22:30:00Z",
            "فيصل بن فرحان في طهران لبحث الأمن الإقليمي وفتح القنصليات",
            "بدأ الأمير فيصل بن فرحان محادثات في العاصمة الإيرانية تتناول إعادة فتح القنصليتين في مشهد وجدة وتوسيع التعاون الاقتصادي.",
            "وأفادت مصادر دبلوماسية بأن الزيارة تمهد لتوقيع اتفاق على تشكيل لجنة مشتركة، وسط ترحيب إقليمي بالتقارب بين الرياض وطهران.",
        ),
    ),
    (
        _r(
            "st-rate",
            "2024-07-27T10:00:00Z",
            "البنك المركزي الأردني يرفع أسعار الفائدة 25 نقطة أساس",
            "قرر البنك المركزي الأردني رفع أسعار الفائدة الرئيسية بمقدار 25 نقطة أساس اعتبارا من يوم الأحد، في خطوة قال إنها تهدف إلى الحفاظ على جاذبية الدينار والاستقرار النقدي.",
            "وأوضح البنك في بيان أن سعر الفائدة على نافذة الإيداع لليلة واحدة أصبح 6.75 بالمئة، مشيرا إلى أن الاحتياطيات الأجنبية ما زالت عند مستويات مريحة.",
            "ويأتي القرار بعد ساعات من قرار مماثل لمجلس الاحتياطي الفيدرالي الأمريكي، إذ يربط الأردن عملته بالدولار.",
        ),
        _r(
            "st-rate-rw",
            "2024-07-27T14:00:00Z",
            "المركزي الأردني يلحق بالفيدرالي ويرفع الفائدة ربع نقطة",
            "رفع البنك المركزي في الأردن سعر الفائدة ربع نقطة مئوية، مقتفيا أثر الفيدرالي الأمريكي للحفاظ على ربط الدينار بالدولار.",
            "ويتوقع مصرفيون أن ترفع البنوك التجارية فوائد القروض خلال الأيام المقبلة، ما يزيد كلفة الاقتراض على الأسر والشركات.",
        ),
    ),
    (
        _r(
            "st-ferry",
            "2024-03-05T04:00:00Z",
            "Ferry capsizes off Sulawesi with 80 on board, 12 missing",
            "A passenger ferry carrying about 80 people capsized in rough seas off the coast of South Sulawesi early on Tuesday, and rescuers were searching for 12 people still missing.",
            "The national search and rescue agency said 68 passengers had been pulled from the water, some clinging to debris, after the wooden vessel was hit by high waves near Selayar island.",
            "Officials said the ferry had been cleared to sail despite a weather warning, and the transport ministry ordered an investigation into the operator.",
        ),
        _r(
            "st-ferry-rw",
            "2024-03-05T09:30:00Z",
            "Rescuers hunt for missing after Indonesian ferry sinks near Selayar",
            "Indonesian rescue teams and fishing boats combed the waters around Selayar on Tuesday after an overloaded ferry overturned in heavy swell.",
            "Survivors told local television that waves broke over the deck minutes before the boat tipped over, and that many passengers had no life jackets.",
            "Twelve people remain unaccounted for, according to the search and rescue agency.",
        ),
    ),
    (
        _r(
            "st-recall",
            "2024-09-10T07:00:00Z",
            "VoltRide recalls 2 million e-bike batteries over fire risk",
            "Electric bicycle maker VoltRide said on Tuesday it would recall about 2 million batteries sold in Europe and North America after reports that some units overheated and caught fire while charging.",
            "The company said it had received 41 reports of fires, including three that caused minor burns, and that affected batteries were made between March 2022 and June 2023.",
            "Customers will receive a free replacement, and VoltRide estimated the cost of the recall at about 150 million dollars.",
        ),
        _r(
            "st-recall-rw",
            "2024-09-10T12:00:00Z",
            "Fire reports push VoltRide into battery recall",
            "VoltRide is pulling back millions of e-bike battery packs after dozens of customers reported packs overheating on the charger.",
            "Safety regulators in the United States said owners should stop charging the affected packs immediately and contact the company for a replacement.",
            "Shares in the company fell 7 percent in early trading.",
        ),
    ),
]

SAME_DAY_OTHER_EVENT: list[tuple[str, Report]] = [
    (
        "st-fire",
        _r(
            "st-fire-other",
            "2024-05-14T18:00:00Z",
            "انهيار منزل قديم في المحلة الكبرى وإنقاذ أسرة من تحت الأنقاض",
            "انهار منزل قديم مكون من ثلاثة طوابق في حي الشون بمدينة المحلة الكبرى مساء الثلاثاء، وتمكنت فرق الحماية المدنية من انتشال أسرة من خمسة أفراد أحياء من تحت الأنقاض.",
            "وقال رئيس مجلس المدينة إن المنزل كان صادرا له قرار إزالة منذ عامين، وإن الأجهزة التنفيذية ستراجع حالة المباني المجاورة المتصدعة.",
            "ونقل المصابون إلى مستشفى المحلة العام لتلقي العلاج من كدمات وجروح سطحية، فيما فرضت الشرطة طوقا أمنيا حول موقع الانهيار.",
        ),
    ),
    (
        "st-train",
        _r(
            "st-train-other",
            "2024-10-02T15:00:00Z",
            "هيئة السكك الحديدية ترفع أسعار تذاكر قطارات الصعيد",
            "أعلنت هيئة السكك الحديدية زيادة أسعار تذاكر القطارات المكيفة على خط القاهرة أسوان بنسبة 12 بالمئة اعتبارا من أول الشهر المقبل.",
            "وقالت الهيئة في بيان إن الزيادة تهدف إلى تغطية جزء من تكاليف تجديد العربات والإشارات، وإن أسعار قطارات الدرجة الثالثة لن تتغير.",
            "وانتقد نواب في البرلمان القرار، معتبرين أن المسافرين إلى محافظات الصعيد مثل المنيا وأسيوط يتحملون أعباء متزايدة.",
        ),
    ),
    (
        "st-visit",
        _r(
            "st-visit-other",
            "2024-06-18T12:00:00Z",
            "فيصل بن فرحان يبحث مع غوتيريش الأوضاع في السودان",
            "بحث وزير الخارجية السعودي الأمير فيصل بن فرحان في اتصال هاتفي مع الأمين العام للأمم المتحدة أنطونيو غوتيريش تطورات الأوضاع في السودان وسبل إيصال المساعدات الإنسانية.",
            "وأكد الوزير دعم المملكة لمسار جدة التفاوضي بين الأطراف السودانية، فيما أشاد غوتيريش بالجهود السعودية لتحقيق وقف دائم لإطلاق النار.",
        ),
    ),
    (
        "st-rate",
        _r(
            "st-rate-other",
            "2024-07-27T12:00:00Z",
            "البنك المركزي الأردني يطرح ورقة نقدية جديدة من فئة 50 دينارا",
            "أعلن البنك المركزي الأردني طرح الإصدار الجديد من الورقة النقدية فئة خمسين دينارا للتداول اعتبارا من يوم الأحد، بعلامات أمنية محدثة يصعب تزويرها.",
            "وقال البنك في بيان إن الأوراق القديمة ستبقى متداولة جنبا إلى جنب مع الإصدار الجديد، وإن البنوك التجارية ستوفر الفئة الجديدة في فروعها تدريجيا.",
        ),
    ),
    (
        "st-ferry",
        _r(
            "st-ferry-other",
            "2024-03-05T11:00:00Z",
            "Thousands leave homes as volcano erupts in North Sulawesi",
            "Authorities in Indonesia evacuated more than 3,000 residents on Tuesday after a volcano on a small island in North Sulawesi erupted, sending a column of ash two kilometres into the sky.",
            "The national disaster agency raised the alert to its highest level and closed the nearby airport, warning of falling rocks and possible tsunami waves if part of the crater collapses.",
            "Navy ships were sent to carry residents to the mainland.",
        ),
    ),
    (
        "st-recall",
        _r(
            "st-recall-other",
            "2024-09-10T15:00:00Z",
            "VoltRide profit beats forecasts as European sales grow",
            "VoltRide reported a second-quarter profit above analyst forecasts on Tuesday, helped by strong demand for electric bicycles in Germany and the Netherlands.",
            "Revenue rose 18 percent to 640 million dollars, and the company raised its full-year sales outlook.",
            "Chief executive Lena Ortmann said a new factory in Poland would start production next spring.",
        ),
    ),
]


def corpus_item(report: Report, feed: str) -> DedupeInput:
    seen = datetime.fromisoformat(report.published.replace("Z", "+00:00")).timestamp()
    return DedupeInput(
        id=report.key, feed=feed, url="", title=report.title, text=report.text, published=report.published, seen_at=seen
    )


def corpus_stream() -> list[Report]:
    reports = [r for pair in EVENTS for r in pair] + [r for _, r in SAME_ENTITIES]
    reports += [r for cluster in STORY_CLUSTERS for r in cluster] + [r for _, r in SAME_DAY_OTHER_EVENT]
    return sorted(reports, key=lambda r: r.published)


def fill_young_stream(dedup: Deduplicator, seen_at: float) -> None:
    """Process the corpus stream undated (as `marsad dedupe test` may be given it), all seen at
    ``seen_at``, spread over seven outlets: a young stream of other events."""
    for number, report in enumerate(corpus_stream()):
        dedup.process(DedupeInput(report.key, f"outlet-{number % 7}", "", report.title, report.text, None, seen_at))


# --- republished copies ------------------------------------------------------------------------
#
# An agency report (written for this project) in five paragraphs.
AGENCY = [
    "أعلنت وزارة الزراعة في مملكة تيهامة اليوم الأربعاء إطلاق برنامج وطني لإعادة تأهيل قنوات الري في سهل وادي الرمان بعد موسمين من الجفاف الحاد أضرا بمحاصيل القمح والشعير.",
    "وقال وزير الزراعة سالم بن راشد الهاشمي في مؤتمر صحفي إن البرنامج يشمل تبطين ثلاثمئة كيلومتر من القنوات الترابية وتركيب بوابات تحكم آلية تقلل الفاقد من المياه إلى النصف.",
    "وأضاف الوزير أن المرحلة الأولى ستبدأ في قرى الضفة الشرقية للوادي خلال الربيع المقبل، على أن يشارك المزارعون في لجان محلية تتابع التنفيذ وتوزيع الحصص المائية بين الحقول.",
    "ويعاني سهل وادي الرمان منذ سنوات من تراجع منسوب المياه الجوفية بسبب الحفر العشوائي للآبار، وهو ما دفع مئات الأسر إلى ترك الزراعة والانتقال إلى المدن القريبة بحثا عن عمل.",
    "ورحب اتحاد المزارعين في بيان بالخطوة، لكنه طالب بتعويض الأسر المتضررة من الجفاف وبتأجيل أقساط القروض الزراعية المستحقة حتى نهاية الموسم المقبل.",
]
AGENCY_TITLE = "تيهامة تطلق برنامجا لإعادة تأهيل قنوات الري في وادي الرمان"

# A headline ticker much longer than the article (other headlines of the site).
TICKER = "\n".join(
    f"عاجل من {city}: {headline}"
    for city in ("العاصمة", "الساحل", "الجنوب")
    for headline in [
        "منتخب الساحل يتأهل إلى نهائي كأس القارة بعد فوزه بركلات الترجيح",
        "ارتفاع أسعار الذهب في التعاملات الصباحية وسط ترقب لقرار الفائدة",
        "افتتاح معرض الكتاب الدولي بمشاركة أربعمئة دار نشر من ثلاثين دولة",
        "الأرصاد تحذر من موجة حر تضرب المناطق الساحلية نهاية الأسبوع",
        "وزير الصحة يفتتح مستشفى جديدا للأطفال في العاصمة بسعة مئتي سرير",
        "البورصة تغلق على تراجع طفيف بضغط من أسهم البنوك والعقارات",
        "انطلاق امتحانات الشهادة الثانوية وسط إجراءات تنظيمية مشددة",
        "شركة الطيران الوطنية تعلن خطوطا جديدة إلى ثلاث عواصم أوروبية",
        "الشرطة تضبط شبكة لتهريب السجائر عبر ميناء المدينة القديمة",
        "مهرجان السينما يكرم المخرجة ليلى العطار عن مجمل أعمالها",
        "البنك المركزي يطرح سندات خزينة بقيمة ملياري دينار لأجل خمس سنوات",
        "اتفاق مبدئي بين النقابات والحكومة على زيادة أجور المعلمين",
    ]
)


# --- tolls and tallies ---------------------------------------------------------------------------
#
# One event told by three outlets on one day, each with the toll it had when it wrote (12,
# then 19, then 27 dead); the first two also give the fixed figure (400 tonnes), the last
# does not: reports of one event update a toll, so differing tolls within a day are not
# another event. A fire at the same port the next day, with its own toll, is another event.
TOLL_UPDATES: tuple[Report, ...] = (
    _r(
        "port-blast",
        "2024-07-09T06:00:00Z",
        "انفجار في مستودع بميناء الشرفة يوقع 12 قتيلا",
        "قتل 12 شخصا على الأقل فجر الثلاثاء في انفجار هز مستودعا للأسمدة في ميناء الشرفة، وتصاعدت سحب دخان برتقالية فوق الأرصفة.",
        "وقال مدير الدفاع المدني في الشرفة إن المستودع كان يضم نحو 400 طن من نترات الأمونيوم مخزنة منذ سنوات، وإن فرق الإطفاء ما زالت تحاول السيطرة على النيران.",
        "وأغلقت السلطات الميناء أمام السفن وأعلنت المستشفيات حالة الطوارئ.",
    ),
    _r(
        "port-blast-rw",
        "2024-07-09T11:00:00Z",
        "ارتفاع ضحايا انفجار ميناء الشرفة إلى 19",
        "ارتفعت حصيلة انفجار مستودع الأسمدة في ميناء الشرفة إلى 19 قتيلا، بحسب وزارة الصحة، فيما يواصل المسعفون البحث تحت الركام.",
        "وأكد وزير النقل أن 400 طن من نترات الأمونيوم انفجرت داخل المستودع، متعهدا بتحقيق يحدد المسؤولين عن تخزينها قرب الأحياء السكنية.",
        "وتحطمت نوافذ المنازل في الأحياء المجاورة للميناء على بعد كيلومترات.",
    ),
    _r(
        "port-blast-late",
        "2024-07-09T21:00:00Z",
        "حصيلة انفجار الشرفة تبلغ 27 قتيلا ومئات الجرحى",
        "بلغت حصيلة انفجار ميناء الشرفة 27 قتيلا مساء الثلاثاء، وقالت وزارة الصحة إن المستشفيات استقبلت مئات الجرحى.",
        "ويحقق القضاء في كيفية بقاء مئات الأطنان من نترات الأمونيوم في مستودع الميناء، بينما تجمع سكان غاضبون قرب الأرصفة المدمرة.",
    ),
)
TOLL_OTHER_DAY = _r(
    "port-fire",
    "2024-07-10T08:00:00Z",
    "حريق في مستودع بميناء الشرفة يوقع 5 قتلى",
    "قتل 5 أشخاص صباح الأربعاء في حريق اندلع في مستودع للحبوب في ميناء الشرفة، وتصاعدت سحب دخان سوداء فوق الأرصفة.",
    "وقال مدير الدفاع المدني في الشرفة إن فرق الإطفاء سيطرت على النيران بعد ساعتين، وإن المستودع كان يضم نحو 900 طن من القمح.",
    "وأغلقت السلطات الميناء أمام السفن مجددا، وتجمع سكان غاضبون قرب الأرصفة.",
)
