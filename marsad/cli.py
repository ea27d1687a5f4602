"""The `marsad` command. Sub-commands live next to the code they drive."""

from __future__ import annotations

import sys

import typer

from alerts.cli import dispatch, dlq_app, receiver, silence_app
from connectors.cli import connect, feeds_app
from kernel.errors import MarsadError
from kernel.redact import install_log_masking
from marsad.console.cli import api, tokens_app
from marsad.demo import demo_command
from marsad.feed_folder import feeds_serve
from marsad.init import init
from marsad.run import run
from marsad.stack_cli import stack_app
from streams.cli import dedupe_app, rules_app

app = typer.Typer(
    name="marsad",
    help="Marsad — Arabic-first news ingestion and alerting.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(stack_app, name="stack")
app.add_typer(rules_app, name="rules")
app.add_typer(dedupe_app, name="dedupe")
feeds_app.command("serve")(feeds_serve)
app.add_typer(feeds_app, name="feeds")
app.add_typer(silence_app, name="silence")
app.add_typer(dlq_app, name="dlq")
app.command("connect")(connect)
app.add_typer(tokens_app, name="tokens")
app.command("api")(api)


@app.command("worker")
def worker() -> None:
    """Run the stream worker (normalize → dedupe → match) until stopped."""
    from streams.app import run_worker  # Faust: too heavy to load for every `marsad` command

    run_worker()


@app.command("demo")
def demo(
    start_stack: bool = typer.Option(
        False, "--start-stack", help="Start the local stack when it is down (and stop it afterwards)."
    ),
    timeout: float = typer.Option(120.0, help="Seconds to wait for the expected alerts."),
) -> None:
    """Run the main job on the local stack with the bundled sample feeds."""
    demo_command(start_stack, timeout)


app.command("dispatch")(dispatch)
app.command("run")(run)
app.command("init")(init)
app.command("receiver")(receiver)


def main() -> None:
    """Entry point: user errors become one clear line on stderr, never a traceback; no log
    line of any process shows a URL's password."""
    install_log_masking()
    try:
        app()
    except MarsadError as exc:
        print(f"marsad: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
