"""Line classification: every chrome pattern on lines written for these tests, each with
prose "traps" that share its words and must stay."""

from __future__ import annotations

import pytest

from streams.clean_chrome import LineClass, classify_line
from streams.clean_credits import agencies_in, credit_agencies, inline_credit_agencies, leading_dateline
from streams.textnorm import fold

CHROME = [
    # share bars
    ("شارك", "chrome:share"),
    ("Share", "chrome:share"),
    ("شارك على فيسبوك", "chrome:share"),
    ("Facebook | Twitter | WhatsApp", "chrome:share"),
    ("• فيسبوك • تويتر • واتس اب • تلغرام", "chrome:share"),
    ("مشاركة الخبر عبر البريد الإلكتروني", "chrome:share"),
    ("Share this article on LinkedIn", "chrome:share"),
    ("طباعة", "chrome:share"),
    # view counters
    ("eye 463", "chrome:view-counter"),
    ("• eye 1,204", "chrome:view-counter"),
    ("مشاهدة 1200", "chrome:view-counter"),
    ("عدد المشاهدات: ٣٤٥", "chrome:view-counter"),
    ("👁 200", "chrome:view-counter"),
    ("1.5k views", "chrome:view-counter"),
    ("قراءات 87", "chrome:view-counter"),
    ("شوهد 912 مرة", "chrome:view-counter"),
    # icon labels
    ("profile", "chrome:icon-label"),
    ("  • clock", "chrome:icon-label"),
    # page tools and adverts
    ("حجم الخط", "chrome:page-tool"),
    ("A+ A-", "chrome:page-tool"),
    ("استمع إلى الخبر", "chrome:page-tool"),
    ("Listen to this article", "chrome:page-tool"),
    ("إعلان", "chrome:advert"),
    ("Advertisement", "chrome:advert"),
    ("محتوى مدعوم", "chrome:advert"),
    # copied to clipboard
    ("• تم نسخ عنوان المقال إلى الحافظة", "chrome:copied"),
    ("تم نسخ الرابط", "chrome:copied"),
    ("Link copied!", "chrome:copied"),
    ("نسخ الرابط", "chrome:copied"),
    # slides
    ("Slide 01", "chrome:slide"),
    ("شريحة 3", "chrome:slide"),
    ("صورة 2 من 7", "chrome:slide"),
    ("4 / 12", "chrome:slide"),
    # comment counters and prompts
    ("التعليقات (0)", "chrome:comment-counter"),
    ("Comments (3)", "chrome:comment-counter"),
    ("0 تعليق", "chrome:comment-counter"),
    ("١٢ تعليقات", "chrome:comment-counter"),
    ("لا توجد تعليقات", "chrome:comment-counter"),
    ("أفكارك وتعليقاتك", "chrome:comment-prompt"),
    ("اترك تعليقاً", "chrome:comment-prompt"),
    ("أضف تعليقك", "chrome:comment-prompt"),
    ("Leave a Reply", "chrome:comment-prompt"),
    # a comment form's notices, a closed comment section
    ("لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *", "chrome:comment-prompt"),
    ("لن يتم نشر بريدك الالكتروني", "chrome:comment-prompt"),
    ("Your email address will not be published. Required fields are marked *", "chrome:comment-prompt"),
    ("التعليقات مغلقة.", "chrome:comment-prompt"),
    ("Comments are closed.", "chrome:comment-prompt"),
    ("هل أعجبك الموضوع؟ شاركه مع أصدقائك!", "chrome:share"),
    # a cookie notice, longer than a chrome line
    (
        "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك، وسنفترض أنك توافق على ذلك ما لم "
        "تغير إعدادات متصفحك في أي وقت تشاء من صفحة الخصوصية الخاصة بنا. موافق المزيد عن الخصوصية",
        "chrome:cookies",
    ),
    ("We use cookies to improve your experience. Accept", "chrome:cookies"),
    # read also
    ("اقرأ أيضاً: الحكومة تقر موازنة العام المقبل", "read-also"),
    ("اقرأ أيضًا - ارتفاع أسعار الذهب", "read-also"),
    ("اقرا ايضا: زلزال يضرب الساحل", "read-also"),
    ("اقرأ أيضا.. افتتاح معرض الكتاب في دورته الجديدة", "read-also"),
    ("اقرأ أيضًا… الحكومة تقر الموازنة", "read-also"),
    ("شاهد أيضاً: لقطات من موقع الحادث", "read-also"),
    ("طالع أيضا: المنتخب يتأهل", "read-also"),
    ("اقرأ المزيد", "read-also"),
    ("Read also: Markets rally after rate cut", "read-also"),
    ("Read more", "read-also"),
    ("Related: Storm hits the coast", "read-also"),
    ("More stories", "read-also"),
    ("أخبار ذات صلة", "read-also"),
    # the label and its linked headline on one line, inside the article (copy set 18)
    ("أخبار ذات علاقة الحكومة تطلب سحب التقرير عن الجفاف فورا", "read-also"),
    ("مواضيع ذات علاقة", "read-also"),
    ("اقرأ: وزير المالية يستقيل", "read-also"),
    # continuation markers
    ("(تستمر)", "continuation-marker"),
    ("(يتبع)", "continuation-marker"),
    ("(more)", "continuation-marker"),
    ("(انتهى)", "continuation-marker"),
    ("يتبع...", "continuation-marker"),
    ("- more -", "continuation-marker"),
    # copyright footers
    ("© 2021 جميع الحقوق محفوظة", "footer"),
    ("جميع الحقوق محفوظة لموقع الأخبار اليومية", "footer"),
    ("Copyright 2021 Example Media. All rights reserved.", "footer"),
    ("حقوق النشر محفوظة", "footer"),
    ("تم طباعة هذا الخبر من موقع الساحل اليوم - رابط الخبر: https://example.org/news/1", "footer"),
    # newsletter, follow prompts
    ("اشترك في النشرة البريدية", "chrome:subscribe"),
    ("Subscribe to our newsletter", "chrome:subscribe"),
    ("اشترك الآن مجاناً", "chrome:subscribe"),
    ("تابعونا على تلغرام", "chrome:follow"),
    ("تابعنا على فيسبوك", "chrome:follow"),
    ("Follow us on Twitter", "chrome:follow"),
    ("لمتابعة آخر الأخبار اضغط هنا", "chrome:follow"),
    ("تابع الخبر 24 على Khabar24 News", "chrome:follow"),
    ("تابع صحيفة المدينة عبر أخبار جوجل", "chrome:follow"),
    ("تابع أحدث الأخبار عبر تطبيق google news", "chrome:follow"),
    ("تابع آخر الأخبار عبر تطبيق جوجل نيوز", "chrome:follow"),
    ("متابعة أخبار وكالة سيلان على تلغرام https://t.me/SeelanNews", "chrome:follow"),
    # a skip link, a link to the original under its label (sixth held-out copy set)
    ("التخطي إلى المحتوى", "chrome:skip-link"),
    ("تخطى إلى المحتوى الرئيسي", "chrome:skip-link"),
    ("Skip to main content", "chrome:skip-link"),
    ("مصدر الخبر", "chrome:source"),
    ("اقرأ الخبر من مصدره", "chrome:source"),
    # a picture's credit: a photographer, via an agency
    ("سامر خليل | عبر رويترز", "chrome:photo-credit"),
    ("Sam Lee | via AFP", "chrome:photo-credit"),
    # tag lists
    ("الوسوم: روسيا، أوكرانيا، الناتو", "chrome:tags"),
    ("كلمات مفتاحية: اقتصاد - نفط", "chrome:tags"),
    ("Tags: Russia, NATO", "chrome:tags"),
    ("#روسيا #أوكرانيا", "chrome:tags"),
    # relative times and reading time
    ("منذ 3 ساعات", "chrome:relative-time"),
    ("منذ ساعتين", "chrome:relative-time"),
    ("5 minutes ago", "chrome:relative-time"),
    ("4 دقائق قراءة", "chrome:relative-time"),
    ("منذ 4 شهور", "chrome:relative-time"),
    ("منذ سنة", "chrome:relative-time"),
    ("قبل عامين", "chrome:relative-time"),
    # a feed item's footer, a read-more button, a prompt to follow a link (held-out pages)
    ("The post اتفاق على تمديد الهدنة يومين إضافيين appeared first on أخبار الساحل.", "footer"),
    ("The post Talks resume in Doha, sources say appeared first on Sahil News", "footer"),
    ("Read full story", "read-also"),
    ("read the full article", "read-also"),
    ("للاطلاع على نص البيان كاملاً يرجى زيارة موقع الوزارة بالضغط على الرابط التالي: هنا.", "chrome:follow"),
    ("ولمزيد من التفاصيل اضغط هنا", "chrome:follow"),
    # lone bullets and separators
    ("•", "chrome:symbols"),
    ("* * *", "chrome:symbols"),
    ("|", "chrome:symbols"),
    # date meta lines
    ("• clock 7 ديسمبر 2021, 9:21:37 ص", "chrome:date"),
    ("نشر في: الثلاثاء 7 كانون الأول 2021 - 10:15 مساءً", "chrome:date"),
    ("Published: December 7, 2021", "chrome:date"),
    ("آخر تحديث: ٠٧/١٢/٢٠٢١", "chrome:date"),
    # credits
    ("(د ب أ)", "agency-credit"),
    ("رويترز", "agency-credit"),
    ("سبأ", "agency-credit"),
    ("وكالات - اناضول", "agency-credit"),
    ("المصدر: وكالات", "agency-credit"),
    ("(أ ف ب / رويترز)", "agency-credit"),
    # labels a fifth held-out set of real pages showed (docs/cleaning.md)
    ("بحث", "chrome:icon-label"),
    ("bar_chart_4_ba", "chrome:icon-label"),  # an icon font's ligature, cut
    ("aXA6IDEuMi4zLjQ1Njc4OQ==", "chrome:icon-label"),  # a tracker's token
    ("سحابة الكلمات", "chrome:tags"),
    ("اكتب الكلمات الرئيسية في البحث", "chrome:page-tool"),
    ("التعليقات على فوز المنتخب في المباراة النهائية مغلقة", "chrome:comment-prompt"),
    ("تابعنا", "chrome:follow"),
    ("تــابــــع كــل الأخــبـــــار.", "chrome:follow"),
    ("Follow: Example Daily News", "chrome:follow"),
    ("المصدر - موقع الأخبار", "chrome:source"),
    ("Share it on", "chrome:share"),
    # a sixth held-out set: a staff box glued to the site's name, a byline after the
    # site's name, a header with its views
    ("صوت المدينة 24 رئيس مجلس الإدارةسامي نور", "chrome:masthead"),
    ("صحيفة الغد اليوم رئيس مجلس الإدارة ورئيس التحريرهالة سعيد", "chrome:masthead"),
    ("صدى الساحل: متابعة.", "chrome:byline"),
    ("اليوم, 21:39", "chrome:relative-time"),
    # a seventh held-out set
    (
        "الرئيسية / سياسة / الوزير يفتتح الجسر الجديد.. ويعد بإنهاء الزحام على مداخل المدينة قبل نهاية العام المقبل وسط ترحيب واسع من السكان والتجار في المنطقة",
        "chrome:breadcrumb",
    ),
    ("الأحد 2 مارس 2025 06:15 مـ 2 رمضان 1446 هـ", "chrome:date"),
    ("السبت 15 نوفمبر 2025 04:01 صـ 24 جمادى أول 1447 هـ", "chrome:date"),
    ("الخميس 27-11-2014 00:00 | كتب: سامي نور, هالة سعيد |", "chrome:date"),
    ("سكان-المدينة-يستقبلون-الفريق-الفائز-(3)", "chrome:file-name"),
    ("من تتوقع أن يفوز بلقب الدوري هذا الموسم", "chrome:poll"),
    ("document.PlayerIframe=true;", "chrome:script"),
    ('var _q = _q||[]; _q.push({"p": "Player_1"});', "chrome:script"),
    ("تابع آخر الأخبار اشترك بقناة التليغرام t.me/example_news", "chrome:subscribe"),
    ("تنفيذ و استضافة وتطوير شركة المثال لحلول الويب 2023", "footer"),
    ("Powered by WordPress", "footer"),
    # an eighth held-out set
    ("للمزيد تابع أخبار الساحل على: فيسبوك | إكس | يوتيوب | إنستغرام | تيك توك", "chrome:follow"),
    ("هاتف: 00961-81000000", "chrome:contact"),
    ("تابعنا عبر", "chrome:follow"),
    # a ninth held-out set
    ("الرئيسية » الأخبار » المدينة تستقبل أول قطار سريع بعد سنوات من الانتظار", "chrome:breadcrumb"),
    ("• الرئيسية / الأخبار / المدينة تستقبل أول قطار سريع", "chrome:breadcrumb"),  # (after a bullet)
    ("لديك حساب ؟ تسجيل الدخول", "chrome:account"),
    ("مقال مؤرشفهذا المقال مخصص للمشتركين", "chrome:account"),
    ("لم تشترك بعد", "chrome:account"),
    ("ليست هناك تعليقات:", "chrome:comment-prompt"),
    ("إرسال تعليق", "chrome:comment-prompt"),
    ("لقراءة المقال كاملا من مصدره", "chrome:source"),
    ("شاهد أول صور الحريق في السوق القديم بالضغط هنا", "chrome:follow"),
    ("المزيد:ماذا حدث لركاب القطار بعد توقفه في الصحراء؟", "read-also"),
    ("صدى الوادي / متابعة", "chrome:byline"),
    ("البريد الإلكتروني: info@example.com", "chrome:contact"),
    ("أخبار الوادي - متابعة", "chrome:byline"),
    ("عربية ودولية الأحد 14 كانون ثاني 2024 الساعة 18:40 مساءً (عدد المشاهدات 931)", "chrome:date"),
    # an eleventh held-out set
    ("هذا الموقع يستخدم ملف تعريف الارتباط Cookie", "chrome:cookies"),
    ("برجاء دعمنا عن طريق تعطيل إضافة Adblock", "chrome:advert"),
    ("يرجى إيقاف مانع الإعلانات لمتابعة القراءة", "chrome:advert"),
    ("أرسل تعليقك", "chrome:comment-prompt"),
    ("منطقة المساهمات محجوزة للمشتركين.", "chrome:account"),
    ("اشترك للوصول إلى مساحة المناقشة هذه والمساهمة في المناقشة.", "chrome:subscribe"),
    ("Site icon صدى الساحل | جريدة إلكترونية", "chrome:icon-label"),
    ("المزيد من مشاهير العرب", "read-also"),
    ("الساحل – صدى نيوز", "chrome:byline"),
    ("فلان الفلاني- وادي برس:", "chrome:byline"),
    ("هنا 24 / فلان الفلاني .", "chrome:byline"),
    ("وادي بريس", "chrome:byline"),
    ("يمكنكم الآن متابعة آخر الأخبار مجاناً من خلال تطبيق تلغرام", "chrome:follow"),
    ("يمكنكم الآن متابعة آخر الأخبار مجاناً من خلال حسابنا على تويتر", "chrome:follow"),
    # a twelfth held-out set
    ("محتوى إعلاني", "chrome:advert"),
    ("No Comment", "chrome:comment-counter"),
    ("Optimized with PageSpeed Ninja", "footer"),
    # a thirteenth held-out set
    ("Advertisements", "chrome:advert"),
    ("كلمات البحث :الانتخابات البلدية;المجلس الجهوي", "chrome:tags"),
    ("نرشح لك: مراسل رياضي يتحول إلى مدرب بعد عشرين عاما", "read-also"),
    ("ما هو رد فعلك؟", "chrome:poll"),
    (
        "نعلم قراءنا الأعزاء أنه لا يتم إدراج سوى التعليقات البناءة والتي لا تتنافى مع الأخلاق الحميدة",
        "chrome:comment-prompt",
    ),
    # the fourteenth held-out cleaner set: a list of other stories put inside the article, a
    # copy-protection plugin's message, a byline's label alone, a site's name with its number
    ("للخبر بقية في الأسفل.. ومن أخبارنا أيضاً:", "read-also"),
    ("ومن أخبارنا", "read-also"),
    ("error: Content is protected !!", "chrome:copied"),
    ("تنبيه: المحتوى محمي !!", "chrome:copied"),
    ("إعداد:", "chrome:byline"),
    ("فرانس24", "chrome:byline"),
    # the fifteenth: a site's name, date and visits between bars, a comment prompt, an archive
    # kept for subscribers, font tools in a row
    ("صوت المدينة | الاثنين، 19 ديسمبر، 2016 على الساعة 18:10 | عدد الزيارات : 3638", "chrome:date"),
    ("عدد الزيارات : 3638", "chrome:view-counter"),
    ("قم بكتابة أول تعليق", "chrome:comment-prompt"),
    ("هذا المقال مؤرشف، يتوجب عليك الاشتراك لتتمكن من الاطلاع على المقالات المؤرشفة.", "chrome:account"),
    ("زيادة حجم الخط مسح إنقاص حجم الخط", "chrome:page-tool"),
    # the sixteenth: a comment prompt, a subscribers' login, a close button, a link to the
    # site's other stories, a sentence-long ad-blocker plea
    ("اضافة تعليق", "chrome:comment-prompt"),
    ("تسجيل دخول المشتركين", "chrome:account"),
    ("يمكنكم تسجيل دخولكم أسفله إن كنتم مشتركين", "chrome:account"),
    ("إغلاق", "chrome:icon-label"),
    ("للمزيد على يورونيوز:", "read-also"),
    ("آخر تحديث 2017-06-06 00:00:00 - المصدر: وكالة الأنباء", "chrome:date"),
    # the seventeenth: an address a content network hid, a cookie notice cut before its start
    # and its policy's link
    ("بامكانكم ارسال مواد إلى العنوان : [email protected]", "chrome:contact"),
    ("[email protected]", "chrome:contact"),
    (
        "الإعلانات). من خلال الاستمرار في استخدام موقعنا، فإنك توافق على استخدامنا لملفات تعريف الارتباط وفق",
        "chrome:cookies",
    ),
    ("سياسة ملفات الارتباط.", "chrome:cookies"),
    (
        "نود أن نشكركم على زيارتكم لموقعنا. لكننا نود أيضًا تقديم تجربة مميزة لكم. لكن يبدو أن مانع الإعلانات "
        "الذي تستخدمونه يعيقنا في تقديم أفضل ما لدينا.",
        "chrome:advert",
    ),
    # the eighteenth: a theme's heading over its comments, an interviewer's credit, a city
    # with a site whose name is glued to its ending
    ("Discussion about this post", "chrome:comment-prompt"),
    ("حاوره في بغداد / سامر الجبوري -", "chrome:byline"),
    ("حاورته: ليلى منصور", "chrome:byline"),
    ("نواكشوط، شنقيطنيوز", "chrome:byline"),
    # an update label with a clock time only, or alone (copy set 44, story set 42)
    ("آخر تحديث GMT 02:51:19", "chrome:date"),
    ("آخر تحديث:", "chrome:date"),
    ("Last updated: 10:15 pm", "chrome:date"),
    # the site's name, its sections and tags joined by bare commas (story set 47)
    ("مدار الأيام,أخبار عربية ودولية,وزارة الداخلية", "chrome:tags"),
    # the nineteenth held-out set: the site's channels and app, a comment form's prompt and
    # counter, bare contact labels, an agency's end mark, a site named with «نيوز» alone
    ("تابعنا على مواقع التواصل الاجتماعى", "chrome:follow"),
    ("قناتنا على التلغرام : https://t.me/example", "chrome:follow"),
    ("حمل تطبيق (أخبار الوادي) من Google Play", "chrome:follow"),
    ("أُترك رد", "chrome:comment-prompt"),
    ("كتابة تعليق لموضوع : البلدية تطلق حملة لتنظيف الشوارع", "chrome:comment-prompt"),
    ("0 التعليقات:", "chrome:comment-counter"),
    ("هاتف:", "chrome:contact"),
    ("البريد الإلكتروني:", "chrome:contact"),
    ("انتهى.", "continuation-marker"),
    ("واديانيوز", "chrome:byline"),
    # the twentieth: an aggregator's pointer and credit, a shortcode, a hashtags label, an
    # empty comment section, the app and a plugin's "discover more"
    ('لقراءة المقال بالكامل، يرجى الضغط على زر "اقرأ على الموقع الرسمي" أدناه', "chrome:source"),
    ("هذا المحتوى مقدم من وادي سبورت", "chrome:source"),
    ('[sc name="1000"][/sc]', "chrome:script"),
    ("هاشتاغز", "chrome:tags"),
    ("لا يوجد تعليقات بعد...", "chrome:comment-counter"),
    ("تابع الأحداث الرياضية و حمل التطبيق الآن", "chrome:follow"),
    ("اكتشاف المزيد من موقع دار الوادي", "chrome:follow"),
    # a date line with its time zone, and a news app among the networks (copy set 49, story set 45)
    ("نشر بتاريخ : 20/11/2023 توقيت الوادي - الساحل 11:21:48 PM", "chrome:date"),
    ("الخميس 17 تشرين الأول , 2019 08:30 توقيت الوادي عــربـي", "chrome:date"),
    ("نبض تيليجرام فيس بوك", "chrome:share"),
    # the twenty-first: a Hijri date after "الموافق لـ", a follow prompt naming the site, an
    # aggregator's intro above every article
    ("الاثنين 25 نوفمبر 2024 الموافق لـ 23 جمادى الأولى 1446", "chrome:date"),
    ("تابع آخر الأخبار من الوادي21 على WhatsApp", "chrome:follow"),
    ("نعرض لكم زوارنا أهم وأحدث الأخبار فى المقال الاتي:", "chrome:site-intro"),
    # a date line's separators are no words (the nineteenth)
    ("الأحد - 21 سبتمبر 2025 - الساعة 06:01 م بتوقيت الوادي ،،،", "chrome:date"),
    # the twenty-second: bylines after a bar or a full stop, a photographer's credit, a blog
    # engine's author box, a forum's buttons and sign-up notice, a related-articles label
    # with its article, a picture's alt text, another story's link with its date glued on,
    # a forum's list of its latest topics with their counters
    ("كتبت | سلمى الوادي و عمر الساحل", "chrome:byline"),
    ("بقلم. سامي الوادي .", "chrome:byline"),
    ("تصوير سامي الوادي.", "chrome:byline"),
    ("تصوير: سامي الوادي", "chrome:byline"),
    ("Latest posts by سامي الوادي (see all)", "chrome:byline"),
    ("اذهب الى الأسفل", "chrome:back-to-top"),
    ("العودة إلى الصفحة الرئيسية", "chrome:back-to-top"),
    ("إرسال التعليق", "chrome:comment-prompt"),
    (
        "هل تريد التفاعل مع هذه المساهمة؟ كل ما عليك هو إنشاء حساب جديد ببضع خطوات أو تسجيل الدخول للمتابعة.",
        "chrome:account",
    ),
    ("المقالات المتعلقة بفوائد التمر", "read-also"),
    ("صورة", "chrome:slide"),
    ("- 2025-08-04مجلس البلدية يقر ميزانية العام المقبل", "chrome:dated-link"),
    ('- 2025-07-29"صدى الوادي" يحاور وزير الزراعة', "chrome:dated-link"),
    (
        "آخر المواضيع : فوائد التمر (آخر مشاركة : سامي - عددالردود : 18 - عددالزوار : 828 ) » "
        "أذكار الصباح (آخر مشاركة : عمر - عددالردود : 5 - عددالزوار : 90 )",
        "chrome:forum-list",
    ),
    # the twenty-third: a date line naming both calendars
    ("الجمعة 03 ماي 2024 ميلادي, الموافق لـ 24 شوال 1445 هجري", "chrome:date"),
]

