"""What `marsad run` starts: one spec per child process, in start order.

Every child is ``python -m marsad …`` with the run's settings as ``MARSAD_*`` variables,
so a child started by hand with the same environment behaves the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kernel.settings import Settings
from marsad.stack import free_port

# Stop order: the connector first (nothing new comes in), then the workers drain into
# the alerts topic, then the dispatcher delivers what is left; the console and the demo's
# receiver last, so that what is delivered is still seen.
STOP_ORDER = ("connector", "worker", "dispatcher", "console", "receiver")
# Seconds a child may take to stop after SIGTERM before it is killed.
STOP_TIMEOUT_S = {"connector": 20.0, "worker": 45.0, "dispatcher": 30.0, "console": 10.0, "receiver": 5.0}


@dataclass(frozen=True)
class ProcessSpec:
    name: str  # unique: connector, worker-1, worker-2, dispatcher, console, receiver
    role: str  # one of STOP_ORDER
    args: tuple[str, ...]  # after `python -m marsad`
    env: dict[str, str] = field(default_factory=dict)  # on top of the run's environment
    metrics_port: int | None = None
    url: str | None = None  # what a person opens (the console)

    @property
    def stop_timeout_s(self) -> float:
        return STOP_TIMEOUT_S[self.role]


def build_specs(
    settings: Settings,
    *,
    workers: int = 1,
    console: bool = True,
    receiver_port: int | None = None,
) -> list[ProcessSpec]:
    """The children of one run, in start order: consumers before the connector, so that
    the first articles find their consumer groups formed."""
    specs: list[ProcessSpec] = []
    if receiver_port is not None:
        specs.append(ProcessSpec("receiver", "receiver", ("receiver", "--port", str(receiver_port))))
    for index in range(1, workers + 1):
        # The first worker keeps the configured port (what Prometheus scrapes); the others
        # take free ones. Each has a Faust data directory of its own.
        port = settings.worker_metrics_port if index == 1 else free_port()
        name = f"worker-{index}"
        env = {
            "MARSAD_WORKER_METRICS_PORT": str(port),
            "MARSAD_WORKER_DATA_DIR": str(settings.worker_data_dir / name),
        }
        specs.append(ProcessSpec(name, "worker", ("worker",), env, port))
    specs.append(
        ProcessSpec(
            "dispatcher",
            "dispatcher",
            ("dispatch", "--channels", str(settings.channels_path)),
            {},
            settings.dispatcher_metrics_port,
        )
    )
    if console:
        specs.append(
            ProcessSpec(
                "console",
                "console",
                ("api", "--port", str(settings.api_port)),
                url=f"http://127.0.0.1:{settings.api_port}/",
            )
        )
    specs.append(
        ProcessSpec(
            "connector",
            "connector",
            ("connect", "--feeds", str(settings.feeds_path)),
            {},
            settings.connector_metrics_port,
        )
    )
    return specs


def stop_sequence(specs: list[ProcessSpec]) -> list[list[ProcessSpec]]:
    """The children grouped by role in stop order (the workers of one run stop together)."""
    return [group for role in STOP_ORDER if (group := [s for s in specs if s.role == role])]
