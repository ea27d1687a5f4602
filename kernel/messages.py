"""Versioned JSON messages on Marsad's Kafka topics — the contracts between the stages.

Every message carries ``version``. A consumer refuses a version it does not know
(and counts it) instead of guessing. Times are ISO 8601 UTC strings, except
``first_seen_at`` (unix seconds, float) which travels unchanged from the connector to
the dispatcher so that end-to-end latency can be measured.

Topics (see ``kernel.settings.Settings``):
  <ns>.articles.raw   RawArticle, key = article id       (connectors → streams)
  <ns>.articles       Article,    key = article id       (streams, retained for back-tests)
  <ns>.alerts         AlertEvent, key = rule id + story  (streams → alerts)
  <ns>.rules          RuleSetMessage, key = "ruleset"    (compacted; operators → workers)
  <ns>.articles.raw.dlq  a raw message copied as it was, RawDeadLetter in its header
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal, Self

import orjson
from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer


class Message(BaseModel):
    model_config = ConfigDict(extra="ignore")

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json"))

    @classmethod
    def from_bytes(cls, data: bytes | str) -> Self:
        return cls.model_validate(orjson.loads(data))


def article_id(feed_id: str, item_key: str) -> str:
    """Stable id of a feed item: the same item polled twice gets the same id."""
    return hashlib.sha256(f"{feed_id}\x00{item_key}".encode()).hexdigest()[:24]


class RawArticle(Message):
    """One feed item as the connector saw it (text may still be HTML)."""

    version: Literal["1"] = "1"
    id: str
    feed: str
    url: str = ""
    title: str = ""
    # Body as found: the full text when fetched, else the item's content or summary.
    content: str = ""
    content_type: Literal["text/html", "text/plain"] = "text/html"
    published: str | None = None  # ISO 8601 from the feed, when it gives one
    language: str | None = None  # the feed's language hint
    tags: list[str] = Field(default_factory=list)
    first_seen_at: float  # unix seconds when the connector first saw the item
    # The content was cut to the connector's size cap (MARSAD_ARTICLE_MAX_BYTES).
    truncated: bool = False


class StoryOutlet(Message):
    """A site that carried a story: the article URL's host without ``www.`` (the feed id
    when there is no URL), and when it first reported the story (unix seconds: published
    time when known, else when first seen)."""

    name: str
    first_seen: float


class StoryRef(Message):
    id: str
    sources: int = 1  # distinct feeds that carried the story
    # distinct outlets, earliest first (capped: the first 64 to report it); left out of
    # the JSON when empty, so that a message without them (a webhook payload, version 1)
    # keeps its documented shape
    outlets: list[StoryOutlet] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _omit_empty_outlets(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("outlets"):
            data.pop("outlets", None)
        return data


Region = Literal["title", "body", "aside"]


class TextSpan(Message):
    """A span ``[start, end)`` of an article's clean ``text``."""

    start: int
    end: int


class Article(Message):
    """A normalized article. ``text`` is the clean body; rules see ``title + "\\n\\n" + text``
    and evidence offsets index that string (the same convention as `marsad rules test`).

    ``asides`` are spans of ``text`` that the cleaner kept but judged not to be the article's
    own prose (a headline ticker, a tag line, an embedded post): rules match them only when
    they say ``regions: [..., aside]``."""

    version: Literal["1"] = "1"
    id: str
    feed: str
    url: str = ""
    canonical_url: str = ""
    title: str = ""
    text: str = ""
    language: str | None = None
    published: str | None = None
    agency: str | None = None  # news agency credited in the text (e.g. "dpa")
    content_hash: str = ""
    duplicate_of: str | None = None
    similarity: float | None = None
    story: StoryRef
    tags: list[str] = Field(default_factory=list)
    asides: list[TextSpan] = Field(default_factory=list)
    first_seen_at: float
    normalized_at: float


def document_text(title: str, text: str) -> str:
    """The string rules are matched against and evidence offsets index."""
    return f"{title}\n\n{text}" if title else text


class Evidence(Message):
    leaf: str  # terms | entity | quantity | regex
    text: str  # original wording
    start: int
    end: int
    value: float | int | None = None
    variant: str | None = None  # which name/variant matched (entities)
    entity: str | None = None
    unit: str | None = None
    region: Region = "body"  # where in the article: title, body, or an aside


class RuleRef(Message):
    id: str
    title: str = ""
    severity: str = "medium"


class AlertArticle(Message):
    id: str
    url: str = ""
    title: str = ""
    feed: str = ""
    published: str | None = None
    language: str | None = None


class AlertEvent(Message):
    """A rule matched an article. The dispatcher decides whether and where it is sent."""

    version: Literal["1"] = "1"
    rule: RuleRef
    throttle_seconds: float = 0
    notify: list[str] = Field(default_factory=list)
    escalate_at_sources: list[int] = Field(default_factory=list)
    # the thresholds count the story's outlets (sites) rather than its feeds: a rule with
    # a `story` condition, for which two feeds of one site are one source
    escalate_on_outlets: bool = False
    # the article is a near copy of one its story already has, with text of its own (a
    # changed lead, a paragraph added): the match may be of that text, and opens a group
    # only for a rule that never fired on the story; otherwise it folds into the group
    # the original opened, even one whose window has closed (alerts/grouping.py)
    from_copy: bool = False
    article: AlertArticle
    story: StoryRef
    evidence: list[Evidence] = Field(default_factory=list)
    matched_at: float
    first_seen_at: float


class RuleSetMessage(Message):
    """The whole active rule set, published as one message so that a change is atomic."""

    version: Literal["1"] = "1"
    ruleset_version: str  # content hash of rules + entities
    published_at: float
    author: str = ""
    rules: list[dict[str, Any]]
    entities: dict[str, Any] = Field(default_factory=dict)


class AlertOutlet(Message):
    """An outlet as the webhook payload names it, its first report in ISO 8601 UTC."""

    name: str
    first_seen: str


class AlertStory(Message):
    """The story as the webhook payload shows it. ``outlets`` (earliest first),
    ``first_seen`` (the first outlet's report) and ``last_seen`` (the latest outlet's first
    report) are left out of the JSON when the story's outlets are not known."""

    id: str
    sources: int = 1
    outlets: list[AlertOutlet] = Field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None

    @model_serializer(mode="wrap")
    def _omit_unknown(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("outlets"):
            data.pop("outlets", None)
        for key in ("first_seen", "last_seen"):
            if data.get(key) is None:
                data.pop(key, None)
        return data


class WebhookPayload(Message):
    """Alert payload version 1 (DESIGN.md); the body POSTed to webhooks."""

    version: Literal["1"] = "1"
    alert_id: str
    rule: RuleRef
    article: AlertArticle
    story: AlertStory
    evidence: list[Evidence]
    fired_at: str


DEAD_LETTER_HEADER = "marsad-dead-letter"


class RawDeadLetter(Message):
    """Why the worker gave up on a raw message. The message itself is copied to
    ``<ns>.articles.raw.dlq`` byte for byte (key and value), so that a replay publishes
    exactly what arrived; this record travels in its ``marsad-dead-letter`` header."""

    version: Literal["1"] = "1"
    reason: Literal["unreadable", "invalid", "unprocessable", "unpublishable"]
    error: str
    topic: str  # where the message was read: topic, partition, offset
    partition: int
    offset: int
    dead_lettered_at: float
    value_bytes: int  # size of the original value; the copy is empty when even it did not fit
