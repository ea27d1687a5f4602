"""promtool and /metrics helpers."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.support.stack import REPO_ROOT

REPO = REPO_ROOT


PROM_DIR = REPO / "deploy" / "prometheus"


ALERTS = PROM_DIR / "alerts.yml"


PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"


def promtool(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    if not Path(PROMTOOL).exists():
        pytest.fail("promtool is missing: install Debian's `prometheus` package (make install)")
    return subprocess.run([PROMTOOL, *args], input=stdin, capture_output=True, text=True, timeout=60)


def scrape(port: int, timeout_s: float = 20.0) -> str:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2)
            response.raise_for_status()
            return response.text
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def assert_promtool_metrics_clean(exposition: str) -> None:
    result = promtool("check", "metrics", stdin=exposition)
    assert result.returncode == 0 and result.stdout.strip() == "" and result.stderr.strip() == "", (
        f"promtool check metrics reported problems:\n{result.stdout}{result.stderr}"
    )
