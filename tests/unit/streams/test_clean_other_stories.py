"""Text of other stories and of the publisher that real pages leave inside an article:
teaser paragraphs after a read-also label at the article's end, "وقد يهمك أيضا" lists, an
agency's subscription notice, and the text of an embedded post. Each test reproduces one
phenomenon seen on real pages, with text written for these tests, next to an article
sentence that looks like it and is kept."""

from __future__ import annotations

from streams.clean import CleanArticle, clean_article

PROSE_1 = "أعلنت وزارة الدفاع في بيان صباح اليوم أن وحداتها أنهت مناورات واسعة قرب الحدود الشمالية."
PROSE_2 = "وقال المتحدث باسم الوزارة إن المناورات شملت تدريبات على الدفاع الجوي ونقل الإمدادات."
PROSE_3 = "وأضاف أن الوحدات ستعود إلى ثكناتها خلال الأيام المقبلة بعد انتهاء التقييم."

TEASER_HEADLINE = "حريق يلتهم مستودعا للأخشاب في الميناء التجاري"
TEASER_1 = "اندلع حريق كبير مساء أمس في مستودع للأخشاب بالميناء التجاري، وهرعت فرق الإطفاء إلى المكان."
TEASER_2 = "وقال مسؤول في الدفاع المدني إن النيران لم تمتد إلى المباني المجاورة، وإن التحقيق جار"

NOTICE = (
    "ما تنشره الوكالة على موقعها العام من أخبار هو ملخص لجزء من الخدمة التي تصل إلى المشتركين. "
    "للاشتراك في خدمة الوكالة يرجى التواصل عبر الرابط أدناه."
)


def _clean(*lines: str) -> CleanArticle:
    return clean_article(title="", content="\n".join(lines), content_type="text/plain")


def _removed(article: CleanArticle) -> list[tuple[str, str]]:
    return [(line.reason, line.text) for line in article.removed]


# ---------------------------------------------------------------- read-also teasers


def test_teaser_paragraphs_after_the_articles_source_and_tags_go() -> None:
    article = _clean(
        PROSE_1,
        PROSE_2,
        "المصدر: صحيفة الوادي",
        "كلمات دلالية: مناورات الحدود",
        "إقرأ أيضاً:",
        TEASER_HEADLINE,
        TEASER_1,
        TEASER_2,
    )
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert _removed(article)[-3:] == [("read-also", TEASER_HEADLINE), ("read-also", TEASER_1), ("read-also", TEASER_2)]


def test_a_long_labelled_tag_list_ends_the_article_too() -> None:
    tags = "كلمات دلالية: مناورات الحدود الشمالية وزارة الدفاع الدفاع الجوي الإمدادات العسكرية تقييم الوحدات"
    article = _clean(PROSE_1, PROSE_2, tags, "إقرأ أيضاً:", TEASER_HEADLINE, TEASER_1)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert _removed(article)[0] == ("chrome:tags", tags)
    # the same words in a sentence, without the label's colon, are prose
    sentence = "الكلمات المفتاحية في خطاب الوزير كانت الأمن والتنمية والعمل المشترك بين الوزارات والجيش"
    assert _clean(PROSE_1, sentence, PROSE_2).text.split("\n") == [PROSE_1, sentence, PROSE_2]


def test_the_article_resuming_after_a_read_also_link_in_its_middle_is_kept() -> None:
    article = _clean(PROSE_1, "اقرأ أيضاً:", TEASER_HEADLINE, PROSE_2, PROSE_3)
    assert article.text.split("\n") == [PROSE_1, PROSE_2, PROSE_3]
    # a source line above the article is not its end
    article = _clean("المصدر: وكالات", "اقرأ أيضاً:", TEASER_HEADLINE, PROSE_2, PROSE_3)
    assert article.text.split("\n") == [PROSE_2, PROSE_3]


def test_headlines_joined_on_one_line_after_a_related_label_go() -> None:
    """ "مواضيع ذات صلة :" over its headlines on one line, between " | " (a question among
    them): the list goes, the article going on after it stays (sixth held-out copy set)."""
    joined = f"هل تعود الحمى إلى الشمال في الشتاء؟ | {TEASER_HEADLINE} | المنتخب الوطني يستعد لمباراة ودية"
    article = _clean(PROSE_1, "مواضيع ذات صلة :", joined, PROSE_2, PROSE_3)
    assert article.text.split("\n") == [PROSE_1, PROSE_2, PROSE_3]
    assert ("read-also", joined) in _removed(article)
    # sentences after the label are the article going on, " | " or not
    paragraph = f"{PROSE_2} | {PROSE_3}"
    assert _clean(PROSE_1, "مواضيع ذات صلة :", paragraph).text.split("\n") == [PROSE_1, paragraph]