# Prose sharing the words of some chrome pattern: must stay.
TRAPS = [
    "شارك الرئيس في القمة",
    "شارك في المؤتمر أكثر من ألف مندوب من عشرين دولة",
    "شاركت فرنسا بقوات في المناورات على فيسبوك وخارجه، وفق الوزارة",
    "نشر الجيش 463 جندياً على الحدود",
    # a path that goes on into a sentence, a file name of one word, bars around prose,
    # an interview's question, a sentence about a subscription
    "الرئيسية / أخبار / أعلنت الحكومة اليوم خطة جديدة للنقل العام تشمل خطوطا للحافلات والقطارات في العاصمة وضواحيها خلال السنوات الخمس المقبلة. وقال الوزير إن التمويل متوفر",
    "covid-19-vaccine",
    "سياسة | الرئيس يزور المدينة الساحلية",
    "ما رأيك في أداء المنتخب في البطولة؟",
    "وقال إنه اشترك في المسابقة",
    "هاتف المسؤول لم يرد على اتصالاتنا طوال اليوم",
    "واجه المستخدمون صعوبة في تسجيل الدخول إلى المنصة الحكومية",
    "المزيد من القوات وصل إلى المدينة فجر اليوم",
    "دعت الجمعية إلى تعطيل مانع الإعلانات في متصفحات المدارس",
    "قال مراسل سكاي نيوز",
    "حاوره الرئيس في قصر الاتحادية حول الأزمة",
    "غزة، فلسطين",
    "آخر تحديث للقانون صدر أمس عن البرلمان",
    "زار الوزير الرياض, جدة, والدمام خلال الأسبوع",
    "بلغت الأسعار 1,200,000 دينار,وفق البيان",
    "قناة الجزيرة على تويتر نشرت المقطع",
    "حسابنا على تويتر تعرض للاختراق أمس وفق بيان الشركة",
    "انتهى الاجتماع دون اتفاق.",
    "هاتف",
    "هذا المحتوى مقدم من جهات رسمية تؤكد صحته وقال الوزير",
    "اكتشف المزيد من الأسرار في هذا الكتاب الذي صدر أمس.",
    "[1] انظر الملحق",
    "The discussion about this post office closure went on for hours.",
    "نعلم أن القراء ينتظرون نتائج التحقيق منذ أشهر",
    "انتقد الرئيس صحيفة واشنطن بوست",
    "الموقع يستخدم ملفات الشركة دون إذن منها",
    "تابع الوزير على فيسبوك نقاشا حادا بين الناشطين حول القانون | وقال إن الحكومة ستراجع موقفها",
    "وقال إن عدد المشاهدات تجاوز المليون خلال يوم واحد بحسب المنصة.",
    "تم نسخ الوثائق السرية قبل تسريبها إلى الصحافة في واشنطن بعد أيام من الاجتماع",
    "وتابع أن الولايات المتحدة تؤيد الحوار بين الطرفين",
    "شاهد العيان قال إن الانفجار وقع قرب السوق",
    "اقرأ المقال كاملاً في العدد المقبل من المجلة الذي يصدر الأحد المقبل عن دار النشر",
    "التعليقات التي أدلى بها الوزير أثارت جدلاً واسعاً",
    "لن يتم نشر القوات قبل موافقة البرلمان",
    "تعليقات الوزير مغلقة أمام الصحفيين منذ أسبوع بحسب مكتبه",
    "يستخدم الموقع العسكري ملفات سرية لتخزين البيانات",
    "هل أعجبك قرار الحكومة؟ سؤال طرحناه على المارة في السوق",
    "تم طباعة مليون نسخة من الكتاب المدرسي الجديد",
    "اشترك الجيش في المناورات المشتركة",
    "تابعنا الحدث عن كثب طوال الليل",
    "تابع الوزير على تويتر تصريحات نظيره",
    "تابع الرئيس الخطاب عبر التلفزيون الرسمي من القصر",
    "تابع الملايين المباراة عبر تطبيق يوتيوب من منازلهم",
    "العبور | عبر الحدود",
    "ستُعقد القمة يوم 7 كانون الأول/ديسمبر 2021 عبر اتصال مرئي آمن.",
    "القاهرة في 7 ديسمبر 2021",
    "وقالت وكالة رويترز إن الاجتماع تأجل.",
    "المتحدث باسم وزارة الدفاع الأمريكية جون كيربى",
    "Share prices fell sharply on Monday",
    "Read the full statement below.",
    "Related talks will resume next week in Geneva.",
    "More news is expected after the meeting.",
    "Comments by the minister drew criticism.",
    "The minister said more troops would follow.",
    "يتبع الحزب سياسة جديدة تجاه الانتخابات",
    "سبعة جنود قتلوا في الهجوم",
    "بوتين يسعى للحصول على ضمانات أمنية",
    "(الناتو)",
    "Photo shows the damaged bridge",
    "إعلان الحكومة حالة الطوارئ في البلاد",
    "استمع القاضي إلى أقوال الشهود",
    "the post office in Gaza appeared first on the list of damaged buildings, officials said",
    "للمزيد من التفاصيل حول الاتفاق الذي وُقّع هنا في العاصمة",
    "للاطلاع على الرابط بين القضيتين عقدت اللجنة جلسة هنا",
    "متابعة أخبار الحرب على تلغرام صارت عادة يومية لدى الشباب في المدينة وفق الاستطلاع الأخير",
    "انتقل إلى المحتوى الجديد للمنهج الدراسي أكثر من مليون طالب هذا العام",
    "مصدر الخبر مسؤول في الوزارة طلب عدم ذكر اسمه",
    "منذ سنة الحرب الأولى لم تعد المدينة كما كانت",
    "بحث الوزير مع نظيره سبل التعاون",
    "تابعنا التطورات حتى ساعات الفجر",
    "التعليقات على القرار جاءت متباينة بين مؤيد ومعارض",
    "Internationalization",
    "سحابة الدخان غطت الكلمات المكتوبة على الجدار",
    "وقال رئيس مجلس الإدارة سامي نور إن الشركة ستوسع أعمالها",
    "ومن أخبارنا المحلية أن المجلس البلدي أقر الميزانية الجديدة",
    "المحتوى محمي بموجب قانون حقوق النشر الذي أقره البرلمان العام الماضي",
    "إعداد الموازنة يستغرق أشهرا",
    "مسح",
    "مسح شامل للأراضي الزراعية",
    "المقال المؤرشف في المكتبة الوطنية يعود إلى القرن التاسع عشر وفق الباحثين",
    "إغلاق الطرق المؤدية إلى العاصمة",
    "آخر تحديث للبيانات - وقال المصدر إن الأرقام ستنشر غدا",
    "أقر البرلمان قانونا جديدا يلزم المواقع بسياسة ملفات تعريف الارتباط قبل جمع بيانات المستخدمين",
    "وقال إن إضافة تعليقات المواطنين إلى القانون ستتم الشهر المقبل",
    "للمزيد على الموقع الرسمي للوزارة يمكن زيارة صفحتها",
    "أظهرت دراسة أن مانع الإعلانات أكثر انتشارا بين الشباب",
    "نبض",
    "توقيت الوادي 2019",
    "نعرض لكم في هذا التقرير أهم الأرقام التالية:",
    "تابع الوزير آخر التطورات من مقر الوزارة على مدى يومين",
    "تصوير الفيلم بدأ في الصحراء الشهر الماضي وسط إجراءات أمنية مشددة",
    "2025-08-04 اجتمع المجلس البلدي وأقر الميزانية",
    "وقال إن عدد الزوار تجاوز المليون هذا العام",
    "العودة إلى المدارس تبدأ الأحد المقبل",
    "صورة الرئيس على الجدار",
]


