"""`marsad connect` and `marsad feeds …` commands."""

from __future__ import annotations

import typer

feeds_app = typer.Typer(help="Parse, check and import feeds.", no_args_is_help=True)


def connect() -> None:
    """Poll the feeds of feeds.yaml and publish new items to Kafka."""
    raise typer.Exit(2)
