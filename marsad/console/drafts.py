"""Trying rules before saving them: a dry-run on one text or one retained article, and a
back-test of a draft over the retained articles. Nothing here changes the rule set."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kernel.errors import MarsadError
from kernel.messages import document_text
from marsad.console import engine
from marsad.console.backtest import article_summary, run_backtest
from marsad.console.errors import NotFound
from marsad.console.retained import RetainedArticles, find_article
from marsad.console.service import Console


def dry_run(
    console: Console,
    *,
    text: str | None,
    title: str = "",
    article_id: str | None = None,
    language: str | None = None,
    feed: str | None = None,
    draft: str | None = None,
    days: float = 30,
) -> dict[str, Any]:
    """Match one text (or the retained article ``article_id`` of the last ``days``) against
    ``draft`` — or the current rule set without one. Returns the document matched, the
    article when one was looked up, and the matches with their evidence."""
    if (text is None) == (article_id is None):
        raise MarsadError("give either text or article_id")
    ruleset = engine.compile_draft(draft, console.entities_text()) if draft is not None else console.compiled()
    article = None
    if article_id is not None:
        settings = console.settings
        found = find_article(settings, article_id, days)
        if found is None:
            raise NotFound(f"no article {article_id!r} in the last {days:g} days of {settings.topic_articles}")
        title, text = found.title, found.text
        language, feed = found.language, found.feed
        article = article_summary(found)
    return {
        "document": document_text(title, text or ""),
        "article": article,
        "matches": engine.match_document(ruleset, title, text or "", language=language, feed=feed),
    }


def backtest(console: Console, draft: str, *, days: float, max_matches: int) -> Iterator[dict[str, Any]]:
    """The events of a back-test of ``draft`` over the last ``days`` (see ``backtest.py``).
    An invalid draft or an unreachable Kafka raises here, before the first event."""
    ruleset = engine.compile_draft(draft, console.entities_text())
    articles = RetainedArticles(console.settings, days)
    return run_backtest(ruleset, articles, days=days, window=articles.window, max_match_events=max_matches)