@pytest.mark.parametrize(("line", "reason"), CHROME)
def test_chrome_line_is_recognised(line: str, reason: str) -> None:
    assert classify_line(line.strip()).reason == reason


@pytest.mark.parametrize("line", TRAPS)
def test_prose_with_chrome_words_is_kept(line: str) -> None:
    assert classify_line(line).reason is None


def test_date_meta_line_gives_the_time() -> None:
    found = classify_line("• clock 7 ديسمبر 2021, 9:21:37 ص").published
    assert found is not None and found.iso == "2021-12-07T09:21:37"
    found = classify_line("نشر في: الثلاثاء 7 كانون الأول 2021 - 10:15 مساءً").published
    assert found is not None and found.iso == "2021-12-07T22:15:00"
    assert classify_line("eye 463").published is None
    # a time zone between the date and its time
    found = classify_line("نشر بتاريخ : 20/11/2023 توقيت الوادي - الساحل 11:21:48 PM").published
    assert found is not None and found.iso == "2023-11-20T23:21:48"


def test_a_poll_label_alone_introduces_its_question() -> None:
    assert classify_line("شارك برأيك").introduces_question
    assert classify_line("استطلاع الرأي").introduces_question
    assert not classify_line("شارك برأيك في التعليقات أسفل الخبر").introduces_question


