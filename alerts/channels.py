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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    StrictBool,
    field_validator,
    model_validator,
)

from kernel.config_files import Located, Path_, checked_id, dotted, locate, parse_yaml, read_text, validate_model
from kernel.durations import parse_duration
from kernel.errors import ConfigError
from kernel.net_guard import TargetPolicy, UnresolvableHost, UnsafeTarget, check_url

log = logging.getLogger(__name__)

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")

# Slack accepts about one message per second per incoming webhook.
SLACK_DEFAULT_RATE = 1.0
WEBHOOK_DEFAULT_RATE = 20.0
DEFAULT_TIMEOUT = 5.0


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
    """Exponential backoff with jitter; dead-letter only once both limits are used up: at
    least ``max_attempts`` attempts, and the next would come later than ``max_age_s`` after
    the first (``max_age_s`` 0: the attempt count alone decides)."""

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
        """(min, max) delay before each of the first ``max_attempts - 1`` retries, for the docs
        and `marsad dlq` output (later retries, up to ``max_age_s``, wait the capped step)."""
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


# --- the file as written: shapes, types and ranges (pydantic, through kernel.config_files) ---


def _number(minimum: float, *, integer: bool = False) -> Callable[[Any], Any]:
    """A check for a YAML number at least ``minimum``; numbers written as strings are refused."""

    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            raise ValueError(f"expected {'an integer' if integer else 'a number'}, got {value!r}")
        if value < minimum:
            raise ValueError(f"must be at least {minimum:g}, got {value!r}")
        return value

    return check


def _networks(value: Any) -> TargetPolicy:
    if isinstance(value, str) or not isinstance(value, list):
        raise ValueError("expected a list such as [loopback]")
    return TargetPolicy.parse(value)


Count = Annotated[int, BeforeValidator(_number(1, integer=True))]
Multiplier = Annotated[float, BeforeValidator(_number(1))]
Rate = Annotated[float, BeforeValidator(_number(0.001))]
Duration = Annotated[float, BeforeValidator(parse_duration)]
Timeout = Annotated[float, BeforeValidator(partial(parse_duration, positive=True))]
Networks = Annotated[TargetPolicy, PlainValidator(_networks)]
HeaderValue = str | int | float | bool  # YAML scalars; sent as text


class RetrySpec(BaseModel):
    """A ``retry:`` mapping as written; the keys left out keep the inherited values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_attempts: Count | None = None
    max_age: Duration | None = None
    initial: Duration | None = None
    max: Duration | None = None
    multiplier: Multiplier | None = None

    def over(self, base: RetryPolicy) -> RetryPolicy:
        """``base`` with the values given here; ValueError when max ends up below initial."""
        policy = RetryPolicy(
            max_attempts=base.max_attempts if self.max_attempts is None else self.max_attempts,
            max_age_s=base.max_age_s if self.max_age is None else self.max_age,
            initial_s=base.initial_s if self.initial is None else self.initial,
            max_backoff_s=base.max_backoff_s if self.max is None else self.max,
            multiplier=base.multiplier if self.multiplier is None else self.multiplier,
        )
        if policy.max_backoff_s < policy.initial_s:
            raise ValueError("max must not be smaller than initial")
        return policy


class DefaultsSpec(BaseModel):
    """``defaults:``, inherited by every channel that does not set the key itself."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    timeout: Timeout = DEFAULT_TIMEOUT
    concurrency: Count | None = None
    allow_networks: Networks | None = None
    retry: RetrySpec | None = None


