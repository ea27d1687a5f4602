"""`marsad api` and `marsad tokens create | list | revoke`."""

from __future__ import annotations

import getpass
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


def api(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every interface)."),
    port: int = typer.Option(None, help="Port to listen on [default: MARSAD_API_PORT, 8080]."),
) -> None:
    """Run the operator console (API and web page) until stopped."""
    import uvicorn

    from marsad.console.app import create_app

    settings = get_settings()
    connected_redis(settings)  # fail with one clear line, before uvicorn starts, when Redis is down
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
) -> None:
    """Create a token and print it once (only its SHA-256 is kept)."""
    from marsad.console.auth import Role

    level = Role.parse(role)
    tokens, store = _stores(get_settings())
    token = tokens.create(name, level)
    store.audit(_actor(), "token.create", f"token:{name}", role=level.name)
    typer.echo(token)
    typer.echo(f"token {name!r} ({level.name}) created; it is shown only this once", err=True)


@tokens_app.command("list")
def list_tokens() -> None:
    """List tokens: name, role and creation time (never the tokens themselves)."""
    tokens, _ = _stores(get_settings())
    records = tokens.list()
    if not records:
        typer.echo("no tokens", err=True)
        return
    for record in records:
        created = datetime.fromtimestamp(record.created_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        typer.echo(f"{record.name}\t{record.role}\t{created}")


@tokens_app.command("revoke")
def revoke_token(name: str = typer.Argument(..., help="The token's name.")) -> None:
    """Revoke a token: requests with it are refused from now on."""
    tokens, store = _stores(get_settings())
    if not tokens.revoke(name):
        raise MarsadError(f"no token named {name!r}")
    store.audit(_actor(), "token.revoke", f"token:{name}")
    typer.echo(f"token {name!r} revoked")
