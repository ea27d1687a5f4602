"""The "Cleaning" table of ../shared/corpus/SEEDS-EXPECTED.md, on the seed files.

A seed becomes a feed item as: title = first non-empty line, content = the whole file,
content_type "text/plain", published None."""

from __future__ import annotations

import pytest

from kernel.messages import document_text
from streams.clean import CleanArticle, clean_article
from streams.textnorm import fold
from tests.support.stack import SEEDS_DIR


def _raw(prefix: str) -> str:
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _clean(prefix: str, **overrides) -> tuple[str, CleanArticle]:
    raw = _raw(prefix)
    title = next(line for line in raw.splitlines() if line.strip())
    arguments = dict(title=title, content=raw, content_type="text/plain", published=None)
    arguments.update(overrides)
    return raw, clean_article(**arguments)


def _reasons(article: CleanArticle) -> list[str]:
    return [line.reason for line in article.removed]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_kept_lines_keep_their_original_wording(prefix: str) -> None:
    raw, article = _clean(prefix)
    raw_lines = [line.strip() for line in raw.splitlines()]
    for line in article.text.split("\n"):
        assert line, "no blank lines in the clean text"
        # every kept line is a whole raw line, or its tail after a removed dateline
        assert line in raw_lines or any(raw_line.endswith(line) for raw_line in raw_lines)
    assert article.language == "ar"


def test_000_title_once_dateline_marker_and_footer_gone() -> None:
    raw, article = _clean("000")
    document = document_text(article.title, article.text)
    assert raw.count(article.title) == 2
    assert document.count(article.title) == 1
    assert _reasons(article).count("repeated-title") == 2
    assert article.published == "2021-12-07"
    assert article.agency == "sputnik"
    assert "(تستمر)" not in article.text
    assert "أفكارك وتعليقاتك" not in article.text
    # the Urdu dateline (with ی and ۔) is metadata, not prose
    assert "بوینت" not in article.text
    assert ("dateline", "( أردو بوینت نتورك ۔ / سبوتنيك - 07 ديسمبر 2021ء)") in [
        (line.reason, line.text) for line in article.removed
    ]
    assert article.text.startswith("أكد مسؤول أميركي أن الولايات المتحدة ستقدم")
    assert article.text.endswith("إلى جانب قضايا أخرى.")


def test_000_feed_published_wins_over_the_text() -> None:
    _, article = _clean("000", published="2021-12-08T06:30:00Z")
    assert article.published == "2021-12-08T06:30:00+00:00"
    _, article = _clean("000", published="Wed, 08 Dec 2021 06:30:00 +0300")
    assert article.published == "2021-12-08T06:30:00+03:00"


def test_000_persian_yeh_folds_to_arabic_yeh_for_comparison() -> None:
    _, article = _clean("000", title="مسؤول أمیرکی: سنقدم مساعدة عسكرية لحلفائنا إذا أقدمت روسيا على غزو أوكرانيا")
    # the title spelled with Persian ی and ک still matches its Arabic-spelled repeats
    assert _reasons(article).count("repeated-title") == 2


def test_001_quotes_and_final_alef_maqsura_kept_in_original() -> None:
    _, article = _clean("001")
    assert "“روسيا – الناتو”" in article.title
    assert "«الناتو»" in article.text
    assert "بايدن: حلف الأطلسى يبحث تسوية بين أوكرانيا وروسيا" in article.text.split("\n")
    assert "حلف الاطلسي يبحث" in fold(article.text)
    assert _reasons(article) == ["repeated-title"]
    assert article.published is None
    assert article.agency is None


def test_002_chrome_gone_time_and_credit_become_metadata() -> None:
    raw, article = _clean("002")
    lines = article.text.split("\n")
    for chrome in ("profile", "clock", "eye 463", "تم نسخ عنوان المقال", "Slide 01", "التعليقات (0)", "(د ب أ)"):
        assert chrome in raw
        assert chrome not in article.text
    assert lines[0].startswith("موسكو: يعتزم الرئيس الروسي فلاديمير بوتين")
    assert lines[-1].startswith("وأضاف البيان:")
    assert len(lines) == 14
    assert article.published == "2021-12-07T09:21:37"
    assert article.agency == "dpa"
    assert _reasons(article) == [
        "repeated-title",
        "chrome:icon-label",
        "chrome:date",
        "chrome:view-counter",
        "chrome:copied",
        "chrome:slide",
        "agency-credit",
        "chrome:comment-counter",
    ]


def test_002_afternoon_time_with_m_is_pm() -> None:
    raw = _raw("002").replace("9:21:37 ص", "9:21:37 م")
    article = clean_article(title="", content=raw, content_type="text/plain")
    assert article.published == "2021-12-07T21:21:37"


def test_003_repeated_subtitle_once_and_read_also_removed() -> None:
    raw, article = _clean("003")
    subtitle = "المتحدث باسم وزارة الدفاع الأمريكية جون كيربى"
    assert raw.splitlines().count(subtitle) == 2
    assert article.text.split("\n").count(subtitle) == 1
    assert "اقرأ أيضًا" not in article.text
    folded = fold(document_text(article.title, article.text))
    assert "مارب" not in folded
    assert "اليمن" not in folded
    assert [(line.reason, line.text) for line in article.removed] == [
        ("repeated-title", "البنتاجون: شحن الأنظمة الأمنية لأوكرانيا الأسبوع الجارى"),
        ("repeated-line", subtitle),
        ("read-also", "اقرأ أيضًا:\xa0صواريخ حوثية تستهدف مخيمًا للنازحين في مأرب باليمن"),
    ]
    # "الأربعاء 8 ديسمبر" has no year: not a publication date
    assert article.published is None


def test_004_doubled_body_collapses_to_one() -> None:
    raw, article = _clean("004")
    lines = article.text.split("\n")
    assert len(lines) == len(set(lines)) == 5
    document = document_text(article.title, article.text)
    # the first line is the title (once in the raw file); the five after it are doubled
    assert raw.count(article.title) == 1
    assert document.count(article.title) == 1
    for paragraph in lines:
        assert raw.count(paragraph) == 2
        assert document.count(paragraph) == 1
    assert 0.4 < len(article.text) / len(raw) < 0.6
    assert _reasons(article) == ["repeated-title"] + ["repeated-body"] * 5


def test_004_second_copy_without_title_line_gives_same_text() -> None:
    raw = _raw("004")
    title = raw.splitlines()[0]
    first = clean_article(title=title, content=raw, content_type="text/plain")
    half = "\n".join(raw.splitlines()[:6])
    second = clean_article(title=title, content=half, content_type="text/plain")
    assert second.text == first.text