def test_related_headlines_between_separator_lines_go_however_many() -> None:
    """ "أخبار متعلقة" with a line of "-" between its headlines: a label takes up to three
    headlines, but each separator announces one more (before, "-", a headline and "-" used
    up the three, and the rest stayed in the body); the article going on after them stays."""
    headlines = [
        TEASER_HEADLINE,
        "الموفدة الأممية تبدأ زيارة إلى العاصمة",
        "حملة لترحيل آلاف المهاجرين",
        "الحكومة ترد على الانتقادات الموجهة لسياساتها",
        "أمام التطبيق 75 يوما فقط لإيجاد مشتر محلي",
    ]
    lines = [PROSE_1, "-", "أخبار متعلقة"]
    for headline in headlines:
        lines += ["-", headline]
    article = _clean(*lines, PROSE_2, PROSE_3)
    assert article.text.split("\n") == [PROSE_1, PROSE_2, PROSE_3]
    assert [text for reason, text in _removed(article) if reason == "read-also"] == ["أخبار متعلقة", *headlines]


# ------------------------------------------------------------------ "وقد يهمك" lists


def test_may_interest_you_label_and_its_headlines_go_in_plain_text() -> None:
    article = _clean(
        PROSE_1,
        PROSE_2,
        "وقد يهمك أيضــًا :",
        "افتتاح جسر جديد فوق النهر بعد عامين من العمل",
        "المنتخب الوطني يستعد لمباراة ودية الأسبوع المقبل",
    )
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert [reason for reason, _ in _removed(article)] == ["headline-list"] * 3


def test_teasers_cut_off_mid_word_under_a_list_label_go_with_their_times() -> None:
    """Each item is its story's first words cut at a fixed length, longer than a headline,
    with no ellipsis, and its time on the next line; the last one cut by the page's end."""
    items = [
        "انضم ألفا متطوع إلى قوات الدفاع المدني يوم السبت في وقت تكثف فيه السلطات استعداداتها لموسم الأمطار الم",
        "10:32 - 2024/11/02",
        "ارتفع عدد الضحايا جراء حريق في سوق شعبي بالعاصمة إلى 17 شخصا، فيما أمرت السلطات بإغلاق الأسواق ال",
        "09:06 - 2024/",
    ]
    article = _clean(PROSE_1, PROSE_2, "في نفس السياق", *items)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert [text for _, text in _removed(article)] == ["في نفس السياق", *items]


def test_an_unfinished_line_after_a_list_label_is_taken_only_up_to_a_sentence() -> None:
    """A line that ends its sentence is no teaser: the list stops there."""
    article = _clean(PROSE_1, "في نفس السياق", PROSE_2, PROSE_3)
    assert article.text.split("\n") == [PROSE_1, PROSE_2, PROSE_3]


def test_unlabelled_headlines_each_with_its_cut_teaser_go() -> None:
    """Other stories as pairs, a headline and its first words cut with "…", two or more in a
    row and no label above them (the twentieth held-out cleaner set)."""
    pairs = [
        "أسعار القمح ترتفع 40 دينارا.. والطن يسجل 900 دينار",
        "سجلت أسعار القمح في الأسواق المحلية، بالتعاملات الصباحية اليوم الخميس،...",
        "أسعار الأسمدة تسجل أعلى مستوى لها منذ عامين",
        "ارتفعت أسعار الأسمدة في السوق المحلية مع بداية الموسم الزراعي…",
    ]
    article = _clean(PROSE_1, PROSE_2, *pairs)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert [text for _, text in _removed(article)] == pairs


def test_one_headline_with_a_cut_teaser_or_a_subheading_over_a_paragraph_stays() -> None:
    one_pair = ["أسعار القمح ترتفع 40 دينارا", "سجلت أسعار القمح في الأسواق المحلية اليوم الخميس،..."]
    assert _clean(PROSE_1, *one_pair, PROSE_2).text.split("\n") == [PROSE_1, *one_pair, PROSE_2]
    subheadings = ["المناورات في أرقام", PROSE_2, "ما بعد المناورات", PROSE_3]
    assert _clean(PROSE_1, *subheadings).text.split("\n") == [PROSE_1, *subheadings]


