"""Shared fixtures. The ``stack`` fixture starts a real Kafka + Redis once per test
session, on free ports and under a temporary home, and stops them at the end."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from kernel.settings import Settings
from marsad import stack as local_stack
from marsad.stack import isolated_settings


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
