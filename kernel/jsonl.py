"""JSON Lines input of the command line tools (``marsad rules test``, ``marsad dedupe test``)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from kernel.errors import ConfigError

STDIN = "-"


def source_name(path: Path | str) -> str:
    """How errors name the input: its path, or ``<stdin>`` for ``-``."""
    return "<stdin>" if str(path) == STDIN else str(path)


def read_jsonl(path: Path | str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, record)`` for each non-blank line of a JSONL file (``-``: stdin);
    each record must be a JSON object. A bad line raises ConfigError naming file and line."""
    from_stdin = str(path) == STDIN
    name = source_name(path)
    try:
        handle = sys.stdin.buffer if from_stdin else Path(path).open("rb")
    except OSError as exc:
        raise ConfigError(f"cannot read input: {exc.strerror or exc}", path=name) from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                raise ConfigError(f"invalid JSON: {exc}", path=name, line=number) from None
            if not isinstance(record, dict):
                raise ConfigError("expected a JSON object", path=name, line=number)
            yield number, record