def test_bare_read_also_label_introduces_the_next_lines() -> None:
    assert classify_line("اقرأ أيضاً").introduces_links is True
    assert classify_line("اقرأ أيضاً:").introduces_links is True
    assert classify_line("اقرأ أيضاً: الحكومة تقر الموازنة").introduces_links is False


def test_a_dateline_of_its_own_with_the_agency_last_is_a_dated_credit() -> None:
    kind = classify_line("الرياض 5 شعبان 1445 هـ الموافق 15 فبراير 2024 م واس")
    assert (kind.reason, kind.agencies) == ("agency-credit", ("spa",))
    assert kind.published is not None and kind.published.iso == "2024-02-15"
    # a place and a date with no agency, or a sentence naming one: not a credit
    assert classify_line("القاهرة 15 فبراير 2024 م").reason != "agency-credit"
    assert classify_line("قالت واس في 15 فبراير 2024 إن الاجتماع انعقد").reason is None


@pytest.mark.parametrize(
    ("credit", "agencies"),
    [
        ("د ب ا", ("dpa",)),
        ("(د.ب.أ)", ("dpa",)),
        ("(أ ف ب)", ("afp",)),
        ("AFP", ("afp",)),
        ("رويترز", ("reuters",)),
        ("Reuters", ("reuters",)),
        ("سبوتنيك", ("sputnik",)),
        ("Sputnik", ("sputnik",)),
        ("(أ ش أ)", ("mena",)),
        ("واس", ("spa",)),
        ("قنا", ("qna",)),
        ("الأناضول", ("anadolu",)),
        ("وام", ("wam",)),
        ("بترا", ("petra",)),
        ("كونا", ("kuna",)),
        ("سانا", ("sana",)),
        ("AP", ("ap",)),
        ("أسوشيتد برس", ("ap",)),
        ("وكالة الأنباء الألمانية", ("dpa",)),
        ("فرانس برس", ("afp",)),
        ("شينخوا", ("xinhua",)),
        ("رويترز / أ ف ب", ("reuters", "afp")),
        ("(رويترز وأ ف ب)", ("reuters", "afp")),
        ("المصدر: رويترز", ("reuters",)),
        ("وكالات", ()),
        # several names in one chunk, one with "و" attached, among credit words
        ("رويترز وأ ف ب ووكالات", ("reuters", "afp")),
        ("وكالات ورويترز", ("reuters",)),
        ("رويترز وكالة فرانس برس", ("reuters", "afp")),
    ],
)
def test_credit_line_agencies(credit: str, agencies: tuple[str, ...]) -> None:
    assert credit_agencies(fold(credit)) == agencies
    kind = classify_line(credit)
    assert kind.reason == "agency-credit"
    assert kind.agencies == agencies


