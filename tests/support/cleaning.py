"""Pages written line by line for the cleaner's tests, and what its output keeps aside."""

from __future__ import annotations

from streams.clean import CleanArticle, clean_article


def clean_lines(*lines: str, title: str = "") -> CleanArticle:
    """The cleaner's output for a plain-text page of these lines."""
    return clean_article(title=title, content="\n".join(lines), content_type="text/plain")


def aside_texts(article: CleanArticle) -> list[tuple[str, str]]:
    """Each aside of ``article`` as (reason, the text it covers)."""
    return [(aside.reason, article.text[aside.start : aside.end]) for aside in article.asides]
