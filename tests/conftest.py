"""Shared fixtures. The ``stack`` fixture starts a real Kafka + Redis once per test
session, on free ports and under a temporary home, and stops them at the end."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel.settings import Settings
from marsad import stack as local_stack
from marsad.stack import free_port, isolated_settings

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT.parent / "shared" / "corpus" / "seeds"


def seed_files() -> list[Path]:
    files = sorted(SEEDS_DIR.glob("*.txt"))
    assert len(files) == 5, f"expected the five seed articles in {SEEDS_DIR}"
    return files


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of a running local stack whose namespace is unique to this session."""
    home = tmp_path_factory.mktemp("marsad-home")
    settings = isolated_settings(home, f"t{uuid.uuid4().hex[:8]}")
    local_stack.up(settings, quiet=True)
    try:
        yield settings
    finally:
        local_stack.down(settings, quiet=True)


def fresh_namespace(settings: Settings, **overrides) -> Settings:
    """A copy of ``settings`` with a namespace of its own (and its topics created)."""
    from kernel.kafka import ensure_topics

    ports = {
        name: free_port()
        for name in (
            "connector_metrics_port",
            "worker_metrics_port",
            "dispatcher_metrics_port",
            "api_port",
        )
    }
    copy = settings.model_copy(update={"namespace": f"t{uuid.uuid4().hex[:8]}", **ports, **overrides})
    ensure_topics(copy)
    return copy


def child_env(settings: Settings, **extra: str) -> dict[str, str]:
    """Environment for a `marsad …` subprocess that uses ``settings``."""
    env = dict(os.environ)
    env.update(settings.to_env())
    env.update(extra)
    return env
