"""Lines that are one sentence's, lists that are the article's own, and posts that are
inside a line (streams.clean_blocks), on pages written for these tests; each reproduces what
a held-out set of real pages showed (docs/cleaning.md, "A fourth held-out set", "A fifth")."""

from __future__ import annotations

from streams.clean_blocks import inline_posts
from tests.support.cleaning import aside_texts, clean_lines

PROSE_1 = "وقال المتحدث باسم خفر السواحل إن فرق الإنقاذ انتشلت عشرات الناجين ونقلتهم إلى الميناء."
PROSE_2 = "وأضاف أن عمليات البحث عن المفقودين ستتواصل طوال الليل بمساعدة سفن تجارية قريبة."
POST = "الزلزال كان قويا جدا 6.8 درجات وشعرنا به في كل المدينة #زلزال pic.twitter.com/Qw3rTy7"
CREDIT = "— مرصد الزلازل (@quake_watch) September 9, 2023"


def test_a_first_sentence_wrapped_over_short_lines_is_prose() -> None:
    wrapped = ["لقي 41 شخصا مصرعهم، جراء", "انقلاب قارب صيد قبالة الساحل الجنوبي", "للجزيرة."]
    article = clean_lines(*wrapped, PROSE_1, PROSE_2)
    assert article.text.split("\n") == [*wrapped, PROSE_1, PROSE_2]
    assert article.asides == ()  # before: its first and last lines were labels above the article


def test_a_byline_above_the_article_is_still_a_label() -> None:
    # "إمام" and "علي" fold as "أمام" (in front of) and "على" (on) do: names, not sentences going on
    for byline in ("فاطمة إمام", "محمد علي"):
        article = clean_lines(byline, PROSE_1, PROSE_2)
        assert aside_texts(article) == [("lead-in", byline)]


def test_a_sentence_wrapped_over_three_short_lines_between_paragraphs_is_no_ticker() -> None:
    wrapped = [
        "وأوضح أن السلطات نسقت مع سفارة البلاد في",
        "العاصمة ومع أسر الضحايا على أن تبدأ مراسم التشييع",
        "بعد صلاة الظهر من المسجد الكبير",
    ]
    article = clean_lines(PROSE_1, *wrapped, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, *wrapped, PROSE_2]
    assert article.asides == ()
    # three headlines in a row between paragraphs are still one
    ticker = ["ارتفاع أسعار القمح في الأسواق", "المنتخب يفوز في مباراة ودية", "الحكومة تناقش قانون الاستثمار"]
    article = clean_lines(PROSE_1, *ticker, PROSE_2)
    assert aside_texts(article) == [("headline-run", "\n".join(ticker))]


def test_a_post_inside_a_line_of_prose_is_the_only_aside() -> None:
    before = "ضرب زلزال قوي المنطقة الجبلية فجر اليوم وأوقع عشرات الضحايا بحسب الدفاع المدني."
    after = "وفي العاصمة أعلنت الحكومة الحداد ثلاثة أيام وفتحت مراكز لإيواء المتضررين."
    line = f"{before} {POST} {CREDIT} {after}"
    assert inline_posts(line) == [(before, False), (f"{POST} {CREDIT}", True), (after, False)]
    article = clean_lines(line, PROSE_1)
    assert article.text.split("\n") == [before, f"{POST} {CREDIT}", after, PROSE_1]
    assert aside_texts(article) == [("embed", f"{POST} {CREDIT}")]  # before: the whole line, prose and all


def test_a_post_alone_on_its_line_is_judged_whole() -> None:
    # its own text ends on "!" before its link: still the post's, and nothing is left to split
    post = "نحن مع أهلنا في كل القرى المتضررة وسنبقى معهم حتى النهاية بإذن الله! pic.twitter.com/Zx9"
    assert inline_posts(f"{post} {CREDIT}") is None
    assert inline_posts(PROSE_1) is None
    article = clean_lines(PROSE_1, f"{post} {CREDIT}", PROSE_2)
    assert aside_texts(article) == [("embed", f"{post} {CREDIT}")]


def test_a_post_line_ending_with_its_credit_takes_the_post_line_above() -> None:
    first = "لحظة لن ننساها 🌍"
    glued = "ينضم رسميا إلى #الفريق 🤩 pic.twitter.com/Ab12Cd — النادي الرياضي (@the_club) December 30, 2022"
    article = clean_lines(PROSE_1, first, glued, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, first, glued, PROSE_2]
    assert aside_texts(article) == [("embed", f"{first}\n{glued}")]
    # the article's sentence introducing the post is not the post's
    intro = "وكتب النادي على حسابه الرسمي:"
    article = clean_lines(PROSE_1, intro, glued, PROSE_2)
    assert aside_texts(article) == [("embed", glued)]


