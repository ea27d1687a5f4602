"""`marsad rules …` and `marsad dedupe …` commands (in-process, same code as the stream)."""

from __future__ import annotations

import typer

rules_app = typer.Typer(help="Validate, test and publish watch rules.", no_args_is_help=True)
dedupe_app = typer.Typer(help="Run the duplicate detector on a file of articles.", no_args_is_help=True)
