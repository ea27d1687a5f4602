"""A site's section names and widget captions left between the paragraphs of a page
(streams/clean_labels.py), on pages written for these tests."""

from __future__ import annotations

import pytest

from streams.clean import CleanArticle, clean_article
from streams.clean_labels import site_label
from streams.textnorm import fold

PROSE_1 = "أعلنت وزارة الدفاع في بيان صباح اليوم أن وحداتها أنهت مناورات واسعة قرب الحدود الشمالية."
PROSE_2 = "وقال المتحدث باسم الوزارة إن المناورات شملت تدريبات على الدفاع الجوي ونقل الإمدادات."
PROSE_3 = "وأضاف أن الوحدات ستعود إلى ثكناتها خلال الأيام المقبلة بعد انتهاء التقييم."


def _clean(*lines: str, title: str = "مناورات على الحدود الشمالية") -> CleanArticle:
    return clean_article(title=title, content="\n".join(lines), content_type="text/plain")


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("رياضة", "chrome:section"),
        ("الاقتصاد", "chrome:section"),
        ("عربي-دولي", "chrome:section"),
        ("سياسة | اقتصاد | رياضة", "chrome:section"),
        ("• محليات", "chrome:section"),
        ("أخبار السعودية", "chrome:section"),
        ("اخبار العالم", "chrome:section"),
        ("اظهر المزيد", "chrome:widget"),
        ("جار التحميل...", "chrome:widget"),
        ("Exit mobile version", "chrome:widget"),
        # a table of contents' label, a live page's, a blog engine's default category (the
        # twenty-third held-out cleaner set)
        ("محتويات المقال", "chrome:widget"),
        ("تغطية مباشرة", "chrome:widget"),
        ("غير مصنف", "chrome:widget"),
        ("news-picture", "chrome:widget"),
        ("أنت تستخدم إضافة Adblock، يرجى تعطيلها", "chrome:widget"),
        ("دوليات", "chrome:section"),
        # a photo's caption (a fifth held-out set of real pages)
        ("جانب من الدمار", "chrome:caption"),
        ("جانب من اجتماع مجلس الوزراء", "chrome:caption"),
        ("جانب من المشاركين أكدوا أن الاجتماع كان مثمرا.", None),
        ("جانب من الخلاف: من يدفع ثمن الإعمار", None),
        ("الصورة من موقع الوكالة", "chrome:caption"),
        ("الصورة من الأرشيف تظهر الجسر قبل انهياره.", None),
        ("loader", "chrome:widget"),
        ("عربي ودولي", "chrome:section"),
        ("الرئيسية", "chrome:widget"),
        ("الرابط المختصر :", "chrome:widget"),
        ("بث مباشر", "chrome:widget"),
        ("مناقشة", "chrome:widget"),
        ("Email *", "chrome:widget"),
        ("author image", "chrome:widget"),
        ("Contact Form", "chrome:widget"),
        ("صورة من: Public Domain", "chrome:caption"),
        ("صورة من الأرشيف تظهر الجسر قبل انهياره.", None),
        ("مناقشة مشروع القانون في البرلمان", None),
        ("header", "chrome:widget"),
        ("صور من الجنازة", "chrome:caption"),
        ("فيديو من موقع الحادث", "chrome:caption"),
        ("صور من داخل المستشفى تظهر حجم الدمار", None),
        ("عربية ودولية", "chrome:section"),
        # a section under its label (a forty-ninth held-out copy set)
        ("New Page 1", "chrome:widget"),
        ("القسم : رياضة", "chrome:section"),
        ("قسم: أخبار مصر", "chrome:section"),
        ("القسم : رياضة الشباب في المدارس", None),
        # the site's own pages on one line (the eighteenth held-out set); one item alone,
        # or items in a sentence, are not
        ("من نحن ؟ اتصلوا بنا بحث :", "chrome:menu"),
        ("اتصل بنا | أعلن معنا | English", "chrome:menu"),
        ("من نحن؟", None),
        # a comment form's fields in Arabic and a search box's label (the nineteenth held-out set)
        ("الإسم * :", "chrome:widget"),
        ("نص التعليق * :", "chrome:widget"),
        ("البحث :", "chrome:widget"),
        ("البحث في الملفات القديمة جار", None),
        # a whole menu flattened into one line, its items joined by spaces only (story set 47)
        (
            "أخبار البلد اقتصاديات دوليات برلمانيات وفيات أحزاب مجتمع وظائف مقالات مختارة مناسبات "
            "جامعات دين بنوك وشركات خليجيات مغاربيات ثقافة رياضة سياحة صحة وأسرة تكنولوجيا طقس اليوم",
            "chrome:menu",
        ),
        ("سياسة اقتصاد رياضة ثقافة فنون منوعات صحة تكنولوجيا", "chrome:menu"),
        # a sentence of section words has its marks; a headline of many words few of them
        ("الرياضة والثقافة والفنون والصحة محاور الخطة الجديدة للوزارة، وفق البيان", None),
        ("وزير الاقتصاد يبحث مع وفد البنك الدولي خطط دعم الشركات الصغيرة والسياحة في المحافظات", None),
        ("من نحن؟ بحث في الهوية العربية", None),
        # a phrase, a subheading, a sentence: not a menu
        ("المجتمع الدولي", None),
        ("تفاصيل الحادث", None),
        ("أخبار السعودية اليوم في الصحف", None),
        ("الاقتصاد ينمو بنسبة ثلاثة في المئة", None),
    ],
)
def test_site_labels(line: str, kind: str | None) -> None:
    assert site_label(fold(line)) == kind


def test_a_section_name_between_paragraphs_is_not_the_articles() -> None:
    """A rule watching «السعودية» must not fire on the site's menu."""
    article = _clean(PROSE_1, "أخبار السعودية", PROSE_2, "اقتصاد", PROSE_3)
    assert article.text.split("\n") == [PROSE_1, PROSE_2, PROSE_3]
    assert [(line.reason, line.text) for line in article.removed] == [
        ("chrome:section", "أخبار السعودية"),
        ("chrome:section", "اقتصاد"),
    ]


def test_a_section_name_in_a_ticker_counts_as_one_of_its_lines() -> None:
    """Above the article: a section name and two other headlines are a ticker, removed whole
    (two headlines alone would stay, as short lines above the lead)."""
    article = _clean("رياضة", "المنتخب يفوز على ضيفه بثلاثية نظيفة", "ارتفاع أسعار الذهب في الأسواق", PROSE_1, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert [line.reason for line in article.removed] == ["chrome:section", "headline-run", "headline-run"]


def test_a_list_label_is_not_taken_for_a_section() -> None:
    """«أخبار عاجلة» heads a list of other stories' headlines: they go with it."""
    article = _clean(PROSE_1, PROSE_2, "أخبار عاجلة", "انقطاع الكهرباء عن أحياء العاصمة")
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert [line.reason for line in article.removed] == ["headline-list", "headline-list"]
