"""channels.yaml: where alerts go, how fast, how often to retry (docs/webhooks.md).

```yaml
defaults:                      # optional; every channel inherits these
  timeout: 5s
  retry: {max_attempts: 12, max_age: 6h, initial: 1s, max: 10m, multiplier: 2}
channels:
  - id: ops-webhook
    type: webhook                              # webhook | slack
    url: https://alerts.example.org/marsad     # ${VAR} and ${VAR:-default} are expanded
    secret_env: MARSAD_WEBHOOK_SECRET          # or secret_file: /run/secrets/marsad
    rate_per_second: 20
    default: true                              # used by rules without `notify`
    allow_networks: []                         # loopback | private | link-local | CIDR
  - id: ops-slack
    type: slack
    url_env: MARSAD_SLACK_WEBHOOK_URL          # the Slack URL is itself a secret
```

Secrets are read once at load time and kept in ``Secret`` objects whose repr never shows
the value, so that they cannot reach a log line by accident.
"""

from __future__ import annotations

import logging
import os
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from alerts.ssrf import TargetPolicy, UnresolvableHost, UnsafeTarget, check_url
from kernel.durations import parse_duration
from kernel.errors import ConfigError

log = logging.getLogger(__name__)

CHANNEL_ID = re.compile(r"^[a-z0-9_-]{1,64}$")
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")

# Slack accepts about one message per second per incoming webhook.
SLACK_DEFAULT_RATE = 1.0
WEBHOOK_DEFAULT_RATE = 20.0


class Secret:
    """A secret value that does not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter; dead-letter after ``max_attempts`` or ``max_age_s``."""

    max_attempts: int = 12
    max_age_s: float = 6 * 3600.0
    initial_s: float = 1.0
    max_backoff_s: float = 600.0
    multiplier: float = 2.0

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Delay before attempt ``attempt + 1`` after attempt ``attempt`` (1-based) failed:
        half of the exponential step fixed, half random ("equal jitter"), so that retries
        of many alerts spread out but never come back immediately."""
        step = min(self.max_backoff_s, self.initial_s * self.multiplier ** max(attempt - 1, 0))
        return step / 2 + (rng or random).uniform(0, step / 2)

    def schedule(self) -> list[tuple[float, float]]:
        """(min, max) delay before each retry, for the docs and `marsad dlq` output."""
        out = []
        for attempt in range(1, self.max_attempts):
            step = min(self.max_backoff_s, self.initial_s * self.multiplier ** (attempt - 1))
            out.append((step / 2, step))
        return out


@dataclass(frozen=True)
class Channel:
    id: str
    type: Literal["webhook", "slack"]
    url: Secret  # Slack URLs are credentials; webhook URLs may embed tokens too
    secret: Secret | None = None
    timeout_s: float = 5.0
    rate_per_second: float = WEBHOOK_DEFAULT_RATE
    concurrency: int = 4
    default: bool = False
    policy: TargetPolicy = field(default_factory=TargetPolicy)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ChannelSet:
    path: str
    channels: dict[str, Channel]

    @property
    def defaults(self) -> list[str]:
        return [c.id for c in self.channels.values() if c.default]

    def targets(self, notify: list[str]) -> tuple[list[str], list[str]]:
        """(known channel ids, unknown ids) for a rule's ``notify`` (empty = the defaults)."""
        wanted = notify or self.defaults
        known = [cid for cid in dict.fromkeys(wanted) if cid in self.channels]
        unknown = [cid for cid in dict.fromkeys(wanted) if cid not in self.channels]
        return known, unknown


def expand_env(text: str, env: Mapping[str, str]) -> str:
    """Expand ``${VAR}`` and ``${VAR:-default}``; an unset variable without default is an error."""

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        value = env.get(name)
        if value:
            return value
        if default is not None:
            return default
        raise ValueError(f"environment variable {name} is not set (write ${{{name}:-default}} for a default)")

    return _ENV_REF.sub(substitute, text)


_CHANNEL_KEYS = {
    "id",
    "type",
    "url",
    "url_env",
    "secret_env",
    "secret_file",
    "timeout",
    "rate_per_second",
    "concurrency",
    "default",
    "allow_networks",
    "retry",
    "headers",
}
_RETRY_KEYS = {"max_attempts", "max_age", "initial", "max", "multiplier"}
_TOP_KEYS = {"defaults", "channels"}
_DEFAULT_KEYS = {"timeout", "retry", "concurrency", "allow_networks"}