@pytest.mark.parametrize("line", ["غيتي - أناضول", "Getty Images", "EPA / رويترز", "(جيتي إيميجز)"])
def test_a_photo_credit_names_no_agency_of_the_text(line: str) -> None:
    assert credit_agencies(fold(line)) is not None  # made of credit words and agency names
    assert classify_line(line) == LineClass("chrome:photo-credit")


@pytest.mark.parametrize(
    ("line", "agencies"),
    [
        ("الشارقة 24 – وام:", ("wam",)),
        ("الخرطوم-سبأ:", ("saba",)),
        ("موسكو - رويترز -", ("reuters",)),
    ],
)
def test_a_dateline_on_a_line_of_its_own_is_a_credit(line: str, agencies: tuple[str, ...]) -> None:
    assert credit_agencies(fold(line)) is None  # a place is no credit word
    kind = classify_line(line)
    assert (kind.reason, kind.agencies) == ("agency-credit", agencies)
    # the same dateline opening a paragraph is no line of its own
    assert classify_line(line + " أعلنت الوزارة اليوم تسجيل حالة جديدة.").reason is None


@pytest.mark.parametrize(
    "text",
    [
        "الأناضول تشهد أمطاراً",
        "رويترز قالت ذلك",
        "بترا مدينة أثرية",
        "قنا السويس",
        "رويترز فرانس",  # a name's word alone is no name
        "x'رويترز",  # a character left beside a name
        "رويترزرويترز",
        "غيتي قالت ذلك",
    ],
)
def test_prose_naming_an_agency_is_not_a_credit(text: str) -> None:
    assert credit_agencies(fold(text)) is None


