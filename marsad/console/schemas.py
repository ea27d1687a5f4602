"""The console API's request and response bodies, its path parameters, and the
conversions from the console's objects to the bodies."""

from __future__ import annotations

import re
import time
from typing import Annotated, Any, Literal

from fastapi import Path as PathParam
from pydantic import AfterValidator, BaseModel, Field

from alerts.silences import MATCH_FIELDS, Silence
from kernel.config_files import MAX_YAML_DEPTH
from marsad.console import engine
from marsad.console.auth import TOKEN_NAME_PATTERN, TokenRecord
from marsad.console.service import ChangeResult
from marsad.console.store import Version
from marsad.console.timefmt import iso_time

RULE_ID = r"^[a-z0-9_-]{1,64}$"
RuleId = Annotated[str, PathParam(pattern=RULE_ID, description="rule id: [a-z0-9_-]{1,64}")]
VersionNumber = Annotated[int, PathParam(ge=1, le=1_000_000)]
SilenceId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{1,32}$")]
TokenName = Annotated[str, PathParam(pattern=TOKEN_NAME_PATTERN.pattern, description="the token's name")]
# A rule's text: 1,000 terms in Arabic take some 15 KB; parsing 64 KB of YAML costs about
# 0.3 s of CPU, 256 KB several seconds (the parse time grows faster than the size), and
# validate and dry-run are open to every viewer.
MAX_RULE_YAML_CHARS = 64 * 1024
MAX_YAML_CHARS = 256 * 1024  # the entities (editors only)
MAX_TEXT_CHARS = 1024 * 1024
FLOW_BRACKETS = re.compile(r"[\[\]{}]")


