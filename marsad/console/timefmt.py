"""The one way the console writes a time: ISO 8601 in UTC with a ``Z``."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_time(ts: float) -> str:
    """Unix seconds as e.g. ``2026-11-20T08:10:00.123456Z`` (versions, audit, alerts, back-tests)."""
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")
