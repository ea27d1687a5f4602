"""feeds.yaml: the feeds the connector polls.

Format::

    feeds:
      - id: example-ar          # [a-z0-9_-]{1,64}, unique
        url: https://example.org/rss.xml   # http(s) URL, file:// URL or a local file path
        language: ar            # optional hint, copied onto every article of the feed
        poll: {min: 30s, max: 15m}   # interval bounds (defaults 60s / 30m); numbers are seconds
        full_text: false        # fetch each new item's page and extract its main text
        allow_networks: []      # internal addresses item pages may be on (loopback, private,
                                # link-local or a network such as 10.20.0.0/16); default none
        tags: [world, russia]   # optional, copied onto every article of the feed

A relative file path in ``url`` is resolved against the directory of feeds.yaml.
Errors name the file, the line and the reason (``ConfigError``).
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from ruamel.yaml import YAML

from kernel.config_files import checked_id, locate, parse_yaml, plain_values, read_text, validate_plain
from kernel.durations import parse_duration
from kernel.errors import ConfigError
from kernel.net_guard import TargetPolicy

DEFAULT_MIN_INTERVAL = 60.0
DEFAULT_MAX_INTERVAL = 30 * 60.0


class PollBounds(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    min: float = DEFAULT_MIN_INTERVAL
    max: float = DEFAULT_MAX_INTERVAL

    @field_validator("min", "max", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return parse_duration(value, positive=True)

    @model_validator(mode="after")
    def _ordered(self) -> PollBounds:
        if self.min > self.max:
            raise ValueError(f"poll.min ({self.min:g}s) is greater than poll.max ({self.max:g}s)")
        return self


class FeedConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    url: str
    language: str | None = None
    poll: PollBounds = Field(default_factory=PollBounds)
    full_text: bool = False
    tags: tuple[str, ...] = ()
    # Item links come from the feed's publisher, not the operator: their pages are fetched
    # only on public addresses unless these internal ones are allowed (kernel.net_guard).
    allow_networks: tuple[str, ...] = ()

    @field_validator("allow_networks")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        TargetPolicy.parse(value)  # ValueError names the bad entry
        return value

    @property
    def item_policy(self) -> TargetPolicy:
        """What the pages this feed's items link to may be fetched from."""
        return TargetPolicy.parse(self.allow_networks)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return checked_id(value, "feed id")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("url is empty")
        scheme = value.split(":", 1)[0].lower() if "://" in value else ""
        if scheme and scheme not in ("http", "https", "file"):
            raise ValueError(f"unsupported URL scheme {scheme!r} (use http, https, file or a path)")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().lower()
        if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{1,8})*", value):
            raise ValueError(f"language {value!r} is not a language tag such as ar or en")
        return value

    @property
    def is_remote(self) -> bool:
        return self.url.lower().startswith(("http://", "https://"))


class FeedsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feeds: list[FeedConfig] = Field(default_factory=list)


def _resolve_local(url: str, base_dir: Path) -> str:
    if "://" in url:
        return url
    path = Path(url).expanduser()
    return str(path if path.is_absolute() else (base_dir / path).resolve())


def parse_feeds_yaml(
    text: str, *, path: str = "feeds.yaml", base_dir: Path | None = None, resolve_paths: bool = True
) -> list[FeedConfig]:
    """The feeds of a feeds.yaml document; ``ConfigError`` (file:line: reason) when invalid."""
    data = plain_values(text, path)
    if data is None:
        return []
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping with a 'feeds' list", path=path, line=1)
    parsed = validate_plain(FeedsFile, data, text, path)
    seen: dict[str, int] = {}
    for index, feed in enumerate(parsed.feeds):
        if feed.id in seen:
            located = locate(parse_yaml(text, path), path)  # read again for the line
            raise ConfigError(
                f"duplicate feed id {feed.id!r} (first defined as feed #{seen[feed.id] + 1})",
                path=path,
                line=located.line_of(("feeds", index, "id")),
            )
        seen[feed.id] = index
    if not resolve_paths:
        return parsed.feeds
    base = base_dir or Path.cwd()
    return [f.model_copy(update={"url": _resolve_local(f.url, base)}) for f in parsed.feeds]


def load_feeds(path: Path, *, resolve_paths: bool = True) -> list[FeedConfig]:
    """Read and validate feeds.yaml (relative file URLs resolved against its directory)."""
    path = Path(path)
    return parse_feeds_yaml(
        read_text(path), path=str(path), base_dir=path.resolve().parent, resolve_paths=resolve_paths
    )


def _format_seconds(seconds: float) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def feeds_to_yaml(feeds: list[FeedConfig]) -> str:
    """feeds.yaml text for ``feeds`` (the format documented above)."""
    out = StringIO()
    yaml = YAML(typ="rt")
    yaml.default_flow_style = None
    yaml.width = 4096
    entries = []
    for f in feeds:
        entry: dict[str, Any] = {"id": f.id, "url": f.url}
        if f.language:
            entry["language"] = f.language
        if f.poll != PollBounds():
            entry["poll"] = {"min": _format_seconds(f.poll.min), "max": _format_seconds(f.poll.max)}
        if f.full_text:
            entry["full_text"] = True
        if f.tags:
            entry["tags"] = list(f.tags)
        if f.allow_networks:
            entry["allow_networks"] = list(f.allow_networks)
        entries.append(entry)
    yaml.dump({"feeds": entries}, out)
    return out.getvalue()
