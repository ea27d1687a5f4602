"""The raw dead-letter topic: a message the worker cannot process is copied, byte for
byte, to ``<ns>.articles.raw.dlq`` with the reason in its header (``RawDeadLetter``), and
only then is its offset let go. Nothing the worker gives up on is lost silently; `marsad
dlq list --articles` shows these copies and `marsad dlq replay --articles` publishes them
to the raw topic again.

Reasons: ``unreadable`` (not JSON), ``invalid`` (JSON, but not a RawArticle: a missing
field, an unknown version), ``unprocessable`` (cleaning failed), ``unpublishable`` (the
article would not fit in a Kafka record, or Kafka refused it for good).

An article that cannot be published is found out *before* its duplicate decision is
stored (``unpublishable_size``): a decision stored for an article never published would
make a later copy of it "a duplicate" of nothing anyone received.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

import orjson

from kernel import metrics
from kernel.messages import DEAD_LETTER_HEADER, RawArticle, RawDeadLetter
from streams.clean import CleanArticle

log = logging.getLogger("marsad.worker")

Reason = Literal["unreadable", "invalid", "unprocessable", "unpublishable"]

# What an Article adds to its text, title and URL: ids, hashes, times, the canonical URL
# (never much longer than the URL, counted twice below), the story with its capped list of
# outlets. Generous on purpose: the bound must never be below the real size.
ARTICLE_OVERHEAD_BYTES = 64 * 1024
ASIDE_BYTES = 40  # one {"start": …, "end": …} span


@dataclass(frozen=True)
class Rejected:
    """Why a message cannot go on: the reason (a RawDeadLetter reason) and the error."""

    reason: Reason
    error: str


@dataclass(frozen=True)
class Source:
    """Where a message was read."""

    topic: str
    partition: int
    offset: int


def unpublishable_size(raw: RawArticle, clean: CleanArticle, max_bytes: int) -> Rejected | None:
    """A rejection when the normalized article could exceed ``max_bytes`` as a Kafka record
    (an upper bound: its text, title and URLs JSON-encoded, plus a fixed allowance)."""
    bound = (
        len(orjson.dumps([clean.title, clean.text, raw.url, raw.url, raw.feed, raw.tags]))
        + ASIDE_BYTES * len(clean.asides)
        + ARTICLE_OVERHEAD_BYTES
    )
    if bound <= max_bytes:
        return None
    return Rejected("unpublishable", f"the article could be {bound} bytes, over the record limit of {max_bytes}")


SendFn = Callable[[bytes | None, bytes, list[tuple[str, bytes]]], Awaitable[None]]


class RawDeadLetters:
    """Copies rejected raw messages to the dead-letter topic through ``send`` (key, value,
    headers; returns once Kafka acknowledged), counts them and logs one line each."""

    def __init__(self, send: SendFn, max_bytes: int) -> None:
        self.send = send
        self.max_bytes = max_bytes

    async def put(self, key: bytes | None, value: bytes, source: Source, rejected: Rejected) -> None:
        letter = RawDeadLetter(
            reason=rejected.reason,
            error=rejected.error[:2000],
            topic=source.topic,
            partition=source.partition,
            offset=source.offset,
            dead_lettered_at=time.time(),
            value_bytes=len(value),
        )
        headers = [(DEAD_LETTER_HEADER, letter.to_bytes())]
        # The copy came from a record of the same broker, so it fits, unless it was within
        # a few hundred bytes of the limit; then the letter keeps the reason and the size.
        copy = value if len(value) + len(key or b"") + 4096 <= self.max_bytes else b""
        await self.send(key, copy, headers)
        metrics.ARTICLES_DEAD_LETTERED.labels(rejected.reason).inc()
        log.warning(
            "message %s:%d:%d dead-lettered (%s): %s",
            source.topic,
            source.partition,
            source.offset,
            rejected.reason,
            rejected.error[:300],
        )
