"""`marsad run`: Marsad on one machine, in one command.

Checks the configuration, starts the local stack when it is down, then the connector, N
workers, the dispatcher and the console as child processes (``marsad.supervisor``),
restarts a child that exits (with backoff, logged and counted in
``marsad_process_restarts_total``), shows their status live, and on Ctrl-C or SIGTERM
stops them in order — connector, workers, dispatcher, console — and the stack if it
started it. ``--demo`` runs the demo configuration with its sample feeds served locally
and a local webhook receiver (`make run`).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import typer
from rich.console import Console
from rich.live import Live
from rich.markup import escape

from alerts.channels import load_channels
from connectors.config import load_feeds
from kernel.errors import MarsadError
from kernel.kafka import ensure_topics
from kernel.metrics import serve_metrics
from kernel.settings import DEMO_DIR, Settings, get_settings
from marsad import stack
from marsad.demo_feeds import FeedServer, load_demo_feeds, write_feeds_yaml
from marsad.supervisor.specs import ProcessSpec, build_specs
from marsad.supervisor.status import SeriesNames, StatusBoard, status_table
from marsad.supervisor.supervisor import Supervisor
from streams.rules import load_ruleset

DEFAULT_METRICS_PORT = 9105
DEFAULT_RECEIVER_PORT = 18090
REFRESH_S = 1.0


@dataclass(frozen=True)
class RunConfig:
    """What one run uses, checked before anything starts."""

    settings: Settings
    env: dict[str, str]  # the children's environment
    feed_ids: list[str]
    rule_ids: list[str]
    channel_ids: list[str]


def default_entities(rules: Path | None, settings: Settings) -> Path:
    """``entities.yaml`` beside the rules folder (the layout `marsad init` writes), else
    the configured entities file."""
    if rules is not None:
        beside = rules.resolve().parent / "entities.yaml"
        if beside.is_file():
            return beside
    return settings.entities_path


def check_configuration(settings: Settings, env: dict[str, str]) -> RunConfig:
    """Load every configuration file the children will load, so that a mistake stops the
    run with `file:line: reason` before any process starts."""
    feeds = load_feeds(settings.feeds_path)
    entities = settings.entities_path if settings.entities_path.exists() else None
    ruleset = load_ruleset(settings.rules_path, entities)
    channels = load_channels(settings.channels_path, env)
    return RunConfig(settings, env, [f.id for f in feeds], [r.id for r in ruleset.rules], list(channels.channels))


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def check_ports(specs: list[ProcessSpec], extra: dict[str, int]) -> None:
    """Fail with the setting to change when a port a child needs is taken (a crash loop
    on a busy port would say less)."""
    wanted = {f"{s.name} metrics": s.metrics_port for s in specs if s.metrics_port}
    wanted.update(extra)
    busy = [f"{what} port {port}" for what, port in wanted.items() if port and not port_is_free(port)]
    if busy:
        raise MarsadError(
            f"in use: {', '.join(busy)}; stop what uses them (another `marsad run`?) or set "
            "MARSAD_CONNECTOR_METRICS_PORT, MARSAD_WORKER_METRICS_PORT, MARSAD_DISPATCHER_METRICS_PORT, "
            "MARSAD_API_PORT, --metrics-port"
        )


class EventLog:
    """State changes: printed as timestamped lines and appended to logs/run.log."""

    def __init__(self, console: Console, path: Path) -> None:
        self.console = console
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 (closed by close())

    def __call__(self, name: str, message: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {name}: {message}"
        self.console.print(escape(line), highlight=False)
        self.file.write(line + "\n")
        self.file.flush()

    def close(self) -> None:
        self.file.close()


def run(
    feeds: Path = typer.Option(None, "--feeds", help="feeds.yaml (default: MARSAD_FEEDS_PATH)."),
    rules: Path = typer.Option(None, "--rules", help="Rules file or folder (default: MARSAD_RULES_PATH)."),
    entities: Path = typer.Option(
        None,
        "--entities",
        help="Entities file (default: entities.yaml beside the rules folder, else MARSAD_ENTITIES_PATH).",
    ),
    channels: Path = typer.Option(None, "--channels", help="channels.yaml (default: MARSAD_CHANNELS_PATH)."),
    workers: int = typer.Option(1, "--workers", min=1, max=32, help="Stream workers (they share the partitions)."),
    no_console: bool = typer.Option(False, "--no-console", help="Do not start the operator console."),
    demo: bool = typer.Option(
        False, "--demo", help="The demo configuration: its sample feeds served locally and a local webhook receiver."
    ),
    metrics_port: int = typer.Option(
        DEFAULT_METRICS_PORT, "--metrics-port", help="Port of this supervisor's /metrics (restart counts); 0: none."
    ),
) -> None:
    """Run Marsad on this machine: stack, connector, workers, dispatcher and console, supervised.

    Starts the local stack if it is down, restarts a child that exits, shows their status,
    and on Ctrl-C (or SIGTERM) stops everything it started, connector first."""
    settings = get_settings()
    if demo:
        rules, entities, channels = DEMO_DIR / "rules", DEMO_DIR / "entities.yaml", DEMO_DIR / "channels.yaml"
    entities = entities or default_entities(rules, settings)
    paths = {
        "rules_path": rules or settings.rules_path,
        "entities_path": entities,
        "channels_path": channels or settings.channels_path,
        "feeds_path": feeds or settings.feeds_path,
    }
    settings = settings.model_copy(update={k: Path(v).resolve() for k, v in paths.items()})
    code = run_supervised(settings, workers=workers, console=not no_console, demo=demo, metrics_port=metrics_port)
    raise typer.Exit(code)


def run_supervised(settings: Settings, *, workers: int, console: bool, demo: bool, metrics_port: int) -> int:
    out = Console(highlight=False)
    env = dict(os.environ)
    feed_server: FeedServer | None = None
    receiver_port: int | None = None
    if demo:
        receiver_port = int(env.get("MARSAD_DEMO_RECEIVER_PORT") or DEFAULT_RECEIVER_PORT)
        env.setdefault("MARSAD_WEBHOOK_SECRET", secrets.token_hex(16))
        env["MARSAD_DEMO_RECEIVER_PORT"] = str(receiver_port)
        feeds = load_demo_feeds()
        feed_server = FeedServer(feeds).start()
        feeds_yaml = settings.home / "run" / "demo-feeds.yaml"
        feeds_yaml.parent.mkdir(parents=True, exist_ok=True)
        settings = settings.model_copy(update={"feeds_path": write_feeds_yaml(feeds, feed_server, feeds_yaml)})
    env.update(settings.to_env())
    try:
        config = check_configuration(settings, env)
        specs = build_specs(settings, workers=workers, console=console, receiver_port=receiver_port)
        extra_ports = {"console": settings.api_port} if console else {}
        if receiver_port is not None:
            extra_ports["receiver"] = receiver_port
        if metrics_port:
            extra_ports["supervisor metrics (--metrics-port)"] = metrics_port
        check_ports(specs, extra_ports)
        return supervise(config, specs, out, metrics_port)
    finally:
        if feed_server is not None:
            feed_server.stop()


def supervise(config: RunConfig, specs: list[ProcessSpec], out: Console, metrics_port: int) -> int:
    settings = config.settings
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    events = EventLog(out, settings.home / "logs" / "run.log")
    started_stack = False
    try:
        if not all(c.healthy for c in stack.status(settings)):
            events("stack", "starting the local Kafka and Redis")
            stack.up(settings, quiet=True)
            started_stack = True
            events("stack", f"up (Kafka {settings.kafka_bootstrap}, Redis {settings.redis_port})")
        else:
            ensure_topics(settings)
        if metrics_port:
            serve_metrics(metrics_port, "supervisor", moved_by="--metrics-port")
        supervisor = Supervisor(specs, config.env, settings.home / "logs", events)
        board = StatusBoard(SeriesNames.for_run(settings, config.feed_ids, config.rule_ids, config.channel_ids))
        caption = run_caption(specs, settings, metrics_port)
        events("run", caption.replace("\n", "; "))
        if not stop.is_set():
            supervisor.start()
            watch(supervisor, board, out, caption, stop)
        events("run", "stopping: connector, workers, dispatcher, console")
        supervisor.stop()
        return 0
    finally:
        if started_stack:
            stack.down(settings, quiet=True)
            events("stack", "stopped the local stack this run started")
        events.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def watch(supervisor: Supervisor, board: StatusBoard, out: Console, caption: str, stop: threading.Event) -> None:
    """Restart what exits until stopped; on a terminal, a live table of the children."""
    if not out.is_terminal:
        while not stop.wait(0.5):
            supervisor.tick()
        return
    with Live(status_table(board.rows(supervisor.children), caption), console=out, refresh_per_second=2) as live:
        next_refresh = time.monotonic() + REFRESH_S
        while not stop.wait(0.5):
            supervisor.tick()
            if time.monotonic() >= next_refresh:
                live.update(status_table(board.rows(supervisor.children), caption))
                next_refresh = time.monotonic() + REFRESH_S


def run_caption(specs: list[ProcessSpec], settings: Settings, metrics_port: int) -> str:
    lines = [f"console {s.url}" for s in specs if s.url]
    if metrics_port:
        lines.append(f"restarts http://127.0.0.1:{metrics_port}/metrics")
    lines.append(f"logs {settings.home / 'logs'}/run-*.log; Ctrl-C stops everything")
    return "\n".join(lines)
