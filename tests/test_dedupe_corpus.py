"""A small generated news corpus for dedupe tests, written for this project.

Each EVENT has an original report and a rewrite of the same event by another outlet
(different wording: must not be a duplicate, should share a story). SAME_ENTITIES holds
reports that name the same people and places as an event but describe another event
(must stay apart: no duplicate, no shared story). ``edits`` makes the copies that ARE
duplicates: other chrome, an edited title, a dropped paragraph, an updated figure, a
regional respelling, and combinations.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass


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
        _r("ar-flood", "2024-03-11T08:00:00Z", "فيضانات تجتاح مدينة الحديدة وتشرد 4000 أسرة",
           "اجتاحت سيول جارفة مدينة الحديدة الساحلية فجر الاثنين بعد أمطار غزيرة استمرت أكثر من 12 ساعة، ما أدى إلى غمر أحياء كاملة وانقطاع الطرق الرئيسية المؤدية إلى الميناء.",
           "وقالت السلطات المحلية إن نحو 4000 أسرة فقدت منازلها، وإن فرق الإنقاذ انتشلت جثث سبعة أشخاص بينهم طفلان، فيما لا يزال آخرون في عداد المفقودين.",
           "وأعلنت منظمة الصحة العالمية أنها أرسلت شحنة عاجلة من الأدوية ومستلزمات تنقية المياه، محذرة من خطر تفشي الكوليرا في المخيمات المؤقتة التي أقيمت على أطراف المدينة.",
           "ودعا محافظ الحديدة المنظمات الدولية إلى تقديم مساعدات فورية، مؤكدا أن الإمكانات المتاحة لا تكفي لإيواء المتضررين وأن الأضرار في شبكة الكهرباء كبيرة."),
        _r("ar-flood-rw", "2024-03-11T10:30:00Z", "سيول الحديدة: سبعة قتلى وآلاف المشردين",
           "لقي سبعة أشخاص مصرعهم وشُردت آلاف العائلات جراء سيول ضربت الحديدة على ساحل البحر الأحمر، وفق ما أفاد به مسؤولون في المحافظة صباح اليوم.",
           "وأوضح شهود عيان أن المياه ارتفعت إلى أكثر من متر في بعض الشوارع، وأن السكان لجأوا إلى أسطح المنازل بانتظار وصول قوارب الدفاع المدني.",
           "من جانبها حذرت الصحة العالمية من انتشار الأوبئة بعد تلوث مصادر المياه، وقالت إنها بدأت توزيع أقراص الكلور والأدوية على النازحين."),
    ),
    (
        _r("ar-summit", "2024-05-02T09:00:00Z", "قمة الرياض تبحث ممرا اقتصاديا يربط الخليج بأوروبا",
           "انطلقت في الرياض أعمال قمة اقتصادية يشارك فيها قادة 14 دولة لبحث إنشاء ممر تجاري يربط موانئ الخليج بالأسواق الأوروبية عبر شبكة من السكك الحديدية والموانئ.",
           "وقال وزير الاستثمار في كلمته الافتتاحية إن المشروع قد يخفض زمن نقل البضائع بنسبة 40 في المئة، وإن التمويل الأولي يقدر بنحو 20 مليار دولار.",
           "وتناقش القمة على مدى يومين آليات تمويل المشروع وتوحيد الإجراءات الجمركية بين الدول المشاركة، إضافة إلى معايير الربط الرقمي بين الموانئ.",
           "ومن المنتظر أن يصدر في ختام القمة إعلان مشترك يحدد جدولا زمنيا لدراسات الجدوى والمرحلة الأولى من التنفيذ."),
        _r("ar-summit-rw", "2024-05-02T13:00:00Z", "قادة 14 دولة في الرياض لإطلاق مشروع الممر التجاري",
           "يجتمع زعماء أربع عشرة دولة في العاصمة السعودية لمناقشة مشروع طموح لنقل البضائع من الخليج إلى أوروبا بالقطارات والسفن في وقت أقصر.",
           "وبحسب مصادر دبلوماسية، تتركز المباحثات على حصة كل دولة في التمويل الذي يتجاوز عشرين مليار دولار، وعلى تسهيل عبور الشحنات عند الحدود.",
           "ويرى خبراء أن نجاح المشروع يتوقف على الاستقرار الإقليمي وعلى قدرة الموانئ على استيعاب حجم التجارة المتوقع خلال العقد المقبل."),
    ),
    (
        _r("ar-quake", "2024-08-19T04:00:00Z", "زلزال بقوة 6.1 درجات يضرب جنوب تركيا",
           "ضرب زلزال بقوة 6.1 درجات على مقياس ريختر ولاية أضنة جنوبي تركيا فجر اليوم، وشعر به سكان المدن المجاورة وصولا إلى الساحل السوري.",
           "وأعلنت هيئة إدارة الكوارث أن مركز الزلزال كان على عمق عشرة كيلومترات، وأن 23 شخصا أصيبوا بجروح طفيفة أثناء محاولتهم الفرار من المباني.",
           "وأشارت التقارير الأولية إلى انهيار ثلاثة مبان قديمة في قرى ريفية، دون تسجيل وفيات حتى الآن، فيما تواصل فرق البحث تفقد المناطق المتضررة.",
           "وعلقت السلطات الدراسة في المدارس لمدة يومين ريثما تنتهي لجان الهندسة من فحص سلامة المباني العامة."),
        _r("ar-quake-rw", "2024-08-19T06:15:00Z", "هزة أرضية قوية في أضنة وإصابات بين السكان",
           "استيقظ سكان أضنة على هزة أرضية عنيفة دفعت الآلاف إلى الشوارع، وأفادت السلطات التركية بإصابة أكثر من عشرين شخصا.",
           "وذكرت هيئة الكوارث أن الهزة وقعت على عمق ضحل، وأن عدة هزات ارتدادية تلتها خلال الساعات التالية.",
           "وقال والي أضنة إن المباني المنهارة كانت خالية وقت الزلزال، وإن المدارس ستبقى مغلقة حتى التأكد من سلامتها."),
    ),
    (
        _r("ar-election", "2024-06-10T18:00:00Z", "نسبة المشاركة في الانتخابات البلدية التونسية تبلغ 31 بالمئة",
           "أعلنت الهيئة العليا المستقلة للانتخابات في تونس أن نسبة المشاركة في الانتخابات البلدية بلغت 31 بالمئة عند إغلاق مكاتب الاقتراع مساء الأحد.",
           "وقال رئيس الهيئة في مؤتمر صحفي إن عملية التصويت جرت في أجواء هادئة، وإن الهيئة تلقت 112 شكوى تتعلق بخروقات محدودة في عدد من الدوائر.",
           "وتنافس في هذه الانتخابات أكثر من 7000 مرشح على مقاعد 350 مجلسا بلديا، في ظل مقاطعة أحزاب معارضة رئيسية.",
           "ومن المنتظر إعلان النتائج الأولية خلال 48 ساعة، على أن تنظر المحكمة الإدارية في الطعون قبل إعلان النتائج النهائية."),
        _r("ar-election-rw", "2024-06-10T21:00:00Z", "إقبال ضعيف على صناديق الاقتراع في تونس",
           "شهدت الانتخابات البلدية في تونس إقبالا محدودا، إذ لم يتجاوز عدد المقترعين ثلث المسجلين بحسب أرقام الهيئة الانتخابية.",
           "وعزا محللون ضعف المشاركة إلى مقاطعة أحزاب المعارضة وتراجع ثقة الناخبين في المجالس المحلية.",
           "وأكدت الهيئة أن الشكاوى التي وردتها لا تؤثر على سلامة العملية، وأن النتائج الأولية ستعلن مطلع الأسبوع."),
    ),
    (
        _r("ar-pentagon", "2024-02-14T15:00:00Z", "البنتاغون يعلن حزمة مساعدات عسكرية جديدة لأوكرانيا بقيمة 250 مليون دولار",
           "أعلنت وزارة الدفاع الأمريكية البنتاغون عن حزمة مساعدات عسكرية جديدة لأوكرانيا بقيمة 250 مليون دولار تشمل ذخائر مدفعية وصواريخ دفاع جوي.",
           "وقال المتحدث باسم الوزارة جون كيربي إن الحزمة تأتي استجابة لطلبات كييف العاجلة، وإن الشحنات الأولى ستصل خلال أسابيع قليلة.",
           "وأضاف كيربي أن الولايات المتحدة ستواصل دعم أوكرانيا بالتنسيق مع حلفائها في حلف شمال الأطلسي، مشيرا إلى اجتماع مرتقب لوزراء دفاع الحلف في بروكسل.",
           "في المقابل، انتقد الكرملين الخطوة واعتبر المتحدث باسمه ديميتري بيسكوف أن تزويد كييف بالسلاح يطيل أمد النزاع."),
        _r("ar-pentagon-rw", "2024-02-14T19:00:00Z", "واشنطن ترسل ذخائر وصواريخ دفاع جوي إلى كييف",
           "قررت الإدارة الأمريكية تزويد أوكرانيا بدفعة إضافية من قذائف المدفعية ومنظومات الدفاع الجوي، في صفقة تتجاوز قيمتها ربع مليار دولار.",
           "وأوضح مسؤول في وزارة الدفاع أن الأسلحة ستنقل من مخزونات الجيش الأمريكي لتسريع وصولها إلى الجبهة.",
           "وردت موسكو بالتحذير من أن المساعدات الغربية لن تغير مسار الحرب، بحسب تصريحات للمتحدث باسم الرئاسة الروسية."),
    ),
    (
        _r("ar-wheat", "2024-09-03T07:00:00Z", "مصر توقع عقدا لاستيراد 500 ألف طن من القمح",
           "وقعت الهيئة العامة للسلع التموينية في مصر عقدا لاستيراد 500 ألف طن من القمح الروسي والروماني، بمتوسط سعر بلغ 245 دولارا للطن شاملا الشحن.",
           "وقال متعاملون في أسواق الحبوب إن الصفقة هي الأكبر منذ بداية العام، وإن الشحنات ستصل إلى ميناء الإسكندرية على دفعات خلال شهري أكتوبر ونوفمبر.",
           "وتسعى الحكومة إلى تعزيز المخزون الاستراتيجي من القمح ليكفي ستة أشهر على الأقل، في ظل تقلب الأسعار العالمية وارتفاع تكاليف النقل البحري.",
           "وأكد وزير التموين أن أسعار الخبز المدعم لن تتأثر بهذه الصفقة، وأن الدولة تتحمل فارق التكلفة."),
        _r("ar-wheat-rw", "2024-09-03T12:00:00Z", "صفقة قمح كبيرة لتعزيز المخزون المصري",
           "اشترت مصر نصف مليون طن من القمح من روسيا ورومانيا في مناقصة دولية، حسبما أفاد تجار أوروبيون لوكالات الأنباء.",
           "وأشار التجار إلى أن الأسعار جاءت أقل من توقعات السوق، ما يعكس وفرة المعروض من منطقة البحر الأسود هذا الموسم.",
           "وتعد مصر من أكبر مستوردي القمح في العالم، وتعتمد على الواردات لتوفير الخبز المدعم لملايين المواطنين."),
    ),
    (
        _r("ar-gas", "2024-11-20T11:00:00Z", "اكتشاف حقل غاز جديد قبالة سواحل الجزائر",
           "أعلنت شركة سوناطراك الجزائرية اكتشاف حقل غاز طبيعي جديد في المياه العميقة قبالة السواحل الشرقية، تقدر احتياطياته الأولية بنحو 100 مليار متر مكعب.",
           "وقال الرئيس التنفيذي للشركة إن الحفر تم بالشراكة مع شركة إيني الإيطالية، وإن الإنتاج التجاري قد يبدأ خلال أربع سنوات بعد استكمال الدراسات الفنية.",
           "ويعزز الاكتشاف موقع الجزائر كمورد رئيسي للغاز إلى أوروبا عبر خطوط الأنابيب الممتدة إلى إيطاليا وإسبانيا، في وقت تبحث فيه القارة عن بدائل للإمدادات الروسية.",
           "وارتفعت أسهم الشركة الإيطالية في بورصة ميلانو بأكثر من 3 في المئة عقب الإعلان."),
        _r("ar-gas-rw", "2024-11-20T16:00:00Z", "سوناطراك وإيني تعلنان كشفا غازيا بحريا كبيرا",
           "كشفت الجزائر عن اكتشاف غازي بحري جديد وصفته بالمهم، في خطوة قد تزيد صادراتها إلى الأسواق الأوروبية خلال السنوات المقبلة.",
           "وأفاد بيان مشترك للشركتين بأن البئر الاستكشافية حفرت على عمق يتجاوز ألفي متر، وأن التقديرات الأولية للاحتياطي مشجعة.",
           "ويأتي الإعلان بينما تعمل الجزائر على رفع طاقة خط الأنابيب العابر للمتوسط لتلبية الطلب المتزايد في إيطاليا."),
    ),
    (
        _r("ar-strike", "2024-04-22T06:00:00Z", "إضراب عمال الموانئ يشل حركة الشحن في ميناء الدار البيضاء",
           "توقفت عمليات الشحن والتفريغ في ميناء الدار البيضاء لليوم الثاني على التوالي بسبب إضراب ينفذه عمال الموانئ للمطالبة بزيادة الأجور وتحسين شروط السلامة.",
           "وقالت النقابة المنظمة للإضراب إن أكثر من 1200 عامل يشاركون في التحرك، وإن الإدارة رفضت مقترحا بزيادة الأجور بنسبة 15 بالمئة.",
           "وتنتظر أكثر من 30 سفينة في عرض البحر السماح لها بالرسو، ما أثار مخاوف المستوردين من تأخر وصول البضائع قبل شهر رمضان.",
           "ودعت وزارة النقل الطرفين إلى جلسة حوار عاجلة، مؤكدة حرصها على استمرارية النشاط في أكبر موانئ المملكة."),
        _r("ar-strike-rw", "2024-04-22T14:00:00Z", "سفن عالقة أمام الدار البيضاء مع استمرار الإضراب",
           "بقيت عشرات السفن التجارية راسية خارج ميناء الدار البيضاء بينما يواصل العمال إضرابهم احتجاجا على الأجور.",
           "وأكد ممثلون عن النقابة أنهم لن يعودوا إلى العمل قبل توقيع اتفاق مكتوب مع إدارة الميناء.",
           "وحذرت غرف التجارة من خسائر يومية كبيرة إذا طال أمد الأزمة، داعية الحكومة إلى التدخل."),
    ),
    (
        _r("en-bridge", "2024-07-08T09:00:00Z", "Bridge collapse in Porto Alegre leaves 5 dead",
           "A road bridge over the Guaiba river in Porto Alegre collapsed during the morning rush hour on Monday, sending at least a dozen vehicles into the water.",
           "Fire officials said 5 people were confirmed dead and 17 injured, while divers continued to search for others who may be trapped in submerged cars.",
           "The bridge, built in 1958, had been scheduled for structural repairs next year after inspectors reported corrosion in its steel supports.",
           "The state governor declared three days of mourning and ordered an independent inquiry into the maintenance of public infrastructure."),
        _r("en-bridge-rw", "2024-07-08T12:00:00Z", "Divers search river after Porto Alegre bridge gives way",
           "Rescue teams worked through the afternoon after a decades-old bridge gave way in southern Brazil, plunging commuters into the Guaiba.",
           "Witnesses described hearing a loud crack before the central span dropped, taking cars and a minibus with it.",
           "Local engineers had warned for years that the structure needed urgent work, according to documents seen by reporters."),
    ),
    (
        _r("en-rates", "2024-10-24T13:00:00Z", "Central bank cuts interest rate to 4.25 percent",
           "The central bank lowered its benchmark interest rate by a quarter point to 4.25 percent on Thursday, its second cut this year, citing slowing inflation and weak consumer demand.",
           "Governor Maria Lindqvist told reporters that price growth had eased to 2.1 percent in September and that the bank expected it to stay close to target through next year.",
           "Analysts had been divided ahead of the decision, with several warning that a stronger labour market could push wages and prices higher again.",
           "The currency fell 0.6 percent against the euro after the announcement, while government bond yields dropped to their lowest level since March."),
        _r("en-rates-rw", "2024-10-24T16:00:00Z", "Lindqvist signals more easing after second rate cut",
           "Borrowing costs came down again as policymakers decided inflation was no longer the main threat to the economy.",
           "In a press conference, the governor said further reductions were possible if demand remained soft over the winter.",
           "Markets reacted quickly, with the currency weakening and bond prices rising as investors priced in another cut early next year."),
    ),
    (
        _r("en-wildfire", "2024-08-02T18:00:00Z", "Wildfire forces 12,000 to evacuate near Athens",
           "A fast-moving wildfire fanned by strong winds forced the evacuation of about 12,000 residents from towns north of Athens on Friday.",
           "The fire service said more than 400 firefighters, 90 fire engines and 15 aircraft were battling the blaze, which had burned through pine forest and reached the edge of several villages.",
           "Authorities sent emergency text messages ordering people to leave, and several roads were closed as thick smoke drifted over the capital.",
           "Greece has experienced record temperatures this summer, and officials warned that the risk of new fires would remain very high over the weekend."),
        _r("en-wildfire-rw", "2024-08-02T21:00:00Z", "Thousands flee as flames approach villages outside Greek capital",
           "Residents packed cars and fled as a blaze swept through forests north of the Greek capital, with smoke visible from central Athens.",
           "Firefighting planes made repeated water drops while crews on the ground tried to stop the flames from reaching homes.",
           "Meteorologists said gusty winds and heat above 40C would make the fire hard to contain until Sunday."),
    ),
    (
        _r("en-merger", "2024-01-15T07:00:00Z", "Nordic Air and Baltic Wings agree 1.2 billion euro merger",
           "Nordic Air and Baltic Wings said on Monday they had agreed to merge in a deal valuing the combined airline at 1.2 billion euros, creating the largest carrier in northern Europe by routes.",
           "Under the terms, Nordic Air shareholders will own 60 percent of the new company, which will keep its headquarters in Stockholm and operate a fleet of 140 aircraft.",
           "The companies expect annual cost savings of about 90 million euros by 2027, mainly from joint purchasing of fuel and aircraft maintenance.",
           "The merger still needs approval from the European Commission, which is expected to examine overlapping routes between Scandinavia and the Baltic states."),
        _r("en-merger-rw", "2024-01-15T11:00:00Z", "Airline tie-up to create northern Europe's biggest network",
           "Two regional carriers are combining in a deal that will give Stockholm the base of the largest route network in the north of the continent.",
           "Investors welcomed the news, sending shares of both companies sharply higher in early trading.",
           "Competition lawyers said Brussels would likely demand that some slots be given up on routes where the airlines now compete directly."),
    ),
]

# Same people and places as an event above, but a different event (other day, other facts).
SAME_ENTITIES: list[tuple[str, Report]] = [
    ("ar-pentagon", _r("ar-pentagon-other", "2024-02-15T15:00:00Z", "كيربي: البنتاغون يراجع إجراءات تأمين القواعد في الشرق الأوسط",
        "قال المتحدث باسم وزارة الدفاع الأمريكية جون كيربي إن البنتاغون يراجع إجراءات تأمين قواعده في الشرق الأوسط بعد هجوم بطائرة مسيرة على قاعدة في شرق سوريا.",
        "وأوضح كيربي أن الهجوم لم يسفر عن إصابات، وأن الوزارة تعمل مع الحلفاء لتحديد الجهة المسؤولة عنه.",
        "وأضاف أن تعزيز الدفاعات الجوية في القواعد الأمريكية يشكل أولوية، دون أن يكشف عن تفاصيل المنظومات التي سيتم نشرها.")),
    ("ar-wheat", _r("ar-wheat-other", "2024-09-04T07:00:00Z", "وزير التموين المصري يفتتح صوامع جديدة لتخزين القمح في الإسكندرية",
        "افتتح وزير التموين المصري مجمعا جديدا من الصوامع لتخزين القمح في محافظة الإسكندرية بسعة تصل إلى 300 ألف طن.",
        "وقال الوزير إن المشروع يقلل الفاقد من الحبوب ويرفع كفاءة التخزين، مشيرا إلى أن الدولة أنشأت عشرات الصوامع خلال السنوات الأخيرة.",
        "وأكد أن الحكومة ماضية في توسيع الطاقة التخزينية حتى تستوعب محصول القمح المحلي والواردات على حد سواء.")),
    ("en-rates", _r("en-rates-other", "2024-10-25T10:00:00Z", "Lindqvist warns banks over risky property lending",
        "Central bank governor Maria Lindqvist warned commercial banks on Friday against loosening lending standards for commercial property, saying office values could fall further.",
        "In the bank's financial stability report, she said exposure to property developers had grown to a level that needed close monitoring.",
        "The report recommended that banks hold more capital against loans to developers with high debt and weak rental income.")),
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
    (re.compile(r"ي\b"), "ى"), (re.compile(r"\bفي\b"), "فى"), (re.compile(r"ة\b"), "ه"),
    (re.compile(r"أ"), "ا"), (re.compile(r"إ"), "ا"), (re.compile(r"غ"), "ج"),
]
_EN_RESPELL = [("labour", "labor"), ("organisation", "organization"), ("centre", "center"),
               ("percent", "per cent"), ("defence", "defense")]


def respell(text: str) -> str:
    for pattern, replacement in _RESPELL:
        text = pattern.sub(replacement, text)
    for a, b in _EN_RESPELL:
        text = text.replace(a, b)
    return text


def update_figures(text: str) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group()) + 3), text)


def with_chrome(report: Report, rng: random.Random) -> tuple[str, str]:
    lines = rng.sample(CHROME_LINES, 3)
    return report.title, "\n".join([lines[0], report.text, lines[1], lines[2]])


def edited_title(title: str) -> str:
    words = title.split()
    return "عاجل: " + " ".join(words[:-1]) if any("\u0600" <= c <= "\u06ff" for c in title) \
        else "Update: " + " ".join(words[:-1])


def edits(report: Report, rng: random.Random) -> dict[str, tuple[str, str]]:
    """Copies of ``report`` that are duplicates of it, by edit kind: (title, text)."""
    paragraphs = list(report.paragraphs)
    dropped_middle = paragraphs[:1] + paragraphs[2:]
    dropped_last = paragraphs[:-1]
    chrome_title, chrome_text = with_chrome(report, rng)
    return {
        "chrome": (chrome_title, chrome_text),
        "title": (edited_title(report.title), report.text),
        "drop-middle": (report.title, "\n\n".join(dropped_middle)),
        "drop-last": (report.title, "\n\n".join(dropped_last)),
        "figure": (update_figures(report.title), update_figures(report.text)),
        "respell": (respell(report.title), respell(report.text)),
        "combo": (edited_title(respell(report.title)), respell(with_chrome(report, rng)[1])),
        "doubled": (report.title, report.text + "\n\n" + report.text),
    }
