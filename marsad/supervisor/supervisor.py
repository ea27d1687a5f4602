"""Start the children of a run, restart the ones that exit, stop them all in order.

Each child runs in a process group of its own, so that Ctrl-C in the terminal reaches
`marsad run` only, which then stops the children one role after the other; on Linux a
child also gets SIGTERM if `marsad run` itself dies, so that none is left behind.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from kernel import metrics
from marsad.supervisor.backoff import RestartBackoff
from marsad.supervisor.specs import ProcessSpec, stop_sequence

PR_SET_PDEATHSIG = 1

EventSink = Callable[[str, str], None]  # (process name, what happened)


def die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the parent dies (Linux; elsewhere a no-op)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


@dataclass
class Child:
    spec: ProcessSpec
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    restart_at: float | None = None  # when a child that exited starts again
    last_exit: int | None = None
    stopping: bool = False
    backoff: RestartBackoff = field(default_factory=RestartBackoff)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.proc.poll() is None else None

    def state(self, now: float) -> str:
        if self.pid is not None:
            return "stopping" if self.stopping else "running"
        if self.restart_at is not None and not self.stopping:
            return f"restarting in {max(0.0, self.restart_at - now):.0f}s"
        return "stopped"


class Supervisor:
    """The children of one run. ``tick()`` (called about twice a second) restarts the
    children that exited; ``stop()`` stops every child in the order of ``STOP_ORDER``."""

    def __init__(self, specs: list[ProcessSpec], base_env: dict[str, str], log_dir: Path, on_event: EventSink) -> None:
        self.children = [Child(spec) for spec in specs]
        self.base_env = base_env
        self.log_dir = log_dir
        self.on_event = on_event
        self.stopped = False
        metrics.declare_labels([s.name for s in specs], metrics.PROCESS_RESTARTS)

    def log_path(self, spec: ProcessSpec) -> Path:
        return self.log_dir / f"run-{spec.name}.log"

    def spawn(self, child: Child) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log: IO[bytes]
        with open(self.log_path(child.spec), "ab") as log:
            child.proc = subprocess.Popen(
                [sys.executable, "-m", "marsad", *child.spec.args],
                env={**self.base_env, **child.spec.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                process_group=0,
                preexec_fn=die_with_parent,
            )
        child.started_at = time.monotonic()
        child.restart_at = None

    def start(self) -> None:
        for child in self.children:
            self.spawn(child)
            self.on_event(child.spec.name, f"started (pid {child.proc.pid if child.proc else '?'})")

    def tick(self) -> None:
        """Notice children that exited and restart those whose backoff has passed."""
        if self.stopped:
            return
        now = time.monotonic()
        for child in self.children:
            if child.proc is not None and child.restart_at is None:
                code = child.proc.poll()
                if code is None:
                    continue
                ran_for = now - child.started_at
                delay = child.backoff.next_delay(ran_for)
                child.last_exit = code
                child.restart_at = now + delay
                self.on_event(
                    child.spec.name, f"exited with code {code} after {ran_for:.0f}s; restarting in {delay:.0f}s"
                )
            elif child.restart_at is not None and now >= child.restart_at:
                self.spawn(child)
                child.restarts += 1
                metrics.PROCESS_RESTARTS.labels(child.spec.name).inc()
                pid = child.proc.pid if child.proc else "?"
                self.on_event(child.spec.name, f"restarted (pid {pid}, restart {child.restarts})")

    def stop(self) -> list[int | None]:
        """Stop every child, one role after the other, each waited for (killed after its
        stop timeout); returns the exit codes in the order the children were stopped."""
        self.stopped = True
        codes: list[int | None] = []
        by_spec = {id(c.spec): c for c in self.children}
        for group in stop_sequence([c.spec for c in self.children]):
            children = [by_spec[id(spec)] for spec in group]
            for child in children:
                child.stopping = True
                child.restart_at = None
                if child.pid is not None and child.proc is not None:
                    self.on_event(child.spec.name, f"stopping (pid {child.pid})")
                    child.proc.send_signal(signal.SIGTERM)
            for child in children:
                codes.append(self.wait_stopped(child))
        return codes

    def wait_stopped(self, child: Child) -> int | None:
        if child.proc is None:
            return None
        try:
            code = child.proc.wait(timeout=child.spec.stop_timeout_s)
        except subprocess.TimeoutExpired:
            self.on_event(child.spec.name, f"did not stop within {child.spec.stop_timeout_s:.0f}s; killed")
            child.proc.kill()
            code = child.proc.wait()
        self.on_event(child.spec.name, f"stopped (exit code {code})")
        return code
