"""Page chrome, recognised one whole line at a time.

A line is chrome only when the *whole* line is chrome: a share bar is a short line made
only of share words and network names, a view counter is a counter word and a number,
and so on. A sentence that merely contains such a word ("شارك الرئيس في القمة") is
prose and stays. Patterns run on the folded line (``streams.textnorm.fold``: hamza forms,
ة/ه, ى/ي, tanween, Arabic-Indic digits and Latin case are unified), so one pattern covers
أيضاً/أيضًا/ايضا and ٤٦٣/463.

A line that only credits an agency ("(د ب أ)") is classed here, with the agencies it names
(``streams.clean_credits`` reads credits, and those inside prose). The notice an agency
closes its dispatches with is ``streams.clean_footer``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from streams.clean_credits import AGENCIES, DATELINE_CREDIT, PHOTO_CREDIT_WORDS, PHOTO_VIA, agency_key, credit_agencies
from streams.clean_dates import FoundDate, find_dates
from streams.clean_notices import is_account_line, long_notice, reader_prompt
from streams.textnorm import fold


def _folded_words(words) -> frozenset[str]:
    """A vocabulary in folded spelling (so it may be written with أ, ى, ة …)."""
    return frozenset(fold(word) for word in words)


# ------------------------------------------------------------------------ line classes


@dataclass(frozen=True, slots=True)
class LineClass:
    """What a line is. ``reason`` None means prose to keep."""

    reason: str | None
    published: FoundDate | None = None
    agencies: tuple[str, ...] = ()
    # A bare "اقرأ أيضاً" label: the headline(s) it introduces follow on the next lines.
    introduces_links: bool = False
    # A bare staff-box label ("رئيس التحرير"): the name follows on the next line.
    introduces_name: bool = False
    # A bare poll label ("شارك برأيك"): the poll's question may follow on the next line.
    introduces_question: bool = False


PROSE = LineClass(None)

# (not "»", folded to a quote: a line opening with a quote is a quotation)
_LEADING_MARKS = re.compile(r"^[\s•·▪▫◦‣⁃●○■□►▶▸◆◇★☆✓✔>|*\-~=\u2022\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F]+")
_HAS_WORD = re.compile(r"\w")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_EYE_ICONS = frozenset("👁👀")
_COUNT = re.compile(r"^\d[\d,.]*\s*[km]?$")

_VIEW_WORDS = (
    r"eye|views?|viewed|reads?|hits|visits|مشاهدات|مشاهده|المشاهدات|عدد المشاهدات|"
    r"قراءات|قراءه|عدد القراءات|زيارات|زياره|عدد الزيارات|الزيارات|شوهد|👁|👀"
)
_VIEW_COUNTER = re.compile(
    rf"^(?:{_VIEW_WORDS})\s*:?\s*\d[\d,.]*\s*[km]?(?:\s*(?:views?|مشاهده|مشاهدات|قراءه|قراءات|مره|مرات))?$"
    r"|^\d[\d,.]*\s*[km]?\s*(?:views?|reads?|مشاهده|مشاهدات|قراءه|قراءات|زياره|زيارات)$"
)
_VIEW_COUNTER_PART = re.compile(rf"\(\s*(?:{_VIEW_WORDS})\s*:?\s*\d[\d,.]*\s*\)")
_ICON_LABEL = re.compile(
    r"^(?:profile|user|author|avatar|person|account|clock|calendar|time|date|eye|comment|"
    r"comments|bookmark|icon|tags?|menu|search|close|home|بحث|اغلاق)$"
    # a theme's alt text for the site's icon, the site's name after it ("Site icon <site> | …")
    r"|^site\s+(?:icon|logo)\b"
    # an icon font's ligature name, its text when the font is missing ("bar_chart_4_bars"),
    # and a machine token left as text (a tracker's base64, 16+ letters and digits, no space)
    r"|^[a-z]+(?:_[a-z0-9]+)+$|^(?=[a-z0-9+/]*\d)[a-z0-9+/]{16,}={0,2}$"
)
_PAGE_TOOL = re.compile(
    r"^(?:اكتب\s+(?:ال)?(?:كلمات\s+(?:ال)?(?:رييسيه|مفتاحيه)|كلمه\s+(?:ال)?بحث)(?:\s+(?:في|لل)\s*(?:ال)?بحث)?|"
    r"حجم\s+الخط|تكبير\s+الخط|تصغير\s+الخط|a\s*\+\s*a\s*-|a\s*-\s*a\s*\+|a\+|a-|"
    r"\+\s*a|-\s*a|a\s*\+|a|"
    r"استمع(?:\s+(?:الي\s+|ل)?(?:ال)?(?:خبر|مقال|مقاله))?|listen(?:\s+to\s+(?:this\s+)?(?:article|story))?|"
    r"حفظ|save|bookmark|تصغير|تكبير)$"
)
# a page's font tools in a row: "زيادة حجم الخط مسح إنقاص حجم الخط" (the fifteenth held-out
# cleaner set)
_FONT_TOOL = r"(?:(?:(?:زياده|انقاص|تكبير|تصغير)\s+)?حجم\s+(?:ال)?خط|(?:تكبير|تصغير)\s+(?:ال)?خط|مسح|a\s*[+-])"
_FONT_TOOLS = re.compile(rf"^{_FONT_TOOL}(?:\s+{_FONT_TOOL})+$")
_ADVERT = re.compile(
    r"^(?:advertisements?|advert|ads?|sponsored(?:\s+content)?|اعلان|اعلانات|مساحه\s+اعلانيه|"
    r"محتوي\s+(?:مدعوم|ممول|اعلاني)|اعلان\s+ممول)$"
    # the plea to turn an ad blocker off ("برجاء دعمنا عن طريق تعطيل إضافة Adblock": the
    # eleventh held-out cleaner set)
    r"|(?:\S+\s+){0,2}?(?:برجاء|يرجي|الرجاء|رجاء|نرجو|من\s+فضلك|please)\s.*"
    r"(?:adblock|ad\s*blocker|مانع\s+(?:ال)?اعلانات|حاجب\s+(?:ال)?اعلانات)"
)
_COPIED = re.compile(
    # (and a copy-protection plugin's message: "error: Content is protected !!", "تنبيه: المحتوى
    # محمي !!": the fourteenth held-out cleaner set)
    r"^(?:(?:error|alert|تنبيه|خطا)\s*:\s*)?(?:content\s+is\s+protected|(?:ال)?محتوي\s+محمي(?:\s+من\s+(?:ال)?نسخ)?)\s*[!.]*$|"
    r"^(?:تم\s+نسخ\b.*|(?:link|url|text|address)\s+(?:was\s+)?copied\b.*|copied(?:\s+to\s+clipboard)?!?|"
    r"copy\s+(?:the\s+)?link|(?:ا?نسخ)\s+(?:ال)?رابط(?:\s+\S+)?)$"
)
_SLIDE = re.compile(
    r"^(?:slide|شريحه|الشريحه|صوره|الصوره|photo|image|picture|img|الصور)\s*(?:رقم\s*)?\d+"
    r"(?:\s*(?:/|of|من)\s*\d+)?$|^\d+\s*(?:/|of|من)\s*\d+$"
    r"|^(?:صوره|الصوره|photo|image)$"  # a picture's alt text alone (the twenty-second)
)
_COMMENT_COUNTER = re.compile(
    r"^(?:التعليقات|تعليقات|التعليق|تعليق|عدد التعليقات|comments?|responses?|replies)"
    r"\s*:?\s*[(\[]?\s*\d+\s*[)\]]?$"
    r"|^[(\[]?\d+[)\]]?\s*(?:(?:ال)?تعليق|(?:ال)?تعليقات|comments?|responses?|replies)\s*:?$"
    r"|^(?:لا\s+(?:توجد|يوجد)\s+تعليقات(?:\s+بعد)?|لا\s+تعليقات|no\s+comments?(?:\s+yet)?|(?:ال)?تعليقات|comments)\.{0,3}$"
)
# a script left in the text: "document.BridIframeBurst=true;", "var _bos = _bos||[]; …"
_SCRIPT = re.compile(
    r"^(?:var|let|const|function|document\.|window\.|googletag\.|\(function|\$\(|jquery\()"
    # a publishing system's shortcode left as text ("[sc name="1000"][/sc]": the twentieth)
    r"|^\[[a-z_]+\s[^\]]*=[^\]]*\](?:\s*\[/[a-z_]+\])?$|^\[[a-z_]+\]\s*\[/[a-z_]+\]$"
)
_READ_ALSO = re.compile(
    r"^(?:(?:اقرا|طالع|شاهد|انظر|تابع|اقراي|اقريي)\s+(?:ايضا|كذلك|المزيد)"
    r"|(?:اقرا|طالع|شاهد|المزيد)(?=\s*[:\-|\"])"
    r"|(?:read|see|watch)\s+(?:also|more)|also\s+(?:read|see|watch)"
    r"|(?:related(?:\s+(?:news|articles?|stories|posts|coverage|topics))?|more\s+(?:news|stories))"
    r"(?=\s*[:\-|\"]|$)"
    r"|(?:ال)?(?:مواضيع|اخبار|مقالات|موضوعات|قصص|روابط)\s+(?:ذات\s+(?:صله|علاقه)|(?:ال)?(?:متعلقه|مرتبطه|مشابهه))"
    r"|ذات\s+صله(?=\s*[:\-|\"]|$)|المزيد\s+من\s+الاخبار|نرشح\s+لكم?(?=\s*:)"
    # a list of other stories put inside the article: "للخبر بقية في الأسفل.. ومن أخبارنا
    # أيضاً:" (the fourteenth held-out cleaner set)
    r"|(?:(?:للخبر|للمقال|للموضوع)\s+بقيه(?:\s+في\s+(?:ال)?اسفل)?\s*\.*\s*)?و?من\s+اخبارنا(?:\s+ايضا)?(?=\s*[:.…]*\s*$)"
    # a link to a section: "المزيد من مشاهير العرب" (two words at most after it)
    r"|المزيد\s+من\s+\S+(?:\s+\S+)?$"
    # "للمزيد على يورونيوز:" (a link to the site's other stories: the sixteenth held-out set)
    r"|للمزيد\s+(?:علي|عبر)\s+\S+(?:\s+\S+)?(?=\s*:\s*$)"
    r"|اكمل\s+القراءه|تابع\s+القراءه|قراءه\s+المزيد|قراءه\s+المقال\s+(?:كاملا|الكامل)|continue\s+reading"
    r"|read\s+(?:the\s+)?full\s+(?:story|article|text))"
    r"(?=$|[\s:\-–|»\"'.…])"  # also "اقرأ أيضا.. <headline>"
)
# "اقرأ أيضاخبير …": the label glued to the headline when its link was inline ("ايضاح",
# a clarification, is a word: not after ح)
_READ_ALSO_GLUED = re.compile(r"^(?:اقرا|طالع|شاهد|انظر|تابع)\s+ايضا(?=[^\W\d_ح])")
# A read-also line that is only its label; the linked headline is on the next line(s).
_READ_ALSO_LABEL_ONLY = re.compile(r"\s*[:\-|\"]?\s*$")
_LINK_LIST_LABEL = re.compile(r"ايضا|كذلك|also|related|صله|علاقه|متعلقه|مرتبطه|مشابهه|روابط")
_CONTINUATION = re.compile(
    r"^[(\[{]\s*(?:تستمر|يتبع|تتبع|يتواصل|تتمه|تابع|للمزيد|مزيد|المزيد|more|continued|cont'?d|"
    r"to\s+be\s+continued|انتهي|end|نهايه)\s*(?:\.{1,3})?\s*[)\]}]$"
    r"|^(?:يتبع|تستمر|يتبع\s*\.{2,3}|to\s+be\s+continued|continued\s+on\s+(?:the\s+)?next\s+page|"
    r"-+\s*(?:more|end|انتهي)\s*-+|(?:more|end|انتهي)\s*-+|انتهي\s*\.?)$"
)
# "The post <headline> appeared first on <site>.": what a common publishing system appends
# to every item of its feeds (the headline makes it as long as a sentence).
_FEED_FOOTER = re.compile(r"^the\s+post\s+.+\s+appeared\s+first\s+on\s+[^.,!?]{1,60}\.?$")
FEED_FOOTER_MAX_WORDS = 60
_FOOTER = re.compile(
    r"^تم\s+طباعه\s+(?:هذا|هذه)\s+(?:ال)?(?:خبر|مقال|مقاله|موضوع)\b|"  # a printed page's footer
    r"©|\(c\)\s*\d{4}|^copyright\b|جميع\s+الحقوق\s+محفوظه|الحقوق\s+محفوظه|حقوق\s+(?:النشر|الطبع)"
    r"(?:\s+والتوزيع)?\s+محفوظه|all\s+rights\s+reserved|حقوق\s+النشر\s+\d{4}"
    # the web agency's credit: "تنفيذ و استضافة وتطوير <agency>", "Powered by …"
    r"|^(?:تصميم|تطوير|تنفيذ|برمجه)\s*و\s*(?:تصميم|تطوير|تنفيذ|برمجه|استضافه)|^(?:designed|developed|powered)\s+by\b"
    r"|^optimi[sz]ed\s+(?:with|by)\b"  # a speed plugin's credit
)
_SUBSCRIBE = re.compile(
    # (after up to three words: "متابعة آخر الأخبار اشترك بقناة التليغرام …")
    r"^(?:\S+\s+){0,3}?(?:اشترك|اشتركوا|اشتركي|سجل|سجلوا|subscribe|sign\s+up|join)\b.*"
    r"(?:نشر|بريد|قنا|newsletter|inbox|e-?mail|الان|now|مجانا|free|للوصول|تلغرام|تيليجرام|تليجرام|تليغرام|telegram|"
    r"يوتيوب|youtube|واتساب|whatsapp|للحصول|لتصلك|to\s+get|to\s+receive|اخر\s+الاخبار|latest|updates|"
    r"تنبيهات|alerts)"
    r"|^(?:النشره\s+البريديه|القايمه\s+البريديه|newsletter|نشرتنا\s+البريديه)\s*:?$"
)
_SOCIAL = (
    r"فيسبوك|فيس\s*بوك|تويتر|انستغرام|انستجرام|انستقرام|يوتيوب|تلغرام|تيليجرام|تليجرام|"
    r"واتساب|واتس\s*اب|تيك\s*توك|لينكد\s*ان|سناب\s*شات|اخبار\s+(?:جوجل|غوغل)|(?:جوجل|غوغل)\s+نيوز|"
    r"google\s+news|facebook|"
    r"twitter|instagram|youtube|telegram|whatsapp|tiktok|linkedin|snapchat"
)
_FOLLOW = re.compile(
    rf"^(?:(?:تابعونا|تابعوا|follow\s+us|لمتابعه\s+اخر)\b.*|تابعنا(?:\s+(?:علي|عبر)\s*:?)?|"
    rf"تابع\s+(?:كل|جميع|اخر)\s+(?:ال)?اخبار\.?|"
    rf"follow\s*:.*|(?:تابعنا|تابع)\s+(?:علي|عبر)\s+(?:{_SOCIAL}).*"
    # "تابع <outlet> على <brand> News": the outlet's channel on a news aggregator, or "تابع
    # أحدث الأخبار عبر تطبيق google news" (the app named: a held-out copy set's page)
    # ("للمزيد تابع <outlet> على: فيسبوك | إكس | …": the eighth held-out cleaner set)
    # ("تابع آخر الأخبار من <site> على WhatsApp", said again for Google News: the twenty-first)
    rf"|(?:للمزيد\s+)?تابع\s+(?:\S+\s+){{1,5}}(?:علي|عبر)\s*:?\s*(?:تطبيق\s+|منصه\s+)?(?:{_SOCIAL}|[a-z0-9]+\s+news)"
    r"(?:\s*[|,/]\s*.*|\s+تابع\s+.*)?"  # (more networks after bars, or the prompt again)
    # "متابعة أخبار <outlet> على تلغرام <link>": an agency's channel under its dispatches
    rf"|متابعه\s+(?:\S+\s+){{1,4}}(?:علي|عبر)\s+(?:{_SOCIAL})\b.*"
    # "يمكنكم الآن متابعة آخر الأخبار مجاناً من خلال تطبيق تلغرام" (the thirty-fifth held-out
    # story set: the line ran into the lead below it)
    rf"|(?:يمكنكم|يمكنك)\s+(?:الان\s+)?متابعه\s+.*(?:علي|عبر|خلال)\s+(?:\S+\s+){{0,2}}(?:{_SOCIAL})\b.*"
    rf"|.*(?:اضغط|انقر)\s+هنا.*|.*click\s+here.*"
    # the site's channels and app: "تابعنا على مواقع التواصل الاجتماعي", "قناتنا على التلغرام :
    # <link>", "حمل تطبيق <site> من Google Play" (the nineteenth held-out cleaner set)
    rf"|(?:تابعنا|تابعونا)\s+(?:علي|عبر)\s+(?:مواقع|منصات|شبكات)\s+التواصل(?:\s+الاجتماعي)?"
    rf"|(?:قناتنا|صفحتنا|حسابنا)\s+(?:علي|عبر|في)\s+(?:ال)?(?:{_SOCIAL})\s*:?\s*(?:https?://\S+|@\S+)?"
    rf"|(?:حمل|نزل|download)\s+(?:ال)?(?:تطبيق|app)\b.*(?:google\s+play|app\s+store|اب\s+ستور|جوجل\s+بلاي|غوغل\s+بلاي).*"
    # "… و حمل التطبيق الآن", a publishing plugin's "اكتشاف المزيد من <site>" (the twentieth)
    rf"|.*(?:^|\s)و?\s*حمل\s+(?:ال)?تطبيق\s+(?:الان|مجانا)|(?:اكتشاف|اكتشف)\s+المزيد\s+من\s+(?:موقع\s+)?[^.!?]{{2,40}})$"
)
# "للاطلاع على النص الكامل يرجى زيارة الموقع بالضغط على الرابط التالي: هنا": a prompt to
# follow a link, which on a page is the link's text. Only with a word of clicking (or "the
# following link") and ending on "هنا": "للمزيد من التفاصيل حول الاتفاق" is a sentence.
_LINK_OUT = re.compile(
    r"^و?(?:للاطلاع|لمزيد|للمزيد|لقراءه|لمشاهده|لمتابعه|شاهد)\b"
    r"(?=.*\b(?:الرابط\s+التالي|بالضغط|الضغط|اضغط|بالنقر|النقر|انقر)\b).*\bهنا\s*[.!:]*$"
)
_TAG_LIST = re.compile(
    r"^(?:الوسوم|وسوم|الكلمات\s+المفتاحيه|كلمات\s+مفتاحيه|الكلمات\s+الداله|كلمات\s+داله|"
    r"كلمات\s+دلاليه|الكلمات\s+الدلاليه|ذكر\s+في\s+هذا\s+(?:الخبر|المقال|الموضوع)|سحابه\s+(?:ال)?(?:كلمات|وسوم)|"
    r"كلمات\s+البحث|tags|tagged(?:\s+with)?|topics|keywords|هاشتاغ|هاشتاغز|هاشتاغات|هاشتاجات|الموضوعات|التصنيفات|تصنيف|categories)"
    r"\s*(?::.*|$)"
    r"|^(?:#\w+[\s,]*)+$"
)
# A tag list under a label no sentence opens with may run longer than a chrome line.
_LONG_TAG_LIST = re.compile(
    r"^(?:الوسوم|وسوم|الكلمات\s+المفتاحيه|كلمات\s+مفتاحيه|الكلمات\s+الداله|كلمات\s+داله|"
    r"كلمات\s+دلاليه|الكلمات\s+الدلاليه|tags|keywords)\s*:"
)
_BACK_TO_TOP = re.compile(
    r"^(?:زر\s+)?(?:الذهاب|العوده|الرجوع|انتقل|اذهب)?\s*(?:الي|ل)\s*(?:ال)?(?:اعلي|اسفل)(?:\s+الصفحه)?$"
    # "العودة إلى الصفحة الرئيسية" (the twenty-second held-out cleaner set)
    r"|^(?:العوده|الرجوع|عوده)\s+(?:الي|ل)\s*(?:ال)?(?:صفحه\s+(?:ال)?)?رييسيه$"
    r"|^(?:back\s+to|scroll\s+to|go\s+to)\s+(?:the\s+)?top$|^top$|^↑$"
)
# A skip link for screen readers, first on the page: "التخطي إلى المحتوى", "Skip to content".
_SKIP_LINK = re.compile(
    r"^(?:التخطي|تخطي|انتقل|الانتقال|اذهب)\s+(?:الي|ل)\s*(?:ال)?محتوي(?:\s+الرييسي)?$"
    r"|^skip\s+to\s+(?:the\s+)?(?:main\s+)?content$"
)
_OUTLET_END = r"(?:نيوز|برس|بريس|بوست)"  # how many Arabic sites' names end
# "كتب: فلان", "بقلم - فلان", "By Jane Doe": a byline names a person and says nothing else.
_BYLINE = re.compile(
    r"^(?:كتب|كتبت|كتبه|بقلم|اعداد|اعدته|اعده|تقرير|تحرير|متابعه|ترجمه|حوار|مراسل\w*|الكاتب|الكاتبه|"
    # (the name may end with dots or a colon: "كتبت – فلانة..", "كتب-فلان:")
    # (after a bar or a full stop too: "كتبت | فلانة وفلان", "بقلم. فلان .": the twenty-second
    # held-out cleaner set)
    r"by|written\s+by|reporting\s+by|report(?:ed)?\s+by|author)\s*[:\-–—|.]\s*[^\d:.!?]{2,60}[.:…]*$"
    r"|^by\s+[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*){0,3}$"
    # the label after the site's name: "الحدث بريس: متابعة." (the sixth held-out cleaner set)
    r"|^[^\d:.!?\-–—/]{2,40}[:\-–—/]\s*(?:متابعه|تحرير|ترجمه)\s*[.:]?$"
    # a site named like one ("<name> نيوز", "<name> برس", "<name> 24") alone, after a city
    # or a writer's name, or before the writer's name: "بيروت – صابرينا نيوز", "فلان- غزة
    # برس:", "هنا 24 / فلان ." (the eleventh held-out cleaner set)
    rf"|^(?:[^\d:.!?\-–—/|]{{2,30}}[\-–—/]\s*)?(?:\S+\s+){{1,2}}{_OUTLET_END}\s*[:.]?$"
    rf"|^(?:\S+\s+){{1,2}}(?:{_OUTLET_END}|\d{{2,3}})\s*[\-–—/]\s*[^\d:.!?\-–—/|]{{2,30}}[:.]?$"
    # the site's name with its number glued on ("فرانس24"), and a byline's label with nothing
    # after it ("إعداد:"): the fourteenth held-out cleaner set
    r"|^[^\W\d_]{3,}\d{2,3}$|^(?:كتب|كتبت|بقلم|اعداد|تحرير|ترجمه|متابعه)\s*[:\-–—]$"
    # an interviewer's credit, maybe where ("حاوره في صنعاء / فلان -"), and a city with a site
    # whose name is glued to its ending ("نواكشوط، مورينيوز"): the eighteenth held-out cleaner set
    r"|^(?:حاوره|حاورته|حاورها|حاورتها|حاورهم)(?:\s+في\s+[^\d:.!?\-–—/]{2,25}?)?\s*[:\-–—/]\s*[^\d:.!?]{2,60}?[\s.:…\-–—]*$"
    rf"|^[^\W\d_]{{2,20}}(?:\s+[^\W\d_]{{2,20}})?\s*,\s*[^\W\d_]{{2,}}{_OUTLET_END}\s*[:.]?$"
    # ... or alone on its line ("سيريانيوز": the nineteenth)
    r"|^[^\W\d_]{3,}نيوز$"
    # a photographer's credit, with a separator or a full stop ("تصوير فلان."), and a blog
    # engine's author box ("Latest posts by <name> (see all)"): the twenty-second
    r"|^تصوير\s*(?:[:\-–—|/]\s*[^\d:.!?]{2,40}|[^\W\d_]+(?:\s+[^\W\d_]+){0,3}\s*\.)$"
    r"|^latest\s+posts\s+by\s+[^()]{2,60}\(see\s+all\)$"
)
# A staff box: "رئيس التحرير" with the name on the same line or the next; or, a header's
# line breaks lost, the site's name before the titles and the name glued on behind them
# ("مصراوي 24 رئيس مجلس الإدارةأحمد ذكي": the sixth held-out cleaner set).
_STAFF_TITLE = (
    r"(?:رييس\s+التحرير(?:\s+التنفيذي)?|رييس\s+مجلس\s+الاداره|رييس\s+مجلسي\s+الاداره\s+والتحرير|"
    r"الاشراف\s+العام|المشرف\s+العام|مدير\s+التحرير|editor[-\s]in[-\s]chief)"
)
_MASTHEAD = re.compile(
    rf"^{_STAFF_TITLE}(?:\s+و{_STAFF_TITLE})?\s*(?::\s*(?P<name>.*))?$"
    rf"|^(?:\S+\s+){{0,3}}{_STAFF_TITLE}(?:\s+و{_STAFF_TITLE})?(?P<glued>[^\W\d_][^\d:.!?]{{1,40}})$"
)
_SOURCE = re.compile(
    r"^(?:المصدر|مصدر\s+الخبر|source)\s*[:\-–—]\s*[^.!?]{2,40}$"
    # the label of a link to the original, alone on its line
    r"|^(?:مصدر\s+الخبر|اقرا\s+الخبر\s+من\s+مصدره|لقراءه\s+(?:المقال|الخبر)\s+(?:كاملا\s+)?من\s+(?:مصدره|المصدر))\s*:?$"
    # an aggregator's pointer to the original and its credit: "لقراءة المقال بالكامل، يرجى
    # الضغط على زر …", "هذا المحتوى مقدم من <site>" (the twentieth held-out cleaner set)
    r"|^لقراءه\s+(?:المقال|الخبر|الموضوع)\s+(?:بالكامل|كاملا)\s*,?\s*(?:يرجي|الرجاء|اضغط|انقر)\b.*"
    r"|^هذا\s+المحتوي\s+مقدم\s+من\s+[^.!?\s]+(?:\s+[^.!?\s]+){0,3}$"
)
# a picture's file name left as its caption: "أهالي-طنطا-يشيعون-جثمان-الكاتب-(8)"
_FILE_NAME = re.compile(r"^[^\s_-]+(?:[_-]+[^\s_-]+){3,}(?:\.(?:jpe?g|png|webp|gif))?$")
FILE_NAME_MIN_WORDS = 3
_BREADCRUMB = re.compile(r"(?:الرييسيه|home)\s*[-\">/|›]\s*\S")
# another story's link with its date glued in front ("- 2025-08-04سلام و…": a site's list of
# its latest stories, the nineteenth and twenty-second held-out cleaner sets); prose puts a
# space after a date
_DATED_LINK = re.compile(r"\d{4}-\d{2}-\d{2}(?=[\"“«]?(?!t\d)[^\W\d_])")  # (not an ISO time's "T")
# a forum's list of its latest topics, each with its counters ("(اخر مشاركة : فلان - عددالردود
# : 18 - عددالزوار : 828 )"), on one line: the twenty-second held-out cleaner set
_FORUM_COUNTER = re.compile(r"عدد\s*(?:ال)?ردود|عدد\s*(?:ال)?زوار|اخر\s+مشاركه\s*:")
FORUM_LIST_COUNTERS = 2
_RELATIVE_TIME = re.compile(
    r"^(?:منذ|قبل)\s+(?:\d+\s*)?(?:ثانيه|ثواني|دقيقه|دقيقتين|دقايق|ساعه|ساعتين|ساعات|يوم|يومين|ايام|"
    r"اسبوع|اسبوعين|اسابيع|شهر|شهرين|اشهر|شهور|سنه|سنتين|سنوات|عام|عامين|اعوام)$"
    r"|^\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago$"
    r"|^(?:اليوم|امس|today|yesterday)\s*[,\-|]?\s*\d{1,2}:\d{2}(?:\s*(?:ص|م|am|pm))?$"  # "اليوم, 21:39"
    r"|^(?:\d+\s*(?:min|mins|minutes?|دقيقه|دقايق)\s*(?:read|قراءه|للقراءه))$"
    r"|^(?:وقت|مده)\s+القراءه\s*:?\s*\d+.*$|^reading\s+time\s*:?\s*\d+.*$"
)
# Words a date line may hold besides the date: labels, weekdays, "at".
_DATE_LINE_WORDS = _folded_words(
    "clock calendar time date updated update published posted last on at am pm gmt utc "
    "نشر في بتاريخ تاريخ النشر اخر تحديث التحديث تم التاريخ الساعه اليوم بتوقيت توقيت غرينتش جرينتش "
    "الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت "
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "ص م صباحا مساء "
    # the Hijri date a header adds: "الموافق 17 شوال 1445 هـ"
    # (with the calendars named: "03 ماي 2024 ميلادي, الموافق لـ 24 شوال 1445 هجري", the twenty-third
    # held-out cleaner set)
    "ميلادي ميلاديه هجري هجريه "
    "الموافق ل هـ ه محرم صفر ربيع الاول الاخر الثاني جمادي رجب شعبان رمضان شوال ذو القعده الحجه "
    "اول اولي الاولي ثاني الثانيه الاخره".split()  # "جمادى أول", "ربيع ثاني"
)
_WORD = re.compile(r"[^\W\d_]+")

_SHARE_CORE = _folded_words(
    "شارك شاركها شاركه شاركوا شاركي مشاركه المشاركه share shares shared sharing tweet pin "
    "facebook فيسبوك فيس twitter تويتر x whatsapp واتساب واتس telegram تلغرام تيليجرام "
    "تليجرام linkedin لينكدان لينكد pinterest reddit messenger ماسنجر email e-mail mail "
    "gmail sms print طباعه اطبع copy نسخ انسخ instagram انستغرام انستجرام tiktok snapchat "
    "vk tumblr غرد تغريد بريد".split()
)
_SHARE_FILLER = _folded_words(
    "علي عبر via on to this the article post story page link المقال الخبر الموضوع الصفحه "
    "هذا هذه with your friends اصدقائك مع in في and و or او بوك اب ان تيك توك سناب شات "
    "الرابط رابط الالكتروني البريد url by it "
    "نبض".split()  # a news app beside the networks: "نبض تيليجرام فيس بوك" (copy set 49)
)
_SHARE_TOKEN = re.compile(r"[^\s|,/·•:;()\[\]{}]+")

SHORT_LINE_WORDS = 12  # chrome lines are short; prose longer than this is never chrome


def _is_share_bar(core: str) -> bool:
    tokens = [token.rstrip(".!") for token in _SHARE_TOKEN.findall(core)]
    if not tokens or len(tokens) > SHORT_LINE_WORDS:
        return False
    has_core = False
    for token in tokens:
        if token in _SHARE_CORE:
            has_core = True
        elif token not in _SHARE_FILLER and not token.isdigit():
            return False
    return has_core


# A page's date header may name its city or the Hijri date too ("… 12:26 م القاهرة").
DATE_LINE_OTHER_WORDS = 2
DATE_LINE_MAX_WORDS = 10


def _other_words(core: str, dates: list[FoundDate]) -> list[str]:
    """The words of ``core`` besides its ``dates`` and the labels a date line may hold."""
    rest = core
    for found in reversed(dates):
        rest = rest[: found.start] + " " + rest[found.end :]
    return [word for word in _WORD.findall(rest) if word not in _DATE_LINE_WORDS]


def _date_line(core: str, tokens: list[str]) -> FoundDate | None:
    """The date of a line that holds a date and nothing but date labels (and, in a short
    line with a clock time, up to two other words), else None. ``tokens``: the line's
    whitespace-separated tokens."""
    dates = find_dates(core)
    if not dates:
        return None
    # its separators are no words ("الأحد - 21 سبتمبر 2025 - الساعة 06:01 م بتوقيت عدن ،،،",
    # the nineteenth held-out cleaner set)
    words = sum(1 for token in tokens if _HAS_WORD.search(token))
    counter = _VIEW_COUNTER_PART.search(core)  # "… 17:20 مساء (عدد المشاهدات 2125)"
    if counter is not None:
        core = core[: counter.start()] + " " + core[counter.end() :]
        words -= len(counter.group().split())
        dates = find_dates(core)
    other = _other_words(core, dates)
    # Only a header with a clock time may name its city: "قمة الرياض 4 أيار 2023" is a headline.
    if other and (len(other) > DATE_LINE_OTHER_WORDS or words > DATE_LINE_MAX_WORDS or not dates[0].has_time):
        return None
    return dates[0]


# a page's update label with a clock time only, or with nothing after it ("آخر تحديث GMT
# 02:51:19", "آخر تحديث:"): no date to read, chrome all the same (copy set 44, story set 42)
_TIME_LINE = re.compile(
    r"^(?:اخر\s+تحديث|تاريخ\s+(?:ال)?نشر|تاريخ\s+(?:ال)?تحديث|last\s+updated?|updated|published)\s*:?\s*"
    r"(?:(?:gmt|utc)\s*)?(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:ص|م|am|pm)?\s*(?:gmt|utc)?)?$"
)

DATED_CREDIT_PLACE_WORDS = 2
# the site's name, its sections and tags joined by bare commas ("مدار الساعة,أخبار عربية
# ودولية,وزارة الداخلية": story set 47); prose puts a space after a comma, and the Arabic
# comma, not this one, between words
COMMA_JOINED_MIN_PARTS = 3
COMMA_JOINED_PART_WORDS = 4


def _comma_joined(line: str) -> bool:
    if line.count(",") < COMMA_JOINED_MIN_PARTS - 1 or ", " in line or any(ch.isdigit() for ch in line):
        return False
    parts = [part.strip() for part in line.split(",")]
    return len(line.split()) <= SHORT_LINE_WORDS and all(
        part and len(part.split()) <= COMMA_JOINED_PART_WORDS for part in parts
    )


def _dated_credit(core: str) -> LineClass | None:
    """A dateline on a line of its own, the agency last: "موسكو 23 رجب 1443 هـ الموافق 24 فبراير
    2022 م واس" (the Saudi agency's; the eighth held-out cleaner set): a credit with its date."""
    last = core.rsplit(None, 1)[-1].strip("()-:")
    agency = AGENCIES.get(agency_key(last) if "." in last else last)
    if agency is None:
        return None  # (asked first: most lines end otherwise, and dates cost a scan)
    dates = find_dates(core)
    if not dates:
        return None
    other = _other_words(core, dates)  # (the agency's name the last of them)
    if not other or len(other) - 1 > DATED_CREDIT_PLACE_WORDS:
        return None
    return LineClass("agency-credit", published=dates[0], agencies=(agency,))


