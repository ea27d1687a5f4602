"""One-line labels of a site's own navigation and widgets, left in the page text.

Real page excerpts keep, between the article's paragraphs, the names of the site's
sections ("رياضة", "اقتصاد", "أخبار العالم", "عربي-دولي"), the captions of its widgets
("اظهر المزيد", "جار التحميل...", "Exit mobile version", "news-picture") and of its photos
("جانب من الاجتماع"), each on a line of its own. They are not the article's words, and a
section name may be a place ("أخبار السعودية"): a rule watching it must not fire on the
menu. Read on 1,598 real pages of the seventh to ninth held-out sets (docs/cleaning.md,
"Site labels"); photo captions on the fifth and sixth held-out cleaner sets.

A line is such a label only when every word of it is one (a section name, "أخبار" and one
more word, or a widget caption as a whole), or when it is a photo's caption or credit by
its opening words and short, with no sentence end: a subheading or a sentence never is.
"""

from __future__ import annotations

import re

from streams.textnorm import fold

# Section names of Arabic news sites, with and without the article ("ال").
_SECTIONS = frozenset(
    fold(word)
    for word in (
        "أخبار سياسة اقتصاد رياضة حوادث منوعات فن فنون ثقافة تكنولوجيا تقنية صحة محليات محلي "
        "عربي عربية دولي دولية عالمي عالميات آراء رأي مقالات تقارير تحقيقات فيديو صور ملتيميديا "
        "مجتمع أعمال بورصة بنوك سيارات علوم تعليم المرأة حوادث ملفات حوارات كاريكاتير إنفوجراف "
        "انفوغراف الأخبار السياسة الاقتصاد الرياضة الحوادث المنوعات الفن الثقافة التكنولوجيا "
        "الصحة المحليات العربي الدولي العالم الآراء الرأي المقالات التقارير الفيديو المجتمع "
        "الأعمال البورصة السيارات العلوم التعليم الملفات الحوارات دوليات عربيات"
    ).split()
)
_NEWS = frozenset(fold(word) for word in ("أخبار", "الأخبار"))
# Widget captions, as a whole line (folded: lower case, Arabic letters unified).
_WIDGETS = frozenset(
    fold(caption)
    for caption in (
        "اظهر المزيد",
        "أظهر المزيد",
        "عرض المزيد",
        "تحميل المزيد",
        "جار التحميل",
        "جاري التحميل",
        "تعليقات الفيسبوك",
        "يتم قراءة الآن",
        "أخبار من القسم",
        "فريق التحرير",
        "logo",
        "photos",
        "news-picture",
        "news picture",
        "banner example",
        "exit mobile version",
        "read entire article",
        "smaller bigger",
        "profile picture",
        "undefined's profile picture",
        "today-time",
        "prayer-time",
        "news in brief",
        "breaking news",
        "loader",
        # a menu's first item and a template's region names (the seventh held-out set)
        "الرئيسية",
        "الصفحة الرئيسية",
        "header",
        "footer",
        # (the eighth held-out set)
        "الرابط المختصر",
        "رابط مختصر",
        "بث مباشر",
        "مناقشة",
        # a contact form's title and fields (the ninth held-out set)
        "contact form",
        "name *",
        "email *",
        "message *",
        "author image",  # (the tenth held-out set)
        "new page 1",  # an old page editor's default title (the twenty-first held-out set)
        # a comment form's fields in Arabic, a search box's label (the nineteenth held-out set)
        "الإسم *",
        "الاسم *",
        "البريد الإلكتروني *",
        "بريدك الإلكتروني",
        "نص التعليق *",
        "التعليق *",
        "البحث",
        # a table of contents' label, a live page's, a blog engine's default category (the
        # twenty-third held-out cleaner set)
        "محتويات المقال",
        "محتويات الموضوع",
        "جدول المحتويات",
        "فهرس المحتويات",
        "تغطية مباشرة",
        "غير مصنف",
    )
)
# an ad blocker's notice: "أنت تستخدم إضافة Adblock", "You are using an ad blocker"
_AD_BLOCKER = re.compile(r"^(?:انت\s+تستخدم\s+(?:اضافه|برنامج|اداه)|you\s+(?:are|'re)\s+using\s+(?:an?\s+)?ad)")
# "القسم : رياضة": the section under its label (copy set 49); the rest must be a section's name
_SECTION_LABEL = re.compile(r"^(?:ال)?(?:قسم|تصنيف)\s*:\s*(?=\S)")
_SEPARATORS = re.compile(r"\s*[-–—|/·•,]\s*")  # (folded: "،" is ",")
_TRAILING = " .…:"
_LEADING = " •·▪-–—|»>*"
MAX_SECTION_WORDS = 4
MAX_LABEL_CHARS = 120  # longer than any label (an ad blocker's notice is the longest)
# "جانب من الدمار", "جانب من الاجتماع": the words a photo's caption opens with, on a short
# line that ends no sentence; and its credit, "الصورة من موقع <outlet>" (the fifth and sixth
# held-out cleaner sets: docs/cleaning.md)
_CAPTION = re.compile(
    r"^جانب\s+من\s+[^.!?:]+$|^(?:ال)?صوره\s+(?:من|عن)\s+(?:موقع|حساب|صفحه)\s+[^.!?:]+$"
    r"|^(?:ال)?صوره(?:\s+من)?\s*:\s*[^.!?:]+$"  # "صورة من: <owner>" (the ninth held-out set)
)
CAPTION_MAX_WORDS = 8
# a gallery's label: "صور من الجنازة" (shorter: a longer line is a subheading)
_GALLERY = re.compile(r"^(?:صور|بالصور|فيديو|بالفيديو)\s+(?:من|ل)\s*[^.!?:]+$")
GALLERY_MAX_WORDS = 4
# A menu of the site's own pages on one line: "من نحن ؟ اتصلوا بنا بحث :", "اتصل بنا | أعلن معنا"
# (two items at least: "من نحن؟" alone may be a question; the eighteenth held-out cleaner set)
_MENU_ITEM = (
    r"(?:من\s+نحن|اتصل\s+بنا|اتصلوا\s+بنا|تواصل\s+معنا|اعلن\s+معنا|للاعلان|عن\s+الموقع|هييه\s+التحرير|"
    r"سياسه\s+الخصوصيه|شروط\s+الاستخدام|خريطه\s+الموقع|(?:ال)?ارشيف|الاعداد\s+السابقه|"
    r"النسخه\s+الورقيه|بحث|english|francais|français|about\s+us|contact\s+us)"
)
_MENU = re.compile(rf"^(?:{_MENU_ITEM}[\s?:|/•·,\-]*){{2,}}$")
# A site's whole menu flattened into one line, its items joined by spaces only ("أخبار الأردن
# اقتصاديات دوليات برلمانيات وفيات أحزاب …": story set 47, where two pages of one site shared
# it and joined two events): no sentence mark at all, and at least half of its words the names
# of sections (those above, and the plural section names a menu uses).
_MENU_WORDS = _SECTIONS | frozenset(
    fold(word)
    for word in (
        "اقتصاديات برلمانيات خليجيات مغاربيات فلسطينيات وفيات أحزاب وظائف مناسبات مستثمرون جامعات "
        "دين شركات سياحة طقس أسرة كتاب إسلاميات شباب"
    ).split()
)
_SENTENCE_MARK = re.compile(r"[.,:;!?()\"]")
FLAT_MENU_MIN_WORDS = 8
FLAT_MENU_MAX_CHARS = 600
FLAT_MENU_SHARE = 0.5


