"""The benchmarks say what they miss before their long work, not after it."""

from __future__ import annotations

import pytest

import bench.bench_dedupe as bench_dedupe


def test_the_dedupe_bench_refuses_to_start_without_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its last comparison needs datasketch (the bench extra): without it, it stops at once
    (it once failed after a 40-minute fill) and says how to install it."""
    found = bench_dedupe.importlib.util.find_spec
    monkeypatch.setattr(
        bench_dedupe.importlib.util, "find_spec", lambda name: None if name == "datasketch" else found(name)
    )
    with pytest.raises(RuntimeError, match="make bench"):
        bench_dedupe.run(quick=True)