def test_a_tag_label_and_a_comments_label_are_removed() -> None:
    article = clean_lines(PROSE_1, PROSE_2, "ذكر فى هذا الخبر", "شارك الخبر على", "تعليقات")
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert [line.text for line in article.removed] == ["ذكر فى هذا الخبر", "شارك الخبر على", "تعليقات"]


def test_a_numbered_list_of_the_article_is_kept() -> None:
    items = ["1. مومياء الملك الأول", "2. مومياء الملكة الثانية", "3. مومياء الملك الثالث", "4. مومياء الملك الرابع"]
    article = clean_lines(PROSE_1, PROSE_2, *items)
    assert article.text.split("\n") == [PROSE_1, PROSE_2, *items]  # before: removed as a ticker
    assert article.asides == ()


def test_a_list_under_a_line_that_ends_with_a_colon_is_the_articles() -> None:
    intro = "وأبرز ما جاء في كلمة الرئيس المنتخب:"
    points = ["- لا تفريط في سيادة البلاد", "- حان وقت الحوار بين الجميع", "- عهدي حماية حرية التعبير"]
    article = clean_lines(PROSE_1, intro, *points, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, intro, *points, PROSE_2]
    assert article.asides == ()  # before: an aside, as a bulleted ticker
    # the same lines with no introduction are still a ticker between paragraphs
    article = clean_lines(PROSE_1, *points, PROSE_2)
    assert aside_texts(article) == [("headline-run", "\n".join(points))]


def test_a_read_also_label_glued_to_its_headlines_goes_however_long() -> None:
    glued = (
        "إقرأ أيضاً:المنتخب يستعد لمواجهة حاسمة في التصفيات المؤهلة إلى البطولة القارية المقبلة"
        "ارتفاع جديد في أسعار الوقود يثير غضب سائقي سيارات الأجرة في العاصمة والمدن الكبرى!"
        "وظائف شاغرة في هيئة الطيران المدني.. تعرف على الشروط والمزايا ومواعيد التقديم"
        "صدمة للجماهير | النادي يفقد مدافعه الأساسي قبل مباراة القمة في الدوري المحلي هذا الأسبوع"
    )
    article = clean_lines(PROSE_1, glued, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert [line.reason for line in article.removed] == ["read-also"]
    bulleted = clean_lines(PROSE_1, "• " + glued, PROSE_2)
    assert [line.reason for line in bulleted.removed] == ["read-also"]
    # a long line with sentences after the label is prose
    prose = "اقرأ أيضا: " + " ".join([PROSE_1, PROSE_2, PROSE_1])
    assert clean_lines(PROSE_1, prose, PROSE_2).text.split("\n") == [PROSE_1, prose, PROSE_2]


def test_labels_over_lists_of_other_articles() -> None:
    headlines = ["المنتخب يخسر مباراته الأولى في البطولة", "ارتفاع أسعار الذهب في السوق المحلية"]
    for label in (
        "أهم الأخبار",
        "الأكثر مشاركة",
        "مقالات أخرى",
        "More Related News",
        "You might also like",
        "مواضيع ساخنة أخرى",
    ):
        article = clean_lines(PROSE_1, PROSE_2, label, *headlines)
        assert article.text.split("\n") == [PROSE_1, PROSE_2], label
        assert [line.reason for line in article.removed] == ["headline-list"] * 3, label


def test_a_bulleted_question_is_one_of_a_lists_headlines() -> None:
    # other stories' headlines above the article, one of them a question (a seventh held-out set)
    bulleted = [
        "• المنتخب يستعد لمواجهة حاسمة في التصفيات",
        "• بعد قرار المحكمة.. ماذا قال سكان الحي؟",
        "• ارتفاع أسعار الذهب في السوق المحلية",
    ]
    article = clean_lines(*bulleted, PROSE_1, PROSE_2)
    assert aside_texts(article) == [("headline-run", "\n".join(bulleted))]
    # a question in running text is no headline: between paragraphs it stays
    question = "فهل تنجح الحكومة في خفض الأسعار قبل نهاية العام؟"
    assert clean_lines(PROSE_1, question, PROSE_2).text.split("\n") == [PROSE_1, question, PROSE_2]