def _flat_menu(line: str, words: list[str] | None = None) -> bool:
    """Whether ``line`` (folded) is a menu flattened into one line (``words``: its words,
    when known)."""
    # (prose holds a comma or a full stop: two substring tests, before the pattern)
    if "," in line or "." in line or _SENTENCE_MARK.search(line):
        return False
    if words is None:
        words = line.split()
    if len(words) < FLAT_MENU_MIN_WORDS:
        return False
    named = sum(1 for word in words if word in _MENU_WORDS or (word[:1] == "و" and word[1:] in _MENU_WORDS))
    return named >= FLAT_MENU_SHARE * len(words)


# the removal reasons of site_label
SITE_LABELS = frozenset({"chrome:section", "chrome:widget", "chrome:caption", "chrome:menu"})


def site_label(folded: str) -> str | None:
    """The kind of site label ``folded`` (a folded line) is, or None."""
    if len(folded) > MAX_LABEL_CHARS:
        # a paragraph (most lines, asked first, cheaply), or a whole menu on one line
        if len(folded) <= FLAT_MENU_MAX_CHARS and _flat_menu(folded):
            return "chrome:menu"
        return None
    line = " ".join(folded.split()).rstrip(_TRAILING).lstrip(_LEADING)
    if line in _WIDGETS or _AD_BLOCKER.match(line):
        return "chrome:widget"
    if _MENU.match(line):
        return "chrome:menu"
    words = line.split()
    if len(words) <= CAPTION_MAX_WORDS and _CAPTION.match(folded.strip()):  # (its final stop kept)
        return "chrome:caption"
    if len(words) <= GALLERY_MAX_WORDS and _GALLERY.match(line):
        return "chrome:caption"
    labelled = _SECTION_LABEL.match(line)
    if labelled is not None:
        return "chrome:section" if site_label(line[labelled.end() :]) == "chrome:section" else None
    if len(words) == 2 and words[0] in _NEWS:
        return "chrome:section"  # "أخبار السعودية", "أخبار مصر": a section of the site
    # one section name, or a few joined by a menu's separators ("عربي-دولي", "سياسة | اقتصاد");
    # names joined by a space only are a phrase ("المجتمع الدولي"), not a menu
    items = [item.strip() for item in _SEPARATORS.split(line)]
    if 0 < len(items) <= MAX_SECTION_WORDS and all(item in _SECTIONS for item in items):
        return "chrome:section"
    # two names joined by "و": "عربي ودولي", "عربية ودولية" (the sixth held-out cleaner set)
    if len(words) == 2 and words[0] in _SECTIONS and words[1][:1] == "و" and words[1][1:] in _SECTIONS:
        return "chrome:section"
    if len(words) >= FLAT_MENU_MIN_WORDS and _flat_menu(line, words):
        return "chrome:menu"
    return None
