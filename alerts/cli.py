"""`marsad dispatch`, `marsad silence …`, `marsad dlq …` and `marsad receiver`."""

from __future__ import annotations

import getpass
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import typer

from alerts.channels import load_channels
from alerts.dispatcher import Dispatcher
from alerts.dlq import read_dlq, read_raw_dlq, replay, replay_raw, select, select_raw
from alerts.receiver import WebhookReceiver
from alerts.silences import SilenceStore, parse_matchers
from alerts.store import DispatchStore
from kernel.durations import parse_duration, parse_since
from kernel.errors import ConfigError, MarsadError
from kernel.metrics import serve_metrics
from kernel.redis_client import connected_redis
from kernel.settings import get_settings

silence_app = typer.Typer(help="Silence alerts for a while.", no_args_is_help=True)
dlq_app = typer.Typer(
    help="Inspect and replay dead letters: deliveries, or with --articles raw articles the worker gave up on.",
    no_args_is_help=True,
)
ArticlesOption = typer.Option(
    False, "--articles", help="The raw articles the worker could not process (<ns>.articles.raw.dlq)."
)
ReasonOption = typer.Option(
    None, "--reason", help="With --articles: only unreadable, invalid, unprocessable or unpublishable."
)


def _when(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def dispatch(
    channels: Path = typer.Option(None, "--channels", help="channels.yaml (default: MARSAD_CHANNELS_PATH)."),
) -> None:
    """Consume alerts and deliver them to the configured channels (until SIGTERM)."""
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="[%(asctime)s] %(levelname)s %(name)s: %(message)s")
    logging.getLogger("kafka").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    channel_set = load_channels(channels or settings.channels_path)
    dispatcher = Dispatcher(settings, channel_set)

    def on_signal(signum: int, _frame: object) -> None:
        logging.getLogger("marsad.dispatcher").info("signal %d: finishing running deliveries", signum)
        dispatcher.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        serve_metrics(settings.dispatcher_metrics_port, "dispatcher")
    except OSError as exc:
        raise MarsadError(
            f"cannot serve /metrics on port {settings.dispatcher_metrics_port}: {exc.strerror or exc}; "
            "set MARSAD_DISPATCHER_METRICS_PORT (0: none)"
        ) from None
    dispatcher.run()


@silence_app.command("add")
def silence_add(
    rule: str = typer.Option(..., "--rule", help="Rule id (or a glob such as 'troop-*' or '*')."),
    match: list[str] = typer.Option([], "--match", help="key=value on feed, language, severity, story, article, url."),
    duration: str = typer.Option(..., "--for", help="How long, e.g. 30m, 2h, 1d."),
    reason: str = typer.Option(..., "--reason", help="Why (shown in `silence list`)."),
) -> None:
    """Silence matching alerts for a while; prints the silence id."""
    try:
        seconds = parse_duration(duration)
        matchers = parse_matchers(match)
    except ValueError as exc:
        raise MarsadError(str(exc)) from None
    if seconds <= 0:
        raise MarsadError("--for must be longer than 0s")
    if not reason.strip():
        raise MarsadError("--reason must not be empty")
    settings = get_settings()
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    silence = SilenceStore(connected_redis(settings), settings.redis_prefix).add(
        rule, seconds, reason.strip(), matchers, user
    )
    print(silence.id)