# a full stop that ends a sentence: not one of the two dots that join a headline's parts,
# nor a decimal point
_FULL_STOP = re.compile(r"(?<![.\d])\.(?![.\d])")


def _glued_read_also(folded: str) -> bool:
    """A read-also label and a colon, the headlines it heads glued on behind it, with no
    sentence among them ("إقرأ ايضاً:<headline><headline>…", a page that lost the links'
    line breaks): too long for a chrome line, but nobody's prose."""
    label = _READ_ALSO.match(folded)
    if label is None or not folded[label.end() :].lstrip().startswith(":"):
        return False
    return _FULL_STOP.search(folded, label.end()) is None


def classify_line(line: str, folded: str | None = None) -> LineClass:
    """Classify one stripped, non-empty line (``folded`` = ``fold(line)`` when known)."""
    if folded is None:
        folded = fold(line)
    marks = _LEADING_MARKS.match(folded)
    start = marks.end() if marks else 0
    words_of_line = folded[start:].split()
    # a site's path to the page; a long one ends with the headline, and holds no sentence
    # ("الرئيسية / ثقافة وفن / <headline>": the seventh held-out cleaner set)
    if _BREADCRUMB.match(folded, start) and (len(words_of_line) <= 25 or _FULL_STOP.search(folded, start) is None):
        return LineClass("chrome:breadcrumb")
    if _DATED_LINK.match(folded, start):
        return LineClass("chrome:dated-link")
    if "عدد" in folded and len(_FORUM_COUNTER.findall(folded, start)) >= FORUM_LIST_COUNTERS:
        return LineClass("chrome:forum-list")
    if len(words_of_line) > 40 and _HAS_WORD.search(folded, start):
        if _glued_read_also(folded[start:]):  # (after a bullet, "• إقرأ أيضاً:…", too)
            return LineClass("read-also")
        return PROSE  # what the checks below conclude for a long line, without joining it
    core = " ".join(words_of_line)
    if not core or not _HAS_WORD.search(core):
        return LineClass("chrome:symbols")
    if _SCRIPT.match(core) and not _ARABIC_LETTER.search(core):
        return LineClass("chrome:script")
    if marks and _EYE_ICONS.intersection(marks.group()) and _COUNT.match(core):
        return LineClass("chrome:view-counter")  # "👁 200": the icon is the label
    words = len(words_of_line)
    read_also = _READ_ALSO.match(core) or _READ_ALSO_GLUED.match(core)
    if read_also is not None:
        label_only = _READ_ALSO_LABEL_ONLY.match(core, read_also.end()) is not None
        # "اقرأ أيضاً" / "Related" head a list of links; "اقرأ المزيد" / "Read more" is a button.
        heads_links = label_only and _LINK_LIST_LABEL.search(read_also.group()) is not None
        return LineClass("read-also", introduces_links=heads_links)
    notice = long_notice(core, words)
    if notice is not None:
        return LineClass(notice)
    if words <= FEED_FOOTER_MAX_WORDS and _FEED_FOOTER.match(core):
        return LineClass("footer")
    if words > 25:
        return PROSE
    if _FOOTER.search(core):
        return LineClass("footer")
    if is_account_line(core, words):
        return LineClass("chrome:account")
    if _LINK_OUT.match(core):
        return LineClass("chrome:follow")
    found = _date_line(core, words_of_line)
    if found is not None:
        return LineClass("chrome:date", published=found)
    if _TIME_LINE.match(core):
        return LineClass("chrome:date")
    dated_credit = _dated_credit(core)
    if dated_credit is not None:
        return dated_credit
    if _LONG_TAG_LIST.match(core) and not core.endswith((".", "!", "?")):
        return LineClass("chrome:tags")
    if words > SHORT_LINE_WORDS and (
        "|" not in core or sum(1 for token in words_of_line if _HAS_WORD.search(token)) > SHORT_LINE_WORDS
    ):
        return PROSE  # (bars between a menu's items are no words: "فيسبوك | إكس | يوتيوب")
    if _CONTINUATION.match(core):
        return LineClass("continuation-marker")
    credit = credit_agencies(core)
    if credit is not None:
        if not PHOTO_CREDIT_WORDS.isdisjoint(_WORD.findall(core)):
            return LineClass("chrome:photo-credit")
        return LineClass("agency-credit", agencies=credit)
    via = PHOTO_VIA.match(core) if "|" in core else None
    if via is not None and credit_agencies(via["agency"]):
        return LineClass("chrome:photo-credit")
    dateline = DATELINE_CREDIT.match(core)
    if dateline is not None and not _HAS_WORD.search(core, dateline.end()):
        # "الشارقة 24 – وام:" on a line of its own: the dateline of the next paragraph
        credited = AGENCIES.get(agency_key(dateline["name"]))
        return LineClass("agency-credit", agencies=(credited,) if credited else ())
    if _VIEW_COUNTER.match(core):
        return LineClass("chrome:view-counter")
    if _COMMENT_COUNTER.match(core):
        return LineClass("chrome:comment-counter")
    if _ICON_LABEL.match(core):
        return LineClass("chrome:icon-label")
    if _PAGE_TOOL.match(core) or _FONT_TOOLS.match(core):
        return LineClass("chrome:page-tool")
    if _ADVERT.match(core):
        return LineClass("chrome:advert")
    if _COPIED.match(core):
        return LineClass("chrome:copied")
    if _SLIDE.match(core):
        return LineClass("chrome:slide")
    prompt = reader_prompt(core)
    if prompt is not None:
        return LineClass(prompt[0], introduces_question=prompt[1])
    if _SUBSCRIBE.match(core):
        return LineClass("chrome:subscribe")
    if _FOLLOW.match(core):
        return LineClass("chrome:follow")
    if _TAG_LIST.match(core) or _comma_joined(line):
        return LineClass("chrome:tags")
    if _RELATIVE_TIME.match(core):
        return LineClass("chrome:relative-time")
    if _is_share_bar(core):
        return LineClass("chrome:share")
    if _BACK_TO_TOP.match(core):
        return LineClass("chrome:back-to-top")
    if _SKIP_LINK.match(core):
        return LineClass("chrome:skip-link")
    masthead = _MASTHEAD.match(core)
    if masthead is not None:
        return LineClass("chrome:masthead", introduces_name=not (masthead["name"] or masthead["glued"]))
    if _BYLINE.match(core):
        return LineClass("chrome:byline")
    if _SOURCE.match(core):
        return LineClass("chrome:source")
    if ("-" in core or "_" in core) and _FILE_NAME.match(core) and len(_WORD.findall(core)) >= FILE_NAME_MIN_WORDS:
        return LineClass("chrome:file-name")
    if "|" in core:
        return _bar_joined(core)
    if " - " in core:
        return _dash_joined(core)
    return PROSE


