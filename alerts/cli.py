"""`marsad dispatch`, `marsad silence …` and `marsad dlq …` commands."""

from __future__ import annotations

import typer

silence_app = typer.Typer(help="Silence alerts for a while.", no_args_is_help=True)
dlq_app = typer.Typer(help="Inspect and replay dead-lettered deliveries.", no_args_is_help=True)


def dispatch() -> None:
    """Consume alerts and deliver them to the configured channels."""
    raise typer.Exit(2)