class ChannelSpec(BaseModel):
    """One entry of ``channels:`` as written (environment references not yet expanded)."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    id: str
    type: str
    url: str | None = None
    url_env: str | None = None
    secret_env: str | None = None
    secret_file: str | None = None
    timeout: Timeout | None = None
    rate_per_second: Rate | None = None
    concurrency: Count | None = None
    default: StrictBool = False
    allow_networks: Networks | None = None
    retry: RetrySpec | None = None
    headers: dict[str, HeaderValue] | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return checked_id(value, "channel id")

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        if value not in ("webhook", "slack"):
            raise ValueError(f"type must be webhook or slack, got {value!r}")
        return value

    @model_validator(mode="after")
    def _sources(self) -> ChannelSpec:
        if (self.url is None) == (self.url_env is None):
            raise ValueError("give exactly one of url or url_env")
        if self.secret_env is not None and self.secret_file is not None:
            raise ValueError("give secret_env or secret_file, not both")
        if self.type == "webhook" and self.secret_env is None and self.secret_file is None:
            raise ValueError("a webhook needs secret_env or secret_file to sign its requests")
        return self


class ChannelsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    defaults: DefaultsSpec | None = None
    channels: list[ChannelSpec]

    @field_validator("channels")
    @classmethod
    def _not_empty(cls, value: list[ChannelSpec]) -> list[ChannelSpec]:
        if not value:
            raise ValueError("must be a non-empty list")
        return value


# --- from the file to runtime channels: environment, secret files, the address check ---


class _Resolver:
    """Turns validated specs into ``Channel``s; its errors point at the line of the key."""

    def __init__(self, located: Located, env: Mapping[str, str], base_dir: Path) -> None:
        self.located, self.env, self.base_dir = located, env, base_dir

    def error(self, message: str, at: Path_) -> ConfigError:
        return ConfigError(message, path=self.located.path, line=self.located.line_of(at))

    def retry(self, spec: RetrySpec | None, base: RetryPolicy, at: Path_) -> RetryPolicy:
        if spec is None:
            return base
        try:
            return spec.over(base)
        except ValueError as exc:
            raise self.error(f"{dotted(at + ('retry',))}: {exc}", at + ("retry",)) from None

    def url(self, spec: ChannelSpec, at: Path_) -> str:
        if spec.url_env is not None:
            value = self.env.get(spec.url_env, "")
            if not value:
                raise self.error(
                    f"channel {spec.id}: environment variable {spec.url_env} (url_env) is not set", at + ("url_env",)
                )
            return value
        try:
            return expand_env(spec.url or "", self.env)
        except ValueError as exc:
            raise self.error(f"channel {spec.id}: url: {exc}", at + ("url",)) from None

    def secret(self, spec: ChannelSpec, at: Path_) -> Secret | None:
        if spec.secret_env is not None:
            value = self.env.get(spec.secret_env, "")
            if not value:
                raise self.error(
                    f"channel {spec.id}: environment variable {spec.secret_env} (secret_env) is not set",
                    at + ("secret_env",),
                )
            return Secret(value)
        if spec.secret_file is None:
            return None
        try:
            file = Path(expand_env(spec.secret_file, self.env))
        except ValueError as exc:
            raise self.error(f"channel {spec.id}: secret_file: {exc}", at + ("secret_file",)) from None
        if not file.is_absolute():
            file = self.base_dir / file
        try:
            value = file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise self.error(
                f"channel {spec.id}: cannot read secret_file {file}: {exc.strerror}", at + ("secret_file",)
            ) from None
        if not value:
            raise self.error(f"channel {spec.id}: secret_file {file} is empty", at + ("secret_file",))
        return Secret(value)

    def headers(self, spec: ChannelSpec, at: Path_) -> tuple[tuple[str, str], ...]:
        try:
            return tuple((name, expand_env(str(value), self.env)) for name, value in (spec.headers or {}).items())
        except ValueError as exc:
            raise self.error(f"channel {spec.id}: headers: {exc}", at + ("headers",)) from None

    def channel(self, spec: ChannelSpec, index: int, defaults: DefaultsSpec, base_retry: RetryPolicy) -> Channel:
        at: Path_ = ("channels", index)
        url = self.url(spec, at)
        secret = self.secret(spec, at)
        policy = spec.allow_networks if spec.allow_networks is not None else defaults.allow_networks
        policy = policy or TargetPolicy()
        slack = spec.type == "slack"
        retry = self.retry(spec.retry, base_retry, at)
        headers = self.headers(spec, at)
        try:
            check_url(url, policy)
        except UnresolvableHost:
            # DNS may be down right now; every send checks again before connecting.
            log.warning("channel %s: host does not resolve now; it is checked again before each send", spec.id)
        except UnsafeTarget as exc:
            source = "url" if spec.url is not None else "url_env"
            raise self.error(f"channel {spec.id}: target refused: {exc}", at + (source,)) from None
        concurrency = spec.concurrency or defaults.concurrency or (1 if slack else 4)
        return Channel(
            id=spec.id,
            type="slack" if slack else "webhook",
            url=Secret(url),
            secret=secret,
            timeout_s=spec.timeout if spec.timeout is not None else defaults.timeout,
            rate_per_second=spec.rate_per_second or (SLACK_DEFAULT_RATE if slack else WEBHOOK_DEFAULT_RATE),
            concurrency=concurrency,
            default=spec.default,
            policy=policy,
            retry=retry,
            headers=headers,
        )


def parse_channels(
    text: str, path: str = "channels.yaml", env: Mapping[str, str] | None = None, base_dir: Path | None = None
) -> ChannelSet:
    """The channels of a channels.yaml document; ConfigError (file:line: reason) when invalid."""
    located = locate(parse_yaml(text, path), path)
    if not isinstance(located.data, dict) or "channels" not in located.data:
        raise ConfigError("expected a mapping with a `channels:` list", path=path, line=1)
    spec = validate_model(ChannelsFile, located)
    resolver = _Resolver(located, os.environ if env is None else env, base_dir or Path(path).resolve().parent)
    defaults = spec.defaults or DefaultsSpec()
    base_retry = resolver.retry(defaults.retry, RetryPolicy(), ("defaults",))
    channels: dict[str, Channel] = {}
    for index, channel_spec in enumerate(spec.channels):
        if channel_spec.id in channels:
            raise resolver.error(f"duplicate channel id {channel_spec.id!r}", ("channels", index, "id"))
        channels[channel_spec.id] = resolver.channel(channel_spec, index, defaults, base_retry)
    return ChannelSet(path=path, channels=channels)


def load_channels(path: Path, env: Mapping[str, str] | None = None) -> ChannelSet:
    """Read and resolve channels.yaml (relative secret files are relative to its directory)."""
    path = Path(path)
    return parse_channels(read_text(path), str(path), env, path.resolve().parent)
