"""Shared fixtures. The ``stack`` fixture starts a real Kafka + Redis once per test
session, on free ports and under a temporary home, and stops them at the end."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad import stack as local_stack
from marsad.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT.parent / "shared" / "corpus" / "seeds"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed_files() -> list[Path]:
    files = sorted(SEEDS_DIR.glob("*.txt"))
    assert len(files) == 5, f"expected the five seed articles in {SEEDS_DIR}"
    return files


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of a running local stack whose namespace is unique to this session."""
    home = tmp_path_factory.mktemp("marsad-home")
    redis_port = free_port()
    settings = Settings(
        home=home,
        kafka_bootstrap=f"127.0.0.1:{free_port()}",
        kafka_controller_port=free_port(),
        redis_port=redis_port,
        redis_url=f"redis://127.0.0.1:{redis_port}/0",
        namespace=f"t{uuid.uuid4().hex[:8]}",
        partitions=2,
        kafka_heap="512m",
        connector_metrics_port=free_port(),
        worker_metrics_port=free_port(),
        dispatcher_metrics_port=free_port(),
        worker_web_port=free_port(),
        prometheus_port=free_port(),
        api_port=free_port(),
    )
    local_stack.up(settings, quiet=True)
    try:
        yield settings
    finally:
        local_stack.down(settings, quiet=True)


def fresh_namespace(settings: Settings, **overrides) -> Settings:
    """A copy of ``settings`` with a namespace of its own (and its topics created)."""
    from marsad.kafka import ensure_topics

    copy = settings.model_copy(update={"namespace": f"t{uuid.uuid4().hex[:8]}", **overrides})
    ensure_topics(copy)
    return copy


def child_env(settings: Settings, **extra: str) -> dict[str, str]:
    """Environment for a `marsad …` subprocess that uses ``settings``."""
    env = dict(os.environ)
    env.update(settings.to_env())
    env.update(extra)
    return env
