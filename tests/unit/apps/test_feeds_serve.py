"""`marsad feeds serve FOLDER`: what a user gets wrong ends in one line, never a traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path


def marsad(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "marsad", *args], capture_output=True, text=True, timeout=30)


def test_a_busy_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = marsad("feeds", "serve", str(tmp_path), "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.strip() == f"marsad: error: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = marsad("feeds", "serve", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"marsad: error: {tmp_path / 'nowhere'}: no such folder"
