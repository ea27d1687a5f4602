"""The worker's Faust app keeps its data under ``MARSAD_WORKER_DATA_DIR``, never in the
current directory (the Docker image's is not writable). No stack needed."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel.settings import Settings
from streams.app import faust_app


@pytest.fixture
def unwritable_cwd(tmp_path: Path) -> Iterator[Path]:
    """A current directory nothing can be created in, even by root: one that was removed."""
    before = os.getcwd()
    gone = tmp_path / "gone"
    gone.mkdir()
    os.chdir(gone)
    gone.rmdir()
    try:
        yield gone
    finally:
        os.chdir(before)


def test_the_data_directory_is_the_setting_and_is_created(unwritable_cwd: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "state" / "worker-data"  # parents missing too
    settings = Settings(namespace="datadir-test", worker_data_dir=data_dir)
    with pytest.raises(OSError):
        Path("probe").mkdir()  # the premise: the current directory takes nothing
    app = faust_app(settings)
    assert app.conf.datadir == data_dir and data_dir.is_dir()
    # what the worker does first on start: Faust creates its version and table directories
    asyncio.run(app.on_first_start())
    assert app.conf.tabledir.is_dir() and app.conf.tabledir.is_relative_to(data_dir)


def test_the_default_data_directory_is_under_marsad_home(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    assert settings.worker_data_dir == tmp_path / "home" / "worker-data"
