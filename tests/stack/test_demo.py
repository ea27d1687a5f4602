"""`marsad demo`, the main job: it passes on the real stack, and fails fast and clearly
when Kafka is down."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from marsad.stack import free_port
from tests.support.stack import child_env


@pytest.mark.stack
def test_demo_delivers_exactly_the_expected_alerts(stack) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "marsad", "demo", "--timeout", "150"],
        env=child_env(stack),
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "every expected alert arrived, and nothing else" in proc.stdout
    assert "duplicates dropped" in proc.stdout and "p50 / p95" in proc.stdout
    # each alert is printed with its evidence in the original wording
    assert "«أكثر من 120 ألف جندي»" in proc.stdout
    assert "/metrics" in proc.stdout


def test_demo_fails_fast_with_a_clear_message_when_kafka_is_down(tmp_path) -> None:
    from kernel.settings import Settings

    settings = Settings(home=tmp_path, kafka_bootstrap=f"127.0.0.1:{free_port()}")
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "marsad", "demo"],
        env=child_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.monotonic() - started
    assert proc.returncode == 3
    assert "Kafka" in proc.stderr and "marsad stack up" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert elapsed < 40, f"took {elapsed:.0f}s"
