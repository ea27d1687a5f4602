"""Page furniture judged in context (streams.clean_blocks) and the asides it leaves, on
pages written for these tests: each reproduces one phenomenon seen on real news pages."""

from __future__ import annotations

import re

import pytest

from kernel.html_text import MarkedLine, drop_control_characters, html_to_text, marked_tree_lines, tree_lines
from kernel.messages import RawArticle
from streams.clean import Aside, CleanArticle, clean_article
from streams.clean_blocks import BlockLine, dateline_end, flattened_list, is_headline, judge_blocks
from streams.dedupe import Deduplicator, InMemoryDedupeStore
from streams.pipeline import dedupe
from streams.textnorm import fold
from tests.support.cleaning import aside_texts, clean_lines

PROSE_1 = "أعلنت وزارة الدفاع في بيان صباح اليوم أن وحداتها أنهت مناورات واسعة قرب الحدود الشمالية."
PROSE_2 = "وقال المتحدث باسم الوزارة إن المناورات شملت تدريبات على الدفاع الجوي ونقل الإمدادات."
PROSE_3 = "وأضاف أن الوحدات ستعود إلى ثكناتها خلال الأيام المقبلة بعد انتهاء التقييم."


def _removed(article: CleanArticle) -> list[tuple[str, str]]:
    return [(line.reason, line.text) for line in article.removed]


def test_labelled_list_of_other_headlines_is_removed_with_its_teasers() -> None:
    article = clean_lines(
        PROSE_1,
        PROSE_2,
        "الأكثر قراءة",
        "ارتفاع أسعار القمح في الأسواق المحلية",
        "المنتخب يفوز في مباراة ودية استعدادا للبطولة",
        "تعرف على حالة الطقس غدا في العاصمة والمحافظات …",
        "آخر الأخبار:",
        "وزير الخارجية يستقبل نظيره الفرنسي",
        "Most read",
        "Storm closes schools in the north",
    )
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert [reason for reason, _ in _removed(article)] == ["headline-list"] * 8


def test_more_list_labels_take_their_headlines() -> None:
    # (the eighteenth held-out cleaner set: the latest videos, another section's stories, a
    # market site's picks under "ترشيحات ..")
    article = clean_lines(
        PROSE_1,
        "اقرأ من أخبار الكويت الاقتصادية:",
        "البورصة تغلق على ارتفاع بدعم من أسهم البنوك",
        PROSE_2,
        PROSE_3,
        "ترشيحات ..",
        "الحكومة تطرح سندات جديدة بقيمة مليار دينار",
        "آخر الفيديوهات",
    )
    assert article.text.split("\n") == [PROSE_1, PROSE_2, PROSE_3]
    assert [reason for reason, _ in _removed(article)] == ["headline-list"] * 5


def test_the_sections_other_stories_under_its_label_go() -> None:
    # (the twenty-first held-out cleaner set: "من نفس القسم محلي", the section's name after it)
    article = clean_lines(
        PROSE_1,
        PROSE_2,
        "من نفس القسم محلي",
        "افتتاح سوق شعبي جديد في المدينة القديمة",
        "البلدية تعلن خطة لصيانة الطرق قبل موسم الأمطار",
    )
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert [reason for reason, _ in _removed(article)] == ["headline-list"] * 3


def test_a_notification_widget_takes_its_headlines() -> None:
    # (story set 45: "لديك 2 خبر جديد:" between the paragraphs, other stories under it)
    article = clean_lines(
        PROSE_1,
        "لديك 2 خبر جديد:",
        "مهرجان الخريف يفتتح أبوابه للزوار الأسبوع المقبل",
        "الفريق الأول يستعد لمواجهة حاسمة في الدوري",
        PROSE_2,
    )
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert [reason for reason, _ in _removed(article)] == ["headline-list"] * 3


def test_a_country_s_top_news_and_videos_you_may_like_head_lists() -> None:
    # (the twentieth held-out cleaner set)
    article = clean_lines(
        PROSE_1,
        "أهم أخبار الوادي",
        "البورصة تغلق على ارتفاع بدعم من أسهم البنوك",
        PROSE_2,
        "فيديو قد يعجبك:",
        "مهرجان الخريف يفتتح أبوابه للزوار الأسبوع المقبل",
    )
    assert article.text.split("\n") == [PROSE_1, PROSE_2]


def test_a_subheading_named_like_a_label_without_its_dots_stays() -> None:
    article = clean_lines(PROSE_1, "ترشيحات", PROSE_2)
    assert article.text.split("\n") == [PROSE_1, "ترشيحات", PROSE_2]