def shallow_flow(text: str) -> str:
    """Refuse YAML whose [ ] { } nest deeper than the loader's depth cap, before any parse:
    the YAML scanner's work grows with the square of that depth (1,000 levels: seconds of
    CPU before the cap is reached). Brackets inside quoted scalars count too, which only
    a text with more than MAX_YAML_DEPTH of them could notice."""
    if text.count("[") + text.count("{") <= MAX_YAML_DEPTH:
        return text
    depth = 0
    for bracket in FLOW_BRACKETS.finditer(text):
        if bracket.group() in "[{":
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise ValueError(f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep")
        elif depth:
            depth -= 1
    return text


# YAML texts sent to be parsed: size and nesting checked before the engine sees them.
RuleYaml = Annotated[str, Field(max_length=MAX_RULE_YAML_CHARS), AfterValidator(shallow_flow)]
EntitiesYaml = Annotated[str, Field(max_length=MAX_YAML_CHARS), AfterValidator(shallow_flow)]


class ErrorInfoOut(BaseModel):
    path: str | None = None
    line: int | None = None
    reason: str
    message: str


class ValidateIn(BaseModel):
    yaml: RuleYaml
    rule_id: str | None = Field(
        default=None, pattern=RULE_ID, description="check the draft as this rule, within the current set"
    )


class ValidateOut(BaseModel):
    valid: bool
    errors: list[ErrorInfoOut]
    rules: list[str]


class RuleWriteIn(BaseModel):
    yaml: RuleYaml
    base_version: int | None = Field(
        default=None, ge=0, description="the version edited; 409 when another change came first"
    )


class EntitiesWriteIn(RuleWriteIn):
    yaml: EntitiesYaml  # the entities may be longer than a rule


class VersionOut(BaseModel):
    version: int
    author: str
    time: str
    action: str
    yaml: str
    diff: str
    rolled_back_to: int | None = None


class PublishOut(BaseModel):
    ruleset_version: str
    rules: int


class RuleSummaryOut(BaseModel):
    id: str
    title: str
    severity: str
    enabled: bool
    version: int
    author: str
    updated_at: str
    last_fired_at: str | None


class RuleOut(RuleSummaryOut):
    yaml: str


class RuleListOut(BaseModel):
    rules: list[RuleSummaryOut]


class ChangeOut(BaseModel):
    version: VersionOut
    changed: bool
    published: PublishOut | None


class HistoryOut(BaseModel):
    id: str
    versions: list[VersionOut]


class EntitiesOut(BaseModel):
    version: int
    author: str
    time: str
    yaml: str


class DryRunIn(BaseModel):
    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    title: str = Field(default="", max_length=10_000)
    article_id: str | None = Field(default=None, max_length=200, description="match a retained article instead of text")
    language: str | None = Field(default=None, max_length=16)
    feed: str | None = Field(default=None, max_length=200)
    yaml: RuleYaml | None = Field(default=None, description="a rule draft; without it the current rule set is used")
    days: float = Field(default=30, gt=0, le=365, description="how far back to look for article_id")


class EvidenceOut(BaseModel):
    model_config = {"extra": "allow"}
    leaf: str = ""
    text: str
    start: int
    end: int


class MatchOut(BaseModel):
    rule: str
    title: str = ""
    severity: str = ""
    evidence: list[EvidenceOut]


class DryRunOut(BaseModel):
    document: str
    article: dict[str, Any] | None
    matches: list[MatchOut]


class BacktestIn(BaseModel):
    yaml: RuleYaml
    days: float = Field(default=7, gt=0, le=90)
    max_matches: int = Field(default=200, ge=0, le=5000, description="match lines sent; counts stay complete")


class SilenceIn(BaseModel):
    rule: str = Field(min_length=1, max_length=200, description="rule id or glob, * for every rule")
    duration: str = Field(min_length=1, max_length=32, description="e.g. 30m, 2h, 1d")
    reason: str = Field(min_length=1, max_length=1000)
    matchers: dict[str, str] = Field(default_factory=dict, description=f"keys: {', '.join(MATCH_FIELDS)}")


class SilenceOut(BaseModel):
    id: str
    rule: str
    starts_at: float
    ends_at: float
    reason: str
    matchers: dict[str, str]
    created_by: str
    created_at: float
    active: bool


class SilenceListOut(BaseModel):
    silences: list[SilenceOut]


class AlertsOut(BaseModel):
    alerts: list[dict[str, Any]]


class AuditEntryOut(BaseModel):
    time: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


class AuditOut(BaseModel):
    entries: list[AuditEntryOut]
    total: int


class WhoAmIOut(BaseModel):
    name: str
    role: str


class TokenCreateIn(BaseModel):
    name: str = Field(pattern=TOKEN_NAME_PATTERN.pattern, description="who or what uses the token; author of changes")
    role: Literal["viewer", "editor", "admin"]
    expires: str | None = Field(
        default=None, min_length=1, max_length=32, description="lifetime such as 30d or 12h; none: never expires"
    )


class TokenOut(BaseModel):
    name: str
    role: str
    created_at: str
    expires_at: str | None
    last_used_at: str | None = Field(description="to the minute; null: never used")
    expired: bool


class TokenCreatedOut(TokenOut):
    token: str = Field(description="shown only in this answer; only its SHA-256 is kept")


class TokenListOut(BaseModel):
    tokens: list[TokenOut]


class HealthOut(BaseModel):
    status: str
    version: str
    namespace: str


# --- from the console's objects ---------------------------------------------------------
def iso(ts: float | None) -> str | None:
    return None if ts is None else iso_time(ts)


def version_out(v: Version) -> VersionOut:
    return VersionOut(
        version=v.version,
        author=v.author,
        time=v.time,
        action=v.action,
        yaml=v.text,
        diff=v.diff,
        rolled_back_to=v.rolled_back_to,
    )


def change_out(result: ChangeResult) -> ChangeOut:
    published = result.published
    return ChangeOut(
        version=version_out(result.version),
        changed=result.changed,
        published=PublishOut(ruleset_version=published.ruleset_version, rules=published.rules) if published else None,
    )


def rule_summary(rule_id: str, v: Version, last_fired: dict[str, float]) -> dict[str, Any]:
    fields = engine.rule_fields(v.text, rule_id)
    return {
        "id": rule_id,
        "title": fields.title,
        "severity": fields.severity,
        "enabled": fields.enabled,
        "version": v.version,
        "author": v.author,
        "updated_at": v.time,
        "last_fired_at": iso(last_fired.get(rule_id)),
    }


def silence_out(silence: Silence) -> SilenceOut:
    return SilenceOut(**silence.to_dict(), active=silence.active(time.time()))


def token_out(record: TokenRecord, last_used: dict[str, float]) -> TokenOut:
    return TokenOut(
        name=record.name,
        role=record.role,
        created_at=iso_time(record.created_at),
        expires_at=iso(record.expires_at),
        last_used_at=iso(last_used.get(record.name)),
        expired=record.expired(time.time()),
    )