@pytest.mark.parametrize(
    ("line", "agencies"),
    [
        ("وأكد الوزير أن المفاوضات مستمرة. (د ب أ)", ("dpa",)),
        ("موسكو - رويترز - قال الكرملين إن القمة ستعقد الثلاثاء.", ("reuters",)),
        ("القاهرة - أ ش أ: أعلنت الحكومة خطة جديدة.", ("mena",)),
        ("عمّان (بترا) - افتتح الوزير المعرض.", ("petra",)),
        ("MOSCOW (Reuters) - The Kremlin said on Monday it would talk.", ("reuters",)),
        ("وقالت وكالة رويترز إن الاجتماع تأجل.", ()),
        ("زار الوفد مدينة بترا الأثرية (جنوب الأردن) أمس.", ()),
    ],
)
def test_credits_inside_prose(line: str, agencies: tuple[str, ...]) -> None:
    assert inline_credit_agencies(fold(line)) == agencies


def test_leading_dateline_parenthesis() -> None:
    line = "( نيوز نتورك ۔ / سبوتنيك - 03 مارس 2022ء) قال المتحدث إن الوفد وصل."
    dateline = leading_dateline(line)
    assert dateline is not None
    assert line[dateline.end :] == "قال المتحدث إن الوفد وصل."
    assert dateline.agencies == ("sputnik",)
    assert dateline.published is not None and dateline.published.iso == "2022-03-03"

    dateline = leading_dateline("(رويترز) - أعلنت الشركة أرباحها.")
    assert dateline is not None and dateline.agencies == ("reuters",)
    assert "(رويترز) - أعلنت الشركة أرباحها."[dateline.end :] == "أعلنت الشركة أرباحها."

    assert leading_dateline("(الناتو) هو حلف عسكري تأسس عام 1949.") is None
    assert leading_dateline("(د ب أ)") is None  # a whole credit line is not a dateline


