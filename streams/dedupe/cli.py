"""`marsad dedupe test`: the stream's clean + dedupe stages, in process, over a JSONL file."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import orjson
import typer

from kernel.errors import ConfigError, MarsadError
from kernel.jsonl import read_jsonl, source_name

dedupe_app = typer.Typer(help="Run the duplicate detector on a file of articles.", no_args_is_help=True)

_REQUIRED = ("id", "title", "text")
_OPTIONAL = ("url", "feed", "published", "language")


@dataclass(frozen=True)
class TestArticle:
    line: int
    id: str
    title: str
    text: str
    url: str
    feed: str | None
    published: str | None
    language: str | None


def read_articles(path: Path) -> Iterator[TestArticle]:
    """The articles of a JSONL file; a bad line raises ConfigError naming file and line."""
    name = source_name(path)
    for number, item in read_jsonl(path):
        for key in _REQUIRED:
            if not isinstance(item.get(key), str):
                problem = "missing" if key not in item else "not a string"
                raise ConfigError(f'"{key}" is {problem}', path=name, line=number)
        if not item["id"].strip():
            raise ConfigError('"id" is empty', path=name, line=number)
        for key in _OPTIONAL:
            if item.get(key) is not None and not isinstance(item[key], str):
                raise ConfigError(f'"{key}" must be a string or null', path=name, line=number)
        yield TestArticle(
            number,
            item["id"],
            item["title"],
            item["text"],
            item.get("url") or "",
            item.get("feed"),
            item.get("published"),
            item.get("language"),
        )


def _feed_of(article: TestArticle) -> str:
    """Without a feed id the URL's host is the outlet; without either, the article alone."""
    if article.feed:
        return article.feed
    host = urlsplit(article.url).hostname if article.url else None
    return host or f"article:{article.id}"


def run_test(path: Path, out=sys.stdout) -> int:
    """Clean and dedupe every line in order, as the worker does; one JSON line out each."""
    from streams.dedupe import DedupeInput, Deduplicator, InMemoryDedupeStore

    # the whole file is checked before any output, so a bad line never leaves half a result
    articles = list(read_articles(path))
    try:
        from streams.clean import clean_article
    except ImportError as exc:
        raise MarsadError(f"the cleaning stage cannot be loaded: {exc}") from None
    deduplicator = Deduplicator(InMemoryDedupeStore())
    seen_at = time.time()
    count = 0
    for article in articles:
        clean = clean_article(
            title=article.title,
            content=article.text,
            content_type="text/plain",
            published=article.published,
            language=article.language,
        )
        decision = deduplicator.process(
            DedupeInput(
                id=article.id,
                feed=_feed_of(article),
                url=article.url,
                title=clean.title,
                text=clean.text,
                published=clean.published,
                seen_at=seen_at,
            )
        )
        out.write(
            orjson.dumps(
                {
                    "id": article.id,
                    "duplicate_of": decision.duplicate_of,
                    "story": decision.story_id,
                    "kind": decision.kind,
                    "similarity": decision.similarity,
                    "story_sources": decision.story_sources,
                    "story_reason": decision.story_reason,
                    "story_outlets": [{"name": o.name, "first_seen": o.first_seen} for o in decision.story_outlets],
                }
            ).decode()
            + "\n"
        )
        count += 1
    out.flush()
    return count


@dedupe_app.command("test")
def test_command(
    input: Path = typer.Option(
        ...,
        "--input",
        "-i",
        help="JSONL file: one article per line "
        '({"id", "title", "text"} and optional "url", "feed", "published", "language").',
    ),
) -> None:
    """Print, for each input line in order, the article's duplicate_of and story id."""
    run_test(input)