def test_unlabelled_ticker_at_the_top_is_removed_and_between_paragraphs_is_an_aside() -> None:
    ticker = [
        "ارتفاع أسعار القمح في الأسواق المحلية",
        "المنتخب يفوز في مباراة ودية استعدادا للبطولة",
        "الحكومة تناقش مشروع قانون الاستثمار الجديد",
    ]
    article = clean_lines(*ticker, PROSE_1, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert _removed(article) == [("headline-run", line) for line in ticker]

    article = clean_lines(PROSE_1, *ticker, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, *ticker, PROSE_2]  # kept: it may be the article's own list
    assert aside_texts(article) == [("headline-run", "\n".join(ticker))]


def test_a_tickers_headline_longer_than_a_headline_does_not_split_the_ticker() -> None:
    # (the twenty-third held-out cleaner set: a 17-word headline, unpunctuated, between two others)
    ticker = [
        "افتتاح المخيم الطبي المجاني الثاني في المدينة الساحلية وسط إقبال كبير",
        "في إنجاز جديد للحملة الأمنية في الساحل ضبط قارب محمل ببضائع مهربة على سواحل المديرية الشرقية ورأس الجزيرة",
        "القبيلة تصدر بيانا بشأن جريمة قتل أحد أبنائها في المعسكر",
    ]
    article = clean_lines(PROSE_1, PROSE_2, PROSE_3, *ticker)
    # (headlines of ten words or more read as paragraphs too: the run is kept as an aside)
    assert aside_texts(article) == [("headline-run", "\n".join(ticker))]
    # an unpunctuated paragraph under a byline and over a headline stays the article's
    column = [
        "سامي الوادي ||",
        "هكذا أصبحت العاصمة اليوم بعد عودة الدوام لجميع مؤسسات الدولة والجامعات والمعاهد والمدارس "
        "والأسواق في كل الأحياء",
        "الطريق الذي يفترض أن تصل إليه بربع ساعة صار أكثر من ساعة ونصف",
        PROSE_1,
    ]
    article = clean_lines(*column)
    assert column[1] in article.text
    assert all(column[1] not in text for _, text in aside_texts(article))


def test_the_articles_own_bulleted_points_between_its_paragraphs_are_body() -> None:
    # (the twenty-second held-out cleaner set: a guide's stages, an interview's points)
    points = [
        "• تبدأ المناورات بتدريبات الدفاع الجوي قرب الحدود الشمالية",
        "• تشارك وحدات نقل الإمدادات في المرحلة الثانية من المناورات",
        "• يقيم المتحدث باسم الوزارة نتائج التدريبات في ختامها",
    ]
    article = clean_lines(PROSE_1, *points, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, *points, PROSE_2]
    assert aside_texts(article) == []


def test_a_bulleted_ticker_between_paragraphs_that_shares_a_word_here_and_there_is_an_aside() -> None:
    # each item as long as a point, one naming the article's ministry: other news all the same
    ticker = [
        "• البورصة تغلق على ارتفاع بدعم من أسهم البنوك الكبرى",
        "• مهرجان الخريف يفتتح أبوابه للزوار الأسبوع المقبل في العاصمة",
        "• وزارة الصحة تطلق حملة تطعيم جديدة في المدارس الحكومية",
        "• المنتخب يفوز في مباراة ودية استعدادا للبطولة القارية",
    ]
    article = clean_lines(PROSE_1, *ticker, PROSE_2)
    assert aside_texts(article) == [("headline-run", "\n".join(ticker))]
    # and menu items of a word or two, whatever they share, are no points
    menu = ["• الحدود", "• الدفاع", "• الوزارة"]
    assert aside_texts(clean_lines(PROSE_1, *menu, PROSE_2)) == [("headline-run", "\n".join(menu))]


# A ticker whose markup the text lost: its headlines on one line, joined by runs of spaces
# (two held-out real pages opened with one such line of 15-17 headlines). Headlines with
# the two dots that join their parts, a decimal figure, and one long enough to pass for a
# paragraph on its own.
FLATTENED = [
    "وزير المالية يعلن موازنة جديدة للعام المقبل",
    "مهرجان المسرح العربي.. عروض من عشر دول في الافتتاح",
    "1.6 مليون مسافر عبر مطار العاصمة خلال الصيف",
    "بعد فوزه على فريق الساحل في مباراة مثيرة.. النادي الأهلي يتأهل إلى الدور النهائي من البطولة",
    "أمطار غزيرة على المناطق الساحلية",
]


def test_a_ticker_flattened_into_one_line_is_removed_item_by_item() -> None:
    article = clean_lines("    ".join(FLATTENED), PROSE_1, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert _removed(article) == [("flattened-list", item) for item in FLATTENED]
    assert flattened_list("\u00a0\u00a0\u00a0".join(FLATTENED)) == FLATTENED  # no-break spaces too
    # bars between the headlines, spaces around them (the sixteenth held-out cleaner set)
    assert flattened_list("    |     ".join(FLATTENED)) == FLATTENED


def test_stray_spaces_in_prose_do_not_make_a_list() -> None:
    cut = "قال الوزير   إن الحكومة ستعمل على خطة جديدة   لتحسين الخدمات في المدن   والقرى خلال العام المقبل."
    assert flattened_list(cut) is None  # one sentence: only its last piece ends
    assert clean_lines(cut, PROSE_1).text.split("\n") == [cut, PROSE_1]
    two_sentences = "انتهت الجولة الأولى.   وبدأت الثانية   مساء اليوم   في العاصمة."
    assert flattened_list(two_sentences) is None  # ends a sentence, as hardly any piece does
    assert flattened_list("بدأت الجولة   في العاصمة اليوم. وانتهت مساء   في القاعة   الكبرى") is None
    assert flattened_list("الرئيسية   أخبار   رياضة") is None  # fewer than four items


def test_a_text_that_is_only_a_flattened_ticker_is_not_emptied() -> None:
    article = clean_lines("    ".join(FLATTENED))
    assert article.text.split("\n") == FLATTENED  # nothing to tell the article from
    assert article.removed == ()


def test_the_articles_own_subheading_and_short_paragraph_survive() -> None:
    content = [PROSE_1, "ردود الفعل الدولية", PROSE_2, "وانتهى الاجتماع.", PROSE_3]
    article = clean_lines(*content)
    assert article.text.split("\n") == content
    assert article.asides == ()
    assert article.removed == ()


def test_a_page_of_short_lines_only_is_left_alone() -> None:
    content = ["السطر الأول من الخبر", "السطر الثاني من الخبر", "السطر الثالث من الخبر"]
    article = clean_lines(*content)
    assert article.text.split("\n") == content
    assert article.asides == ()


def test_tag_line_and_hashtag_line_are_asides() -> None:
    article = clean_lines(
        PROSE_1, PROSE_2, "- روسيا - أوكرانيا", "الناتو | الاتحاد الأوروبي | موسكو", "#روسيا و#أوكرانيا الآن"
    )
    assert aside_texts(article) == [
        ("tags", "- روسيا - أوكرانيا\nالناتو | الاتحاد الأوروبي | موسكو"),
        ("hashtags", "#روسيا و#أوكرانيا الآن"),
    ]
    # a subheading with one dash is not a tag line
    assert clean_lines(PROSE_1, "بوريس يلتسين – جورج بوش الأب", PROSE_2).asides == ()
    # sections between slashes (the twenty-second held-out cleaner set); two are no list
    assert aside_texts(clean_lines(PROSE_1, "الخليج العربي / صحف الوادي / الساحل", PROSE_2)) == [
        ("tags", "الخليج العربي / صحف الوادي / الساحل")
    ]
    assert clean_lines(PROSE_1, "الرياض / الساحل", PROSE_2).asides == ()


def test_embedded_post_text_and_its_credit_line_go() -> None:
    post = "القوات تتقدم نحو المدينة #روسيا #أوكرانيا pic.twitter.com/AbC123xyz"
    credit = "— حساب إخباري (@news_account) February 24, 2022"
    article = clean_lines(PROSE_1, post, credit, PROSE_2, "https://t.co/AbC123xyz")
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert aside_texts(article) == []
    assert _removed(article) == [("embed", post), ("embed-credit", credit), ("link", "https://t.co/AbC123xyz")]
    # a post link with no credit line under it: the line stays, as an aside
    article = clean_lines(PROSE_1, post, PROSE_2)
    assert aside_texts(article) == [("embed", post)]
    # an English post quoted in an Arabic article, without its credit line
    quote = "Our troops will defend every street of the city, the minister wrote."
    article = clean_lines(PROSE_1, quote, PROSE_2)
    assert aside_texts(article) == [("foreign-script", quote)]


def test_labels_above_the_first_paragraph_are_asides_and_the_dateline_prefix_too() -> None:
    article = clean_lines("تقرير خاص", "محمد أحمد", "القاهرة - " + PROSE_1, "موسكو - " + PROSE_2)
    assert article.text.split("\n") == ["تقرير خاص", "محمد أحمد", "القاهرة - " + PROSE_1, "موسكو - " + PROSE_2]
    assert aside_texts(article) == [("lead-in", "تقرير خاص\nمحمد أحمد"), ("dateline", "القاهرة - ")]


def test_a_label_ending_with_a_colon_above_the_first_paragraph_is_an_aside() -> None:
    # (the nineteenth and twenty-first held-out cleaner sets: the outlet and its city)
    article = clean_lines("الوادي- أخبار اليوم:", PROSE_1, PROSE_2)
    assert aside_texts(article) == [("lead-in", "الوادي- أخبار اليوم:")]
    for label in ("المعلومة / الوادي ..", "وكالة الوادي للأخبار- الساحل."):
        article = clean_lines(label, PROSE_1, PROSE_2)
        assert aside_texts(article) == [("lead-in", label)], label
    # a line announcing the text that follows is the article's
    for announcing in ("وفي ما يلي نص المرسوم:", "وجاء في البيان ما يلي :", "ننشر نص البيان كاملا:"):
        article = clean_lines(announcing, PROSE_1, PROSE_2)
        assert aside_texts(article) == [], announcing


@pytest.mark.parametrize(
    ("line", "prefix"),
    [
        ("موسكو - رويترز - " + PROSE_2, "موسكو - رويترز - "),
        ("أخبار اليوم / كييف/ " + PROSE_2, "أخبار اليوم / كييف/ "),
        ("الأمة| " + PROSE_2, "الأمة| "),
        ("كييف - سبوتنيك: " + PROSE_2, "كييف - سبوتنيك: "),  # held-out real pages
        ("القاهرة – أ ش أ: " + PROSE_2, "القاهرة – أ ش أ: "),
        ("عمّان - " + PROSE_2, "عمّان - "),  # a diacritic: folding changes the length
        ("LONDON (Reuters) - Ministers agreed on a plan to cut the deficit over three years.", "LONDON (Reuters) - "),
    ],
)
def test_dateline_prefixes(line: str, prefix: str) -> None:
    assert line[: dateline_end(line, fold(line))] == prefix


def test_no_dateline_in_ordinary_prose() -> None:
    for line in (
        PROSE_1,
        "بوتين: لا نية لدينا لمهاجمة أي دولة مجاورة وفق ما قال اليوم.",
        "موسكو - قصير",
        "قال الوزير: إن الحكومة - بعد نقاش طويل - أقرت الخطة الجديدة اليوم.",
    ):
        assert dateline_end(line, fold(line)) is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("زر الذهاب إلى الأعلى", "chrome:back-to-top"),
        ("العودة إلى الأعلى", "chrome:back-to-top"),
        ("Back to top", "chrome:back-to-top"),
        ("اقرأ المزيد", "read-also"),
        ("أكمل القراءة »", "read-also"),
        ("اقرأ أيضاارتفاع أسعار القمح في الأسواق المحلية", "read-also"),  # glued to its headline
        ("كتب: محمد أحمد", "chrome:byline"),
        ("بقلم - سارة علي", "chrome:byline"),
        ("By Jane Doe", "chrome:byline"),
        ("كتبت – سلمى الراشد..", "chrome:byline"),  # the name ends with dots, or a colon
        ("كتب-خالد منصور:", "chrome:byline"),
        ("الكاتب : عمر الحسيني", "chrome:byline"),
        ("Share.", "chrome:share"),
        ("طباعة", "chrome:share"),
        ("المصدر: صحيفة المساء", "chrome:source"),
        ("كلمات دلالية: كييف روسيا", "chrome:tags"),
        ("الرئيسية - أخبار العالم - " + "القوات تنسحب من المدينة", "chrome:breadcrumb"),
        ("الثلاثاء 10 فبراير 2026 12:26 م القاهرة", "chrome:date"),
        ("نشر في: الإثنين 7 مارس 2022 - 4:27 م | آخر تحديث: الإثنين 7 مارس 2022 - 4:27 م", "chrome:date"),
        ("تاريخ النشر: 21st, August 2023 GMT", "chrome:date"),
        ("تم إضافة تعليقك سوف يظهر بعد المراجعة", "chrome:comment-prompt"),
    ],
)
def test_single_line_chrome_around_the_article(line: str, reason: str) -> None:
    article = clean_lines(PROSE_1, line, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert _removed(article) == [(reason, line)]


def test_prose_that_shares_chrome_words_stays() -> None:
    for line in (
        "كتب الرئيس رسالة إلى البرلمان يطلب فيها تمديد المهلة.",
        "اقرأ إيضاح الوزارة كاملا قبل أن تحكم على القرار الجديد",
        "قمة الرياض في 4 أيار 2023",  # a dated headline inside the text is not a date header
        "وقال رئيس التحرير إن الصحيفة ستواصل التغطية.",
        "المصدر الذي طلب عدم ذكر اسمه قال إن الاجتماع تأجل.",
    ):
        article = clean_lines(PROSE_1, line, PROSE_2)
        assert line in article.text.split("\n"), line


def test_staff_box_label_takes_the_name_under_it() -> None:
    article = clean_lines("رئيس التحرير", "أحمد صبري", PROSE_1, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert _removed(article) == [("chrome:masthead", "رئيس التحرير"), ("chrome:masthead", "أحمد صبري")]


def test_read_also_label_takes_headline_and_teaser() -> None:
    article = clean_lines(
        PROSE_1, "شاهد أيضاً", "زيلينسكي يزور العاصمة", "قال الرئيس في كلمة مسجلة إن بلاده لن تتخلى عن …", PROSE_2
    )
    assert article.text.split("\n") == [PROSE_1, PROSE_2]


def test_aside_offsets_index_the_clean_text() -> None:
    article = clean_lines("تقرير", PROSE_1, "- روسيا - أوكرانيا", PROSE_2)
    assert article.asides == (Aside("lead-in", 0, 5), Aside("tags", 7 + len(PROSE_1), 7 + len(PROSE_1) + 18))
    assert article.text[article.asides[1].start : article.asides[1].end] == "- روسيا - أوكرانيا"


def test_english_page_chrome() -> None:
    body = "The ministers agreed on a three-year plan to cut the deficit, officials said on Tuesday."
    more = "The plan includes spending limits and new rules for collecting taxes from large firms."
    article = clean_lines(
        "Latest news",
        "Storm closes schools in the north",
        "Markets rally after the rate decision",
        "By John Smith",
        "LONDON (Reuters) - " + body,
        more,
        "Back to top",
    )
    assert article.text.split("\n") == ["LONDON (Reuters) - " + body, more]
    assert aside_texts(article) == [("dateline", "LONDON (Reuters) - ")]


def test_judge_blocks_is_one_verdict_per_line() -> None:
    lines = [BlockLine(text, fold(text)) for text in (PROSE_1, "- روسيا - أوكرانيا", PROSE_2)]
    verdicts = judge_blocks(lines)
    assert len(verdicts) == 3 and verdicts[1].aside == "tags"
    assert judge_blocks([]) == []
    assert is_headline(fold("ارتفاع أسعار القمح في الأسواق")) and not is_headline(fold(PROSE_1))


def test_patterns_are_written_in_folded_spelling() -> None:
    from streams import clean_blocks

    for name, value in vars(clean_blocks).items():
        if isinstance(value, re.Pattern):
            arabic = [ch for ch in value.pattern if "\u0600" <= ch <= "\u06ff"]
            assert not [ch for ch in arabic if fold(ch) != ch], name


# ----------------------------------------------------------------------------- markup

PAGE = f"""<html><body><article>
<div class="article-meta"><div class="share-buttons"><a href="#">فيسبوك</a> <a href="#">تويتر</a></div></div>
<p>{PROSE_1}</p>
<blockquote class="twitter-tweet"><p>الجنود على الحدود الآن #روسيا</p>&mdash; حساب (@acc) <a href="#">March 1, 2022</a></blockquote>
<p>{PROSE_2}</p>
<ul><li><a href="/1">ارتفاع أسعار القمح في الأسواق</a></li><li><a href="/2">المنتخب يفوز في مباراة ودية</a></li>
<li><a href="/3">الحكومة تناقش قانون الاستثمار</a></li></ul>
<div class="related-posts"><h3>مقالات مشابهة</h3><p><a href="/4">افتتاح معرض الكتاب</a> نص قصير</p></div>
<ul><li>البند الأول من الخطة يخص الضرائب</li><li>البند الثاني يخص الإنفاق</li></ul>
</article></body></html>"""


def test_markup_marks_widgets_link_lists_and_embedded_posts() -> None:
    from selectolax.lexbor import LexborHTMLParser

    lines = marked_tree_lines(LexborHTMLParser(PAGE))
    assert lines == [
        MarkedLine("فيسبوك تويتر", "share"),
        MarkedLine(PROSE_1),
        MarkedLine("الجنود على الحدود الآن #روسيا", "embed"),
        MarkedLine("— حساب (@acc) March 1, 2022", "embed"),
        MarkedLine(PROSE_2),
        MarkedLine("ارتفاع أسعار القمح في الأسواق", "link-list"),
        MarkedLine("المنتخب يفوز في مباراة ودية", "link-list"),
        MarkedLine("الحكومة تناقش قانون الاستثمار", "link-list"),
        MarkedLine("مقالات مشابهة", "related"),
        MarkedLine("افتتاح معرض الكتاب نص قصير", "related"),
        MarkedLine("البند الأول من الخطة يخص الضرائب"),
        MarkedLine("البند الثاني يخص الإنفاق"),
    ]
    # the plain line list is unchanged by the marks
    assert tree_lines(LexborHTMLParser(PAGE)) == [line.text for line in lines]


def test_cleaner_removes_marked_widgets_and_credited_posts() -> None:
    article = clean_article(title="", content=PAGE)
    assert article.text.split("\n") == [
        PROSE_1,
        PROSE_2,
        "البند الأول من الخطة يخص الضرائب",
        "البند الثاني يخص الإنفاق",
    ]
    assert aside_texts(article) == []
    assert [reason for reason, _ in _removed(article)] == [
        "chrome:share",  # the line alone says it: its own reason wins over the markup's
        "embed",  # the post's text: its credit line follows
        "embed-credit",
        "html:link-list",
        "html:link-list",
        "html:link-list",
        "read-also",
        "html:related",
    ]


def test_a_class_word_on_the_articles_own_wrapper_does_not_drop_it() -> None:
    long_paragraph = " ".join([PROSE_1] * 5)
    page = f'<div class="post social-enabled"><p>{long_paragraph}</p><p>{PROSE_2}</p></div>'
    assert clean_article(title="", content=page).text.split("\n") == [long_paragraph, PROSE_2]


# --------------------------------------------------------------- control characters

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_control_characters_never_reach_title_text_or_asides() -> None:
    title = "عنوان\x00 الخبر\x07"
    content = f"تقرير\x1b\n{PROSE_1[:20]}\x00{PROSE_1[20:]}\x0c{PROSE_2}\x85{PROSE_3}\x9b"
    for content_type in ("text/plain", "text/html"):
        article = clean_article(title=title, content=content, content_type=content_type)
        assert article.title == "عنوان الخبر"
        assert not CONTROL.search(article.text)
        # form feed and NEL end lines; the others are dropped
        assert article.text.split("\n") == ["تقرير", PROSE_1, PROSE_2, PROSE_3]
    html = f"<p>{PROSE_1[:20]}&#1;\x01{PROSE_1[20:]}</p><p>\x9f{PROSE_2}</p>"
    assert clean_article(title="", content=html).text == f"{PROSE_1}\n{PROSE_2}"
    assert html_to_text("a\x00b\x1fc\x0bd") == "abc\nd"
    assert drop_control_characters("tab\tnew\nline\r") == "tab\tnew\nline\r"


def test_pipeline_copies_asides_into_the_article() -> None:
    raw = RawArticle(
        id="a1", feed="f", content=f"{PROSE_1}\n- روسيا - أوكرانيا", content_type="text/plain", first_seen_at=1.0
    )
    clean = clean_article(title="", content=raw.content, content_type="text/plain")
    article, _ = dedupe(raw, clean, Deduplicator(InMemoryDedupeStore()))
    assert [(span.start, span.end) for span in article.asides] == [(len(PROSE_1) + 1, len(article.text))]


def test_a_headline_is_a_short_line_without_a_sentence_end() -> None:
    """is_headline tells a sentence end from the line's last characters: it must agree
    with the sentence-end pattern searched over the whole line, whatever the line ends with."""
    sentence_end = re.compile(r"[.!?…:]['\"”»)\]]*$|\.\.\.$")
    alphabet = [".", "!", "…", ":", "'", '"', "”", "»", ")", "]", "ب", " ", "\n"]
    endings = [""]
    for _ in range(4):
        endings = [ending + char for ending in endings for char in alphabet]
        for ending in endings:
            line = "قال الوزير" + ending
            assert is_headline(line) == (sentence_end.search(line) is None), repr(line)
    assert is_headline("قال الوزير «نعم».»)»)»)»)»)»)»)»)»)»)") is False