def test_a_sentence_opening_with_may_interest_you_is_kept() -> None:
    sentence = "وقد يهمك أيضا أن المعرض يفتح أبوابه مجانا يوم الجمعة المقبل."
    assert _clean(PROSE_1, sentence, PROSE_2).text.split("\n") == [PROSE_1, sentence, PROSE_2]


# -------------------------------------------------------- agency subscription notice


def test_subscription_notice_goes_on_its_own_line_and_at_the_end_of_the_last_paragraph() -> None:
    article = _clean(PROSE_1, PROSE_2, NOTICE)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert _removed(article) == [("subscription-footer", NOTICE)]
    # a dispatch run as one paragraph: the notice is cut off its last line, the rest kept
    article = _clean(f"{PROSE_1} {PROSE_2} {NOTICE}")
    assert article.text == f"{PROSE_1} {PROSE_2}"
    assert _removed(article) == [("subscription-footer", NOTICE)]
    # an invitation with the link to follow
    invitation = "للاشتراك في نشرة الوكالة الإخبارية. يمكنكم الضغط على الرابط التالي"
    assert _clean(PROSE_1, PROSE_2, invitation).text.split("\n") == [PROSE_1, PROSE_2]


def test_sentences_about_subscribers_are_kept() -> None:
    count = "وقالت الوكالة إن عدد المشتركين في خدمتها الإخبارية ارتفع إلى مليون مشترك."
    price = "وللاشتراك في الخدمة الجديدة يدفع العميل عشرة دولارات شهريا."
    article = _clean(PROSE_1, count, f"{PROSE_2} {price}")
    assert article.text.split("\n") == [PROSE_1, count, f"{PROSE_2} {price}"]
    assert article.removed == ()


# ------------------------------------------------------------------ embedded posts


def test_the_text_of_an_embedded_post_goes_with_its_credit() -> None:
    post = [
        "المشهد من الشرفة هذا الصباح 🙏",
        "طوابير طويلة أمام المخابز",
        "الناس تنتظر منذ الفجر #الخبز #المدينة pic.twitter.com/Qw3rTy12",
    ]
    credit = "— مراسل المدينة (@city_reporter) March 3, 2024"
    article = _clean(PROSE_1, *post, credit, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert _removed(article) == [*(("embed", line) for line in post), ("embed-credit", credit)]
    assert article.asides == ()


def test_article_sentences_above_an_embedded_post_are_kept() -> None:
    credit = "— مراسل المدينة (@city_reporter) March 3, 2024"
    introduction = "وكتب مراسل على حسابه في منصة إكس:"
    post = "الطوابير أمام المخابز منذ الفجر #الخبز"
    article = _clean(PROSE_1, introduction, post, credit, PROSE_2)
    assert article.text.split("\n") == [PROSE_1, introduction, PROSE_2]
    # a paragraph too long to be a post stays (as an aside): the post's own text was lost
    paragraph = " ".join((PROSE_1, PROSE_2, PROSE_3, PROSE_1))
    article = _clean(PROSE_3, paragraph, credit, PROSE_2)
    assert article.text.split("\n") == [PROSE_3, paragraph, PROSE_2]
    assert [(aside.reason, article.text[aside.start : aside.end]) for aside in article.asides] == [("embed", paragraph)]


def test_the_same_text_in_feed_html() -> None:
    page = f"""<article><p>{PROSE_1}</p>
<blockquote class="twitter-tweet"><p>الطوابير أمام المخابز منذ الفجر #الخبز</p>&mdash; مراسل (@city_reporter)
<a href="#">March 3, 2024</a></blockquote>
<p>{PROSE_2} {NOTICE}</p>
<p>قد يهمك أيضا:</p><p>افتتاح جسر جديد فوق النهر بعد عامين من العمل</p>
<p>المصدر: صحيفة الوادي</p><p>إقرأ أيضاً:</p><p><a href="/1">{TEASER_HEADLINE}</a></p><p>{TEASER_1}</p></article>"""
    article = clean_article(title="", content=page)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert article.asides == ()
