"""`marsad connect` and `marsad feeds …` commands."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import urllib.parse
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import orjson
import typer
from rich.console import Console
from rich.table import Table

from connectors.config import FeedConfig, feeds_to_yaml, load_feeds
from connectors.fetch import Fetcher, FetchLimits, local_path, read_local
from connectors.opml import import_opml, load_existing, slugify
from connectors.parse import content_text, items_by_id, parse_feed, primary_language
from kernel.errors import FeedParseError, FetchError, MarsadError
from kernel.settings import get_settings

feeds_app = typer.Typer(help="Parse, check and import feeds.", no_args_is_help=True)

PARSE_TIMEOUT_S = 30.0


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def connect(
    feeds: Path = typer.Option(None, "--feeds", help="feeds.yaml (default: MARSAD_FEEDS_PATH)."),
    once: bool = typer.Option(False, "--once", help="Poll every feed once, publish, flush and exit."),
) -> None:
    """Poll the feeds of feeds.yaml and publish new items to Kafka."""
    from connectors.runner import run_connector  # trafilatura: not loaded by every `marsad` command

    settings = get_settings()
    feed_list = load_feeds(feeds or settings.feeds_path)
    _setup_logging(settings.log_level)
    code = asyncio.run(run_connector(settings, feed_list, once=once))
    raise typer.Exit(code)


class _ParseTimeout(BaseException):
    """Raised by SIGALRM inside the parser; a BaseException so that no library's
    ``except Exception`` swallows it."""


def _default_feed_id(source: str) -> str:
    if source.lower().startswith(("http://", "https://")):
        parts = urllib.parse.urlsplit(source)
        return slugify(f"{parts.hostname or ''} {parts.path}") or "feed"
    return slugify(Path(source).stem) or "feed"


def _read_source(source: str, max_bytes: int, timeout: float) -> tuple[bytes, str, str | None]:
    """``(body, base URL, content type)`` of a file or URL."""
    limits = FetchLimits(max_bytes=max_bytes, total_timeout=timeout)
    path = local_path(source)
    try:
        if path is not None:
            return read_local(path, limits), path.resolve().as_uri(), None

        async def fetch() -> tuple[bytes, str, str | None]:
            async with Fetcher(limits) as fetcher:
                result = await fetcher.fetch(source)
            return result.body, result.url, result.content_type

        return asyncio.run(fetch())
    except FetchError as exc:
        raise MarsadError(f"{source}: {exc.kind}: {exc}") from None


@feeds_app.command("parse")
def parse_command(
    source: str = typer.Argument(..., metavar="FILE_OR_URL", help="A feed file or an http(s) URL."),
    feed_id: str = typer.Option(None, "--feed-id", help="Feed id for article ids (default: from the name)."),
    language: str = typer.Option(None, "--language", help="Language hint (default: the feed's own)."),
    timeout: float = typer.Option(PARSE_TIMEOUT_S, help="Seconds allowed for fetching and for parsing."),
    max_bytes: int = typer.Option(10 * 1024 * 1024, help="Largest body accepted."),
) -> None:
    """Print one JSON line per article the connector would publish."""
    fid = feed_id or _default_feed_id(source)
    try:
        feed = FeedConfig(id=fid, url=source, language=language)
    except ValueError as exc:
        raise MarsadError(f"invalid --feed-id or --language: {exc}") from None
    body, base_url, content_type = _read_source(source, max_bytes, timeout)

    def on_alarm(_signum: int, _frame: object) -> None:
        raise _ParseTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        parsed = parse_feed(body, base_url=base_url, content_type=content_type)
        rows = []
        for aid, item in items_by_id(feed.id, parsed).items():
            rows.append(
                {
                    "id": aid,
                    "url": item.url,
                    "title": item.title,
                    "published": item.published,
                    "language": feed.language or primary_language(parsed.language),
                    "text": content_text(item.content, item.content_type),
                }
            )
    except _ParseTimeout:
        raise MarsadError(f"{source}: parsing took longer than {timeout:g}s") from None
    except FeedParseError as exc:
        raise MarsadError(f"{source}: not a feed: {exc}") from None
    except RecursionError:
        raise MarsadError(f"{source}: nesting too deep to parse") from None
    except Exception as exc:  # hostile input must end in one line, never a traceback
        raise MarsadError(f"{source}: cannot parse: {type(exc).__name__}: {exc}") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if not rows:
        reason = "; ".join(parsed.problems)[:300] or "the document has no items"
        raise MarsadError(f"{source}: no feed items found ({parsed.format}): {reason}")
    out = sys.stdout
    for row in rows:
        out.write(orjson.dumps(row).decode() + "\n")
    out.flush()


def _when(ts: float | None) -> str:
    if not ts:
        return "-"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


@feeds_app.command("check")
def check_command(
    feeds: Path = typer.Option(None, "--feeds", help="feeds.yaml (default: MARSAD_FEEDS_PATH)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per feed instead of a table."),
) -> None:
    """Each configured feed's health and last error (exit 1 when any feed is failing)."""
    from connectors.runner import check_feeds  # trafilatura: not loaded by every `marsad` command

    settings = get_settings()
    feed_list = load_feeds(feeds or settings.feeds_path)
    health, note = asyncio.run(check_feeds(settings, feed_list))
    if note:
        print(f"marsad feeds check: {note}", file=sys.stderr)
    if as_json:
        for row in health:
            sys.stdout.write(orjson.dumps(asdict(row)).decode() + "\n")
    else:
        table = Table(title=f"{len(health)} feeds")
        for column in ("feed", "status", "last success", "errors (in a row / total)", "items", "last error"):
            table.add_column(column)
        for row in health:
            colour = "green" if row.status == "ok" else "red"
            items = str(row.items_now) + " now" if row.items_now is not None else str(row.items_total)
            error = f"{row.last_error_kind}: {row.last_error}" if row.last_error_kind else (row.last_error or "")
            table.add_row(
                row.feed,
                f"[{colour}]{row.status}[/{colour}] ({row.source})",
                _when(row.last_success_at),
                f"{row.consecutive_errors} / {row.errors_total}",
                items,
                error[:120],
            )
        Console().print(table)
    if any(row.status != "ok" for row in health):
        raise typer.Exit(1)


@feeds_app.command("import")
def import_command(
    opml: Path = typer.Argument(..., metavar="FILE.opml", help="An OPML subscription list."),
    output: Path = typer.Option(
        None, "--output", "-o", help="feeds.yaml to add the feeds to (created when missing); default: print."
    ),
) -> None:
    """Turn an OPML subscription list into feeds.yaml entries."""
    existing = load_existing(output) if output else []
    merged, added = import_opml(opml, existing)
    if output is None:
        sys.stdout.write(feeds_to_yaml(merged))
        return
    output.write_text(feeds_to_yaml(merged), encoding="utf-8")
    print(f"added {len(added)} feeds to {output} ({len(merged)} in total)", file=sys.stderr)
