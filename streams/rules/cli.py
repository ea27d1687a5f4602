"""`marsad rules validate | test | push`."""

from __future__ import annotations

import typer

rules_app = typer.Typer(help="Validate, test and publish watch rules.", no_args_is_help=True)