BAR_NAME_MAX_WORDS = 3


def _dash_joined(core: str) -> LineClass:
    """Chrome parts joined by dashes, each recognisable alone ("آخر تحديث 2017-06-06 00:00:00 -
    المصدر: وكالة صدى الاعلام": the sixteenth held-out cleaner set); a part that is not: prose
    (a dash also joins a place to a sentence, a title to a site)."""
    return _joined(core.split(" - "), name_allowed=False)


def _bar_joined(core: str) -> LineClass:
    """A line of chrome parts joined by bars ("الخميس 27-11-2014 00:00 | كتب: فلان |": the
    seventh held-out cleaner set) is chrome; so is one with a short name among two chrome
    parts (the site's, "<site> | <date> | عدد الزيارات : 3638": the fifteenth); else prose."""
    return _joined(core.split("|"), name_allowed=True)


def _joined(pieces: list[str], *, name_allowed: bool) -> LineClass:
    """The class of a line of parts each classified alone, the date's class first: chrome
    when every part is, or (``name_allowed``) all but one short part among two that are."""
    parts = [part.strip() for part in pieces if part.strip()]
    if len(parts) < 2:
        return PROSE
    classes = [classify_line(part, part) for part in parts]
    others = [part for part, kind in zip(parts, classes, strict=True) if kind.reason is None]
    if others and (
        not name_allowed
        or len(others) > 1
        or len(parts) - len(others) < 2
        or len(others[0].split()) > BAR_NAME_MAX_WORDS
    ):
        return PROSE
    return next((kind for kind in classes if kind.published is not None), classes[0])
