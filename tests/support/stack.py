"""Paths, and settings for tests that run on the real stack."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from kernel.kafka import ensure_topics
from kernel.settings import Settings
from marsad.stack import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO_ROOT.parent / "shared" / "corpus" / "seeds"
FEEDS_DATA = REPO_ROOT / "tests" / "data" / "feeds"


def seed_files() -> list[Path]:
    files = sorted(SEEDS_DIR.glob("*.txt"))
    assert len(files) == 5, f"expected the five seed articles in {SEEDS_DIR}"
    return files


def fresh_namespace(settings: Settings, **overrides) -> Settings:
    """A copy of ``settings`` with a namespace of its own (and its topics created)."""
    ports = {
        name: free_port()
        for name in (
            "connector_metrics_port",
            "worker_metrics_port",
            "dispatcher_metrics_port",
            "api_port",
            "api_metrics_port",
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
