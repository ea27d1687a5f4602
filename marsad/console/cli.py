"""`marsad api` and `marsad tokens create | list | revoke`."""

from __future__ import annotations

import getpass
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import typer

from kernel.errors import MarsadError
from kernel.redis_client import connected_redis
from kernel.settings import Settings, get_settings

if TYPE_CHECKING:
    from marsad.console.auth import TokenStore
    from marsad.console.store import ConsoleStore

tokens_app = typer.Typer(help="API tokens of the operator console.", no_args_is_help=True)
log = logging.getLogger(__name__)


def api(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every interface)."),
    port: int = typer.Option(None, help="Port to listen on [default: MARSAD_API_PORT, 8080]."),
) -> None:
    """Run the operator console (API and web page) until stopped."""
    import uvicorn

    from kernel.metrics import serve_metrics
    from marsad.console.app import create_app

    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="[%(asctime)s] %(levelname)s %(name)s: %(message)s")
    connected_redis(settings)  # fail with one clear line, before uvicorn starts, when Redis is down
    try:
        # On the API's own address: an API kept on 127.0.0.1 keeps its metrics there too.
        serve_metrics(settings.api_metrics_port, "api", addr=host)
    except OSError as exc:
        # The console matters more than its metrics: say so and serve without them.
        log.error("no /metrics on port %d (%s); the console runs without them", settings.api_metrics_port, exc)
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port or settings.api_port,
        log_level="info",
        access_log=False,
        timeout_graceful_shutdown=5,
    )


def _stores(settings: Settings) -> tuple[TokenStore, ConsoleStore]:
    # Imported here: `marsad --help` and every other command start without them.
    from marsad.console.auth import TokenStore
    from marsad.console.store import ConsoleStore

    client = connected_redis(settings)
    return TokenStore(client, settings.redis_prefix), ConsoleStore(client, settings.redis_prefix)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@tokens_app.command("create")
def create_token(
    role: str = typer.Option(..., "--role", help="viewer, editor or admin."),
    name: str = typer.Option(..., "--name", help="Who or what uses the token; recorded as author of changes."),
    expires: str = typer.Option(None, "--expires", help="Lifetime such as 30d or 12h [default: never expires]."),
) -> None:
    """Create a token and print it once (only its SHA-256 is kept)."""
    from marsad.console.auth import Role, lifetime_seconds

    level = Role.parse(role)
    lifetime = lifetime_seconds(expires) if expires is not None else None
    tokens, store = _stores(get_settings())
    token = tokens.create(name, level, lifetime)
    record = tokens.get(name)
    expires_at = _time(record.expires_at) if record and record.expires_at is not None else None
    store.audit(_actor(), "token.create", f"token:{name}", role=level.name, expires_at=expires_at)
    typer.echo(token)
    until = f", expires {expires_at}" if expires_at else ""
    typer.echo(f"token {name!r} ({level.name}{until}) created; it is shown only this once", err=True)


def _time(ts: float | None, never: str = "never") -> str:
    return never if ts is None else datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@tokens_app.command("list")
def list_tokens() -> None:
    """List tokens: name, role, creation, expiry and last use (to the minute), tab-separated;
    never the tokens themselves."""
    tokens, _ = _stores(get_settings())
    records = tokens.list()
    if not records:
        typer.echo("no tokens", err=True)
        return
    last_used = tokens.last_used()
    now = tokens.clock()
    for record in records:
        expires = _time(record.expires_at) + (" (expired)" if record.expired(now) else "")
        used = _time(last_used.get(record.name))
        typer.echo(f"{record.name}\t{record.role}\t{_time(record.created_at)}\t{expires}\t{used}")


@tokens_app.command("revoke")
def revoke_token(name: str = typer.Argument(..., help="The token's name.")) -> None:
    """Revoke a token: requests with it are refused from now on."""
    tokens, store = _stores(get_settings())
    if not tokens.revoke(name):
        raise MarsadError(f"no token named {name!r}")
    store.audit(_actor(), "token.revoke", f"token:{name}")
    typer.echo(f"token {name!r} revoked")