class _Loader:
    def __init__(self, path: str, env: Mapping[str, str], base_dir: Path) -> None:
        self.path, self.env, self.base_dir = path, env, base_dir

    def error(self, message: str, node: Any = None, key: Any = None) -> ConfigError:
        line = None
        lc = getattr(node, "lc", None)
        if lc is not None:
            try:
                line = (lc.key(key)[0] if key is not None else lc.line) + 1
            except (KeyError, TypeError, AttributeError):
                line = lc.line + 1
        return ConfigError(message, path=self.path, line=line)

    def duration(self, node: Any, key: str, value: Any) -> float:
        try:
            return parse_duration(value)
        except ValueError as exc:
            raise self.error(f"{key}: {exc}", node, key) from None

    def number(self, node: Any, key: str, value: Any, *, minimum: float, integer: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            kind = "an integer" if integer else "a number"
            raise self.error(f"{key}: expected {kind}, got {value!r}", node, key)
        if value < minimum:
            raise self.error(f"{key}: must be at least {minimum:g}, got {value!r}", node, key)
        return value

    def unknown_keys(self, node: Mapping[str, Any], allowed: set[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                raise self.error(
                    f"unknown key {key!r} in {what} (expected one of: {', '.join(sorted(allowed))})", node, key
                )

    def retry(self, node: Any, base: RetryPolicy) -> RetryPolicy:
        if node is None:
            return base
        if not isinstance(node, Mapping):
            raise self.error("retry: expected a mapping", node)
        self.unknown_keys(node, _RETRY_KEYS, "retry")
        values = {
            "max_attempts": base.max_attempts,
            "max_age_s": base.max_age_s,
            "initial_s": base.initial_s,
            "max_backoff_s": base.max_backoff_s,
            "multiplier": base.multiplier,
        }
        if "max_attempts" in node:
            values["max_attempts"] = int(
                self.number(node, "max_attempts", node["max_attempts"], minimum=1, integer=True)
            )
        if "max_age" in node:
            values["max_age_s"] = self.duration(node, "max_age", node["max_age"])
        if "initial" in node:
            values["initial_s"] = self.duration(node, "initial", node["initial"])
        if "max" in node:
            values["max_backoff_s"] = self.duration(node, "max", node["max"])
        if "multiplier" in node:
            values["multiplier"] = float(self.number(node, "multiplier", node["multiplier"], minimum=1))
        if values["max_backoff_s"] < values["initial_s"]:
            raise self.error("retry: max must not be smaller than initial", node)
        return RetryPolicy(**values)

    def policy(self, node: Any, key: str, value: Any) -> TargetPolicy:
        if value is None:
            return TargetPolicy()
        if isinstance(value, str) or not isinstance(value, list):
            raise self.error(f"{key}: expected a list such as [loopback]", node, key)
        try:
            return TargetPolicy.parse(value)
        except ValueError as exc:
            raise self.error(f"{key}: {exc}", node, key) from None

    def secret(self, node: Mapping[str, Any], cid: str) -> Secret | None:
        if "secret_env" in node and "secret_file" in node:
            raise self.error(f"channel {cid}: give secret_env or secret_file, not both", node, "secret_file")
        if "secret_env" in node:
            name = str(node["secret_env"])
            value = self.env.get(name, "")
            if not value:
                raise self.error(
                    f"channel {cid}: environment variable {name} (secret_env) is not set", node, "secret_env"
                )
            return Secret(value)
        if "secret_file" in node:
            file = Path(expand_env(str(node["secret_file"]), self.env))
            if not file.is_absolute():
                file = self.base_dir / file
            try:
                value = file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise self.error(
                    f"channel {cid}: cannot read secret_file {file}: {exc.strerror}", node, "secret_file"
                ) from None
            if not value:
                raise self.error(f"channel {cid}: secret_file {file} is empty", node, "secret_file")
            return Secret(value)
        return None

    def url(self, node: Mapping[str, Any], cid: str) -> str:
        if ("url" in node) == ("url_env" in node):
            raise self.error(f"channel {cid}: give exactly one of url or url_env", node)
        if "url_env" in node:
            name = str(node["url_env"])
            value = self.env.get(name, "")
            if not value:
                raise self.error(f"channel {cid}: environment variable {name} (url_env) is not set", node, "url_env")
            return value
        try:
            return expand_env(str(node["url"]), self.env)
        except ValueError as exc:
            raise self.error(f"channel {cid}: url: {exc}", node, "url") from None

    def channel(self, node: Any, defaults: Mapping[str, Any], base_retry: RetryPolicy) -> Channel:
        if not isinstance(node, Mapping):
            raise self.error("each channel must be a mapping with id, type and url", node)
        self.unknown_keys(node, _CHANNEL_KEYS, "a channel")
        cid = node.get("id")
        if not isinstance(cid, str) or not CHANNEL_ID.match(cid):
            raise self.error(f"channel id {cid!r} must match [a-z0-9_-]{{1,64}}", node, "id" if "id" in node else None)
        kind = node.get("type")
        if kind not in ("webhook", "slack"):
            raise self.error(
                f"channel {cid}: type must be webhook or slack, got {kind!r}", node, "type" if "type" in node else None
            )
        url = self.url(node, cid)
        secret = self.secret(node, cid)
        if kind == "webhook" and secret is None:
            raise self.error(
                f"channel {cid}: a webhook needs secret_env or secret_file to sign its requests", node, "id"
            )
        timeout = self.duration(node, "timeout", node.get("timeout", defaults.get("timeout", 5.0)))
        if timeout <= 0:
            raise self.error(f"channel {cid}: timeout must be positive", node, "timeout")
        rate = float(
            self.number(
                node,
                "rate_per_second",
                node.get("rate_per_second", SLACK_DEFAULT_RATE if kind == "slack" else WEBHOOK_DEFAULT_RATE),
                minimum=0.001,
            )
        )
        concurrency = int(
            self.number(
                node,
                "concurrency",
                node.get("concurrency", defaults.get("concurrency", 1 if kind == "slack" else 4)),
                minimum=1,
                integer=True,
            )
        )
        default = node.get("default", False)
        if not isinstance(default, bool):
            raise self.error(f"channel {cid}: default must be true or false", node, "default")
        policy = self.policy(node, "allow_networks", node.get("allow_networks", defaults.get("allow_networks")))
        retry = self.retry(node.get("retry"), base_retry)
        headers_node = node.get("headers") or {}
        if not isinstance(headers_node, Mapping):
            raise self.error(f"channel {cid}: headers must be a mapping", node, "headers")
        try:
            headers = tuple((str(k), expand_env(str(v), self.env)) for k, v in headers_node.items())
        except ValueError as exc:
            raise self.error(f"channel {cid}: headers: {exc}", node, "headers") from None
        try:
            check_url(url, policy)
        except UnresolvableHost:
            # DNS may be down right now; every send checks again before connecting.
            log.warning("channel %s: host does not resolve now; it is checked again before each send", cid)
        except UnsafeTarget as exc:
            raise self.error(
                f"channel {cid}: target refused: {exc}", node, "url" if "url" in node else "url_env"
            ) from None
        return Channel(
            id=cid,
            type=kind,
            url=Secret(url),
            secret=secret,
            timeout_s=timeout,
            rate_per_second=rate,
            concurrency=concurrency,
            default=default,
            policy=policy,
            retry=retry,
            headers=headers,
        )


def parse_channels(
    text: str, path: str = "channels.yaml", env: Mapping[str, str] | None = None, base_dir: Path | None = None
) -> ChannelSet:
    loader = _Loader(path, os.environ if env is None else env, base_dir or Path(path).resolve().parent)
    try:
        root = YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"invalid YAML: {getattr(exc, 'problem', None) or exc}", path=path, line=mark.line + 1 if mark else None
        ) from None
    if not isinstance(root, Mapping) or "channels" not in root:
        raise ConfigError("expected a mapping with a `channels:` list", path=path, line=1)
    loader.unknown_keys(root, _TOP_KEYS, "channels.yaml")
    defaults = root.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise loader.error("defaults must be a mapping", root, "defaults")
    loader.unknown_keys(defaults, _DEFAULT_KEYS, "defaults")
    base_retry = loader.retry(defaults.get("retry"), RetryPolicy())
    items = root["channels"]
    if not isinstance(items, list) or not items:
        raise loader.error("channels must be a non-empty list", root, "channels")
    channels: dict[str, Channel] = {}
    for node in items:
        channel = loader.channel(node, defaults, base_retry)
        if channel.id in channels:
            raise loader.error(f"duplicate channel id {channel.id!r}", node, "id")
        channels[channel.id] = channel
    return ChannelSet(path=path, channels=channels)


def load_channels(path: Path, env: Mapping[str, str] | None = None) -> ChannelSet:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read channels file: {exc.strerror}", path=str(path)) from None
    return parse_channels(text, str(path), env, path.resolve().parent)
