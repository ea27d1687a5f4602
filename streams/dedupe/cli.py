"""`marsad dedupe test`."""

from __future__ import annotations

import typer

dedupe_app = typer.Typer(help="Run the duplicate detector on a file of articles.", no_args_is_help=True)