@silence_app.command("list")
def silence_list(
    all_: bool = typer.Option(False, "--all", help="Include expired silences."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Active silences: id, rule, matchers, until, reason."""
    settings = get_settings()
    now = time.time()
    silences = [
        s for s in SilenceStore(connected_redis(settings), settings.redis_prefix).all() if all_ or s.active(now)
    ]
    if as_json:
        for s in silences:
            print(orjson.dumps({**s.to_dict(), "active": s.active(now)}).decode())
        return
    if not silences:
        print("no active silences" if not all_ else "no silences")
        return
    print(f"{'ID':<10} {'RULE':<24} {'MATCH':<28} {'UNTIL':<21} {'STATE':<8} REASON")
    for s in silences:
        matchers = ",".join(f"{k}={v}" for k, v in s.matchers.items()) or "-"
        state = "active" if s.active(now) else "expired"
        print(f"{s.id:<10} {s.rule:<24} {matchers:<28} {_when(s.ends_at):<21} {state:<8} {s.reason}")


@silence_app.command("expire")
def silence_expire(silence_id: str = typer.Argument(..., help="Id from `marsad silence list`.")) -> None:
    """End a silence now."""
    settings = get_settings()
    ended = SilenceStore(connected_redis(settings), settings.redis_prefix).expire(silence_id)
    if ended is None:
        raise MarsadError(f"no silence with id {silence_id!r} (see `marsad silence list --all`)")
    print(f"expired {ended.id} (rule {ended.rule})")


def _since(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_since(value, time.time())
    except ValueError as exc:
        raise MarsadError(f"--since: {exc}") from None


def _print_json_entry(position: str, replayed: dict[str, float], fields: dict[str, Any]) -> None:
    """One dead letter as a JSON line: its position, whether it was replayed, then ``fields``."""
    print(orjson.dumps({"position": position, "replayed": position in replayed, **fields}).decode())


@dlq_app.command("list")
def dlq_list(
    channel: str = typer.Option(None, "--channel", help="Only this channel."),
    since: str = typer.Option(None, "--since", help="Only entries dead-lettered since (2h, or an ISO time)."),
    all_: bool = typer.Option(False, "--all", help="Include entries already replayed."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
    articles: bool = ArticlesOption,
    reason: str = ReasonOption,
) -> None:
    """Dead-lettered deliveries (or raw articles, with --articles), oldest first."""
    settings = get_settings()
    store = DispatchStore(connected_redis(settings), settings.redis_prefix)
    replayed = store.replayed()
    if articles:
        _list_raw_dead_letters(reason, _since(since), all_, as_json, replayed)
        return
    entries = [e for e in select(read_dlq(settings), channel, _since(since)) if all_ or e.position not in replayed]
    if as_json:
        for e in entries:
            letter = e.letter.model_dump(mode="json") if e.letter else {"raw": e.raw.decode("utf-8", "replace")}
            _print_json_entry(e.position, replayed, letter)
        return
    if not entries:
        print("dead-letter queue is empty" if not (channel or since) else "no matching dead letters")
        return
    print(f"{'POSITION':<10} {'WHEN':<21} {'CHANNEL':<16} {'RULE':<20} {'ALERT':<34} {'TRIES':>5}  REASON")
    for e in entries:
        task = e.letter.task if e.letter else None
        when = _when(e.letter.dead_lettered_at) if e.letter else "?"
        reason = (e.letter.reason if e.letter else "unreadable record").replace("\n", " ")[:120]
        print(
            f"{e.position:<10} {when:<21} {(task.channel if task else '-'):<16} {(task.rule_id if task else '-'):<20} "
            f"{(task.alert_id if task else '-'):<34} {(task.attempt if task else 0):>5}  {reason}"
        )


def _list_raw_dead_letters(
    reason: str | None, since: float | None, all_: bool, as_json: bool, replayed: dict[str, float]
) -> None:
    settings = get_settings()
    entries = [e for e in select_raw(read_raw_dlq(settings), reason, since) if all_ or e.position not in replayed]
    if as_json:
        for e in entries:
            fields = e.letter.model_dump(mode="json") if e.letter else {"reason": None, "error": "no readable header"}
            key = e.key.decode("utf-8", "replace") if e.key is not None else None
            _print_json_entry(e.position, replayed, {"key": key, **fields})
        return
    if not entries:
        print("no raw articles dead-lettered" if not (reason or since) else "no matching dead letters")
        return
    print(f"{'POSITION':<20} {'WHEN':<21} {'REASON':<14} {'SOURCE':<34} {'BYTES':>9}  ERROR")
    for e in entries:
        letter = e.letter
        when = _when(letter.dead_lettered_at) if letter else "?"
        source = f"{letter.topic}:{letter.partition}:{letter.offset}" if letter else "-"
        error = (letter.error if letter else "no readable header").replace("\n", " ")[:120]
        size = letter.value_bytes if letter else len(e.value)
        print(f"{e.position:<20} {when:<21} {(letter.reason if letter else '?'):<14} {source:<34} {size:>9}  {error}")


@dlq_app.command("replay")
def dlq_replay(
    channel: str = typer.Option(None, "--channel", help="Only this channel."),
    since: str = typer.Option(None, "--since", help="Only entries dead-lettered since (2h, or an ISO time)."),
    articles: bool = ArticlesOption,
    reason: str = ReasonOption,
) -> None:
    """Requeue dead-lettered deliveries (the running dispatcher delivers them), or with
    --articles publish the dead-lettered raw articles to the raw topic again."""
    settings = get_settings()
    store = DispatchStore(connected_redis(settings), settings.redis_prefix)
    if articles:
        raw_report = replay_raw(settings, store, select_raw(read_raw_dlq(settings), reason, _since(since)))
        print(
            f"republished {len(raw_report.requeued)} to {settings.topic_raw}; "
            f"already replayed {len(raw_report.already_replayed)}; not replayable {len(raw_report.not_replayable)}"
        )
        return
    report = replay(settings, store, select(read_dlq(settings), channel, _since(since)))
    print(
        f"requeued {len(report.requeued)}; already delivered {len(report.already_delivered)}; "
        f"already replayed {len(report.already_replayed)}; not replayable {len(report.not_replayable)}"
    )


def receiver(
    port: int = typer.Option(18090, "--port", help="Port to listen on (127.0.0.1)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    secret_env: str = typer.Option("MARSAD_WEBHOOK_SECRET", "--secret-env", help="Variable holding the secret."),
    path: str = typer.Option("/alerts", "--path", help="URL path that accepts deliveries."),
) -> None:
    """Run a webhook receiver that verifies signatures; prints each delivery as a JSON line."""
    secret = os.environ.get(secret_env, "")
    if not secret:
        raise ConfigError(f"environment variable {secret_env} (--secret-env) is not set")

    def show(payload: dict) -> None:
        sys.stdout.write(orjson.dumps(payload).decode() + "\n")
        sys.stdout.flush()

    try:
        server = WebhookReceiver(host, port, secret=secret, path=path, on_delivery=show).start()
    except OSError as exc:
        raise MarsadError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    print(f"listening on {server.url}", file=sys.stderr)
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    try:
        while not stop["now"]:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print(
            f"received {server.raw_count} deliveries ({len(server.deliveries)} distinct keys), "
            f"rejected {server.rejected}",
            file=sys.stderr,
        )
