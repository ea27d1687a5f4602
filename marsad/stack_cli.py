"""`marsad stack up | down | status`."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from kernel.kafka import ensure_topics, wait_for_kafka
from kernel.settings import get_settings
from marsad import stack

stack_app = typer.Typer(help="The local Kafka + Redis (+ Prometheus) stack.", no_args_is_help=True)
console = Console()


@stack_app.command("up")
def stack_up(
    prometheus: bool = typer.Option(False, "--prometheus", help="Also start Prometheus."),
) -> None:
    """Start Kafka and Redis (fetching/installing them when missing) and create the topics."""
    s = get_settings()
    stack.up(s, with_prometheus=prometheus)
    console.print(f"[green]stack is up[/green]  (data and logs in {s.home})")


@stack_app.command("topics")
def stack_topics() -> None:
    """Create the missing topics on the configured Kafka (docker-compose uses this)."""
    s = get_settings()
    wait_for_kafka(s, timeout_s=60)
    created = ensure_topics(s)
    console.print(f"topics: {'created ' + ', '.join(created) if created else 'all present'}")


@stack_app.command("down")
def stack_down() -> None:
    """Stop what `marsad stack up` started."""
    stack.down(get_settings())


@stack_app.command("status")
def stack_status() -> None:
    """Report each component; exit 1 when any is down."""
    s = get_settings()
    rows = stack.status(s)
    table = Table("component", "state", "pid", "address", "detail")
    for row in rows:
        state = "[green]up[/green]" if row.healthy else "[red]down[/red]"
        table.add_row(row.name, state, str(row.pid or "-"), row.address, row.detail)
    console.print(table)
    if not all(r.healthy for r in rows):
        raise typer.Exit(1)
