"""An article is cut to the size cap at ingestion and flagged, never dropped."""

from __future__ import annotations

import orjson

from connectors.publisher import MAX_TITLE_CHARS, capped, cut_to_json_size
from kernel.messages import RawArticle


def _raw(content: str, title: str = "عنوان") -> RawArticle:
    return RawArticle(id="a1", feed="f", url="https://x.example/1", title=title, content=content, first_seen_at=1.0)


def test_a_huge_article_is_cut_to_the_cap_and_flagged() -> None:
    article = _raw("<p>" + "كلمة " * 2_000_000 + "</p>")  # ~ 18 MB as UTF-8
    cut = capped(article, 1024 * 1024)
    assert cut.truncated is True
    assert 1024 * 1024 - 8 <= len(orjson.dumps(cut.content)) <= 1024 * 1024
    assert article.content.startswith(cut.content)
    assert len(cut.to_bytes()) < 1024 * 1024 + 1024
    assert RawArticle.from_bytes(cut.to_bytes()).truncated is True


def test_an_article_within_the_cap_is_unchanged() -> None:
    article = _raw("نص قصير")
    assert capped(article, 1024) is article
    assert article.truncated is False


def test_the_cap_counts_json_escapes_and_never_splits_a_character() -> None:
    text = "\x00" * 1000  # six bytes each in JSON
    assert len(orjson.dumps(cut_to_json_size(text, 602))) <= 602
    assert cut_to_json_size("ab😀cd", 7) == "ab"  # the emoji's four bytes would make eight
    assert cut_to_json_size("x" * 10, 100) == "x" * 10


def test_a_huge_title_is_cut_too() -> None:
    cut = capped(_raw("نص", title="ع" * (MAX_TITLE_CHARS * 3)), 1024)
    assert cut.truncated and len(cut.title) == MAX_TITLE_CHARS