def test_agencies_in_longer_text() -> None:
    assert agencies_in(fold("اردو بوينت / سبوتنيك - 07 ديسمبر 2021")) == ("sputnik",)
    assert agencies_in(fold("لا وكالة هنا")) == ()


def test_patterns_are_written_in_folded_spelling() -> None:
    """Patterns run on folded lines: a letter that folding changes (أ, ى, ة, ئ …) would
    make a pattern silently unreachable."""
    import importlib
    import re

    for module in map(
        importlib.import_module,
        (
            "streams.clean_blocks",
            "streams.clean_chrome",
            "streams.clean_credits",
            "streams.clean_dates",
            "streams.clean_labels",
            "streams.clean_notices",
            "streams.clean_site_name",
            "streams.clean_teasers",
        ),
    ):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                arabic = [ch for ch in value.pattern if "\u0600" <= ch <= "\u06ff"]
                unfolded = [ch for ch in arabic if fold(ch) != ch]
                assert not unfolded, f"{module.__name__}.{name}: {unfolded}"
                # any other character folding changes ("»" to '"', "–" to "-") may stay in a
                # pattern only beside its folded form, which the folded text holds instead
                others = {ch for ch in value.pattern if not ch.isascii() and not "\u0600" <= ch <= "\u06ff"}
                unreachable = sorted(ch for ch in others if fold(ch) != ch and fold(ch)[:1] not in value.pattern)
                assert not unreachable, f"{module.__name__}.{name}: {unreachable}"


def test_read_more_button_does_not_swallow_the_next_lines() -> None:
    assert classify_line("اقرأ المزيد").introduces_links is False
    assert classify_line("Read more").introduces_links is False
    assert classify_line("Related").introduces_links is True
    assert classify_line("أخبار ذات صلة").introduces_links is True
    assert classify_line("أخبار ذات علاقة").introduces_links is True


def test_parenthesis_naming_an_agency_only_inside_a_phrase_is_no_dateline() -> None:
    assert leading_dateline("(Spa town of Bath) The council met on Monday.") is None
    dateline = leading_dateline("(AP Photo / Reuters) The council met on Monday.")
    assert dateline is not None and dateline.agencies == ("reuters",)


def test_a_long_line_of_symbols_is_not_prose() -> None:
    # more than 40 tokens, none a word: long lines are prose only when they hold words
    assert classify_line("؟ " * 45).reason == "chrome:symbols"
    assert classify_line("❶ " + "؟ " * 45).reason == "chrome:symbols"  # ❶ is a word character
    assert classify_line("❶ " + "قال " * 45).reason is None
