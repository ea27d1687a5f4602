"""The operator console's HTTP API and web page (`marsad api`).

Roles: viewer reads (rules, history, entities, alerts, silences) and tries drafts
(validate, dry-run); editor also changes rules, entities and silences and runs
back-tests; admin also reads the audit log. No token → 401, a weaker role → 403.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import orjson
import redis
from fastapi import Depends, FastAPI, HTTPException, Query, Request, Security
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from alerts.silences import MATCH_FIELDS, SilenceStore
from kernel import __version__
from kernel.durations import parse_duration
from kernel.errors import ConfigError, MarsadError, StackUnavailable
from kernel.redis_client import redis_client
from kernel.settings import Settings, get_settings
from marsad.console import alerts_feed, engine
from marsad.console.auth import Principal, Role, TokenStore
from marsad.console.backtest import RetainedArticles, article_summary, run_backtest
from marsad.console.service import ChangeResult, Console, NotFound, PublishFailed
from marsad.console.store import UnknownVersion, Version, VersionConflict

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
RULE_ID = r"^[a-z0-9_-]{1,64}$"
RuleId = Annotated[str, PathParam(pattern=RULE_ID, description="rule id: [a-z0-9_-]{1,64}")]
MAX_YAML_CHARS = 256 * 1024
MAX_TEXT_CHARS = 1024 * 1024


# --- request and response bodies -----------------------------------------------------
class ErrorInfoOut(BaseModel):
    path: str | None = None
    line: int | None = None
    reason: str
    message: str


class ValidateIn(BaseModel):
    yaml: str = Field(max_length=MAX_YAML_CHARS)
    rule_id: str | None = Field(
        default=None, pattern=RULE_ID, description="check the draft as this rule, within the current set"
    )


class ValidateOut(BaseModel):
    valid: bool
    errors: list[ErrorInfoOut]
    rules: list[str]


class RuleWriteIn(BaseModel):
    yaml: str = Field(max_length=MAX_YAML_CHARS)
    base_version: int | None = Field(
        default=None, ge=0, description="the version edited; 409 when another change came first"
    )


class EntitiesWriteIn(RuleWriteIn):
    pass


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
    yaml: str | None = Field(
        default=None, max_length=MAX_YAML_CHARS, description="a rule draft; without it the current rule set is used"
    )
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
    yaml: str = Field(max_length=MAX_YAML_CHARS)
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


class HealthOut(BaseModel):
    status: str
    version: str
    namespace: str


# --- helpers -------------------------------------------------------------------------
def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


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


def _ndjson(events: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    for event in events:
        yield orjson.dumps(event) + b"\n"


# --- the app -------------------------------------------------------------------------
def create_app(settings: Settings | None = None, *, follow_alerts: bool = True) -> FastAPI:
    """The console app for ``settings``. ``follow_alerts`` runs the background task that
    keeps rules' last fire times (off only where no Kafka is wanted)."""
    settings = settings or get_settings()
    client = redis_client(settings)
    console = Console(settings, client)
    tokens = TokenStore(client, settings.redis_prefix)
    silences = SilenceStore(client, settings.redis_prefix, cache_s=0)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            origin = await asyncio.to_thread(console.seed_if_empty)
            if origin:
                log.info("console seeded from %s", origin)
        except redis.RedisError as exc:
            log.error("Redis unavailable at start (%s); the console answers 503 until it is back", exc)
        follower = None
        if follow_alerts:
            follower = asyncio.create_task(
                alerts_feed.follow_last_fired(
                    settings, console.record_fired, console.alert_offsets, console.save_alert_offsets
                )
            )
        try:
            yield
        finally:
            if follower is not None:
                follower.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await follower
            client.close()

    app = FastAPI(
        title="Marsad console",
        version=__version__,
        description="Watch rules, entities, silences, dry-runs, back-tests and live alerts.",
        lifespan=lifespan,
    )
    app.state.console = console
    app.state.tokens = tokens

    bearer = HTTPBearer(auto_error=False, description="an API token from `marsad tokens create`")

    def require(role: Role):
        def check(credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> Principal:
            if credentials is None or not credentials.credentials:
                raise HTTPException(401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
            principal = tokens.authenticate(credentials.credentials)
            if principal is None:
                raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
            if principal.role < role:
                raise HTTPException(403, f"role {principal.role.name} may not do this; it needs {role.name}")
            return principal

        return check

    Viewer = Annotated[Principal, Depends(require(Role.viewer))]
    Editor = Annotated[Principal, Depends(require(Role.editor))]
    Admin = Annotated[Principal, Depends(require(Role.admin))]

    # Errors of the user's input keep their one-line message; nothing becomes a 500.
    @app.exception_handler(ConfigError)
    async def config_error(request: Request, exc: ConfigError) -> JSONResponse:
        errors = engine.error_infos(exc)
        return JSONResponse({"detail": str(exc), "errors": [e.as_dict() for e in errors]}, status_code=422)

    @app.exception_handler(VersionConflict)
    async def conflict(request: Request, exc: VersionConflict) -> JSONResponse:
        return JSONResponse({"detail": str(exc), "current_version": exc.current}, status_code=409)

    @app.exception_handler(NotFound)
    @app.exception_handler(UnknownVersion)
    async def not_found(request: Request, exc: MarsadError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(StackUnavailable)
    @app.exception_handler(PublishFailed)
    async def unavailable(request: Request, exc: MarsadError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(redis.RedisError)
    async def redis_down(request: Request, exc: redis.RedisError) -> JSONResponse:
        return JSONResponse({"detail": f"Redis unavailable: {exc}"}, status_code=503)

    @app.exception_handler(MarsadError)
    async def user_error(request: Request, exc: MarsadError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    # --- page and health -------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", response_model=HealthOut, tags=["health"])
    def healthz() -> HealthOut:
        client.ping()
        return HealthOut(status="ok", version=__version__, namespace=settings.namespace)

    @app.get("/api/whoami", response_model=WhoAmIOut, tags=["auth"])
    def whoami(user: Viewer) -> WhoAmIOut:
        return WhoAmIOut(name=user.name, role=user.role.name)

    # --- rules -----------------------------------------------------------------------
    @app.get("/api/rules", response_model=RuleListOut, tags=["rules"])
    def list_rules(user: Viewer) -> dict[str, Any]:
        last = console.last_fired()
        return {"rules": [rule_summary(i, v, last) for i, v in sorted(console.store.current_rules().items())]}

    @app.post("/api/rules/validate", response_model=ValidateOut, tags=["rules"])
    def validate_rules(body: ValidateIn, user: Viewer) -> ValidateOut:
        report = console.validate(body.yaml, body.rule_id)
        return ValidateOut(
            valid=not report.errors, errors=[ErrorInfoOut(**e.as_dict()) for e in report.errors], rules=report.rule_ids
        )

    @app.get("/api/rules/{rule_id}", response_model=RuleOut, tags=["rules"])
    def get_rule(rule_id: RuleId, user: Viewer) -> dict[str, Any]:
        version = console.rule(rule_id)
        return {**rule_summary(rule_id, version, console.last_fired()), "yaml": version.text}

    @app.put(
        "/api/rules/{rule_id}",
        response_model=ChangeOut,
        tags=["rules"],
        responses={409: {"description": "edited an old version"}, 422: {"description": "invalid rule"}},
    )
    def put_rule(rule_id: RuleId, body: RuleWriteIn, user: Editor) -> ChangeOut:
        return change_out(console.put_rule(rule_id, body.yaml, user.name, body.base_version))

    @app.delete("/api/rules/{rule_id}", response_model=ChangeOut, tags=["rules"])
    def delete_rule(
        rule_id: RuleId, user: Editor, base_version: Annotated[int | None, Query(ge=0)] = None
    ) -> ChangeOut:
        return change_out(console.delete_rule(rule_id, user.name, base_version))

    @app.get("/api/rules/{rule_id}/history", response_model=HistoryOut, tags=["rules"])
    def rule_history(rule_id: RuleId, user: Viewer) -> HistoryOut:
        versions = console.store.rule_history(rule_id)
        if not versions:
            raise NotFound(f"no rule {rule_id!r}")
        return HistoryOut(id=rule_id, versions=[version_out(v) for v in reversed(versions)])

    @app.post("/api/rules/{rule_id}/rollback/{version}", response_model=ChangeOut, tags=["rules"])
    def rollback_rule(
        rule_id: RuleId, version: Annotated[int, PathParam(ge=1, le=1_000_000)], user: Editor
    ) -> ChangeOut:
        return change_out(console.rollback_rule(rule_id, version, user.name))

    @app.post("/api/ruleset/publish", response_model=PublishOut, tags=["rules"])
    def publish_ruleset(user: Editor) -> PublishOut:
        info = console.publish_current(user.name)
        return PublishOut(ruleset_version=info.ruleset_version, rules=info.rules)

    # --- entities --------------------------------------------------------------------
    @app.get("/api/entities", response_model=EntitiesOut, tags=["entities"])
    def get_entities(user: Viewer) -> EntitiesOut:
        current = console.store.entities_current()
        if current is None:
            return EntitiesOut(version=0, author="", time="", yaml="")
        return EntitiesOut(version=current.version, author=current.author, time=current.time, yaml=current.text)

    @app.put("/api/entities", response_model=ChangeOut, tags=["entities"])
    def put_entities(body: EntitiesWriteIn, user: Editor) -> ChangeOut:
        return change_out(console.put_entities(body.yaml, user.name, body.base_version))

    @app.get("/api/entities/history", response_model=list[VersionOut], tags=["entities"])
    def entities_history(user: Viewer) -> list[VersionOut]:
        return [version_out(v) for v in reversed(console.store.entities_history())]

    @app.post("/api/entities/rollback/{version}", response_model=ChangeOut, tags=["entities"])
    def rollback_entities(version: Annotated[int, PathParam(ge=1, le=1_000_000)], user: Editor) -> ChangeOut:
        return change_out(console.rollback_entities(version, user.name))

    # --- dry-run and back-test -------------------------------------------------------
    @app.post("/api/dry-run", response_model=DryRunOut, tags=["test"])
    def dry_run(body: DryRunIn, user: Viewer) -> dict[str, Any]:
        if (body.text is None) == (body.article_id is None):
            raise MarsadError("give either text or article_id")
        if body.yaml is not None:
            ruleset = engine.compile_draft(body.yaml, console.entities_text())
        else:
            ruleset = console.compiled()
        article = None
        if body.article_id is not None:
            found = engine.find_article(settings, body.article_id, body.days)
            if found is None:
                raise NotFound(
                    f"no article {body.article_id!r} in the last {body.days:g} days of {settings.topic_articles}"
                )
            title, text = found.title, found.text
            language, feed = found.language, found.feed
            article = article_summary(found)
        else:
            title, text, language, feed = body.title, body.text or "", body.language, body.feed
        from kernel.messages import document_text

        return {
            "document": document_text(title, text),
            "article": article,
            "matches": engine.match_document(ruleset, title, text, language=language, feed=feed),
        }

    @app.post(
        "/api/backtest",
        tags=["test"],
        responses={
            200: {
                "content": {"application/x-ndjson": {}},
                "description": "one JSON event per line: start, match, progress, done",
            }
        },
    )
    def backtest(body: BacktestIn, user: Editor) -> StreamingResponse:
        ruleset = engine.compile_draft(body.yaml, console.entities_text())
        articles = RetainedArticles(settings, body.days)
        events = run_backtest(
            ruleset, articles, days=body.days, window=articles.window, max_match_events=body.max_matches
        )
        return StreamingResponse(
            _ndjson(events),
            media_type="application/x-ndjson",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    # --- silences --------------------------------------------------------------------
    def silence_out(s) -> SilenceOut:
        import time as _time

        return SilenceOut(**s.to_dict(), active=s.active(_time.time()))

    @app.get("/api/silences", response_model=SilenceListOut, tags=["silences"])
    def list_silences(user: Viewer) -> SilenceListOut:
        return SilenceListOut(silences=[silence_out(s) for s in silences.all()])

    @app.post("/api/silences", response_model=SilenceOut, status_code=201, tags=["silences"])
    def create_silence(body: SilenceIn, user: Editor) -> SilenceOut:
        try:
            seconds = parse_duration(body.duration)
        except ValueError as exc:
            raise MarsadError(f"duration: {exc}") from None
        if seconds <= 0 or seconds > 90 * 86400:
            raise MarsadError("duration: must be more than 0 and at most 90d")
        unknown = sorted(set(body.matchers) - set(MATCH_FIELDS))
        if unknown:
            raise MarsadError(f"matchers: unknown key {unknown[0]!r} (one of: {', '.join(MATCH_FIELDS)})")
        silence = silences.add(body.rule, seconds, body.reason, body.matchers, created_by=user.name)
        console.store.audit(
            user.name,
            "silence.create",
            f"silence:{silence.id}",
            rule=silence.rule,
            ends_at=iso(silence.ends_at),
            reason=silence.reason,
        )
        return silence_out(silence)

    @app.delete("/api/silences/{silence_id}", response_model=SilenceOut, tags=["silences"])
    def expire_silence(silence_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{1,32}$")], user: Editor) -> SilenceOut:
        ended = silences.expire(silence_id)
        if ended is None:
            raise NotFound(f"no silence {silence_id!r}")
        console.store.audit(user.name, "silence.expire", f"silence:{silence_id}", rule=ended.rule)
        return silence_out(ended)

    # --- alerts ----------------------------------------------------------------------
    @app.get("/api/alerts/recent", response_model=AlertsOut, tags=["alerts"])
    def recent(user: Viewer, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> AlertsOut:
        return AlertsOut(alerts=alerts_feed.recent_alerts(settings, limit))

    @app.get(
        "/api/alerts/stream",
        tags=["alerts"],
        responses={
            200: {
                "content": {"text/event-stream": {}},
                "description": "server-sent events: ready, then one alert event per new alert",
            }
        },
    )
    async def stream(request: Request, user: Viewer) -> StreamingResponse:
        return StreamingResponse(
            alerts_feed.tail_alerts(settings, request.is_disconnected),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    # --- audit -----------------------------------------------------------------------
    @app.get("/api/audit", response_model=AuditOut, tags=["audit"])
    def audit(
        user: Admin,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> AuditOut:
        entries, total = console.store.audit_log(limit, offset)
        return AuditOut(entries=[AuditEntryOut(**e.__dict__) for e in entries], total=total)

    return app
