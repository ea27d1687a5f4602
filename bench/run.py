"""`make bench`: runs every benchmark in one process run, prints one report with the
goals, and writes bench/report.json (flat keys, numbers only).

Each benchmark module has ``run(quick) -> dict[str, float]`` and a ``GOALS`` table of its
own (key → (goal, "min" when higher is better / "max" when lower is better)). The exit
status is non-zero when a benchmark failed, or a goal was missed or not measured.

A figure may be +inf (a latency percentile that falls on alerts never delivered): it is
printed as inf, compared with its goal as such, and written to report.json as null (JSON
has no infinity). ``--quick`` runs smaller workloads (for trying the benches, not for
reporting); ``make bench`` runs the full ones and takes about 40-50 minutes on 2 cores (most of it filling the dedupe store with 1,000,000 real articles)."""

from __future__ import annotations

import importlib
import json
import math
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

Goal = tuple[float, str]

MODULES = [
    "bench.bench_match",
    "bench.bench_dedupe",
    "bench.bench_connectors",
    "bench.bench_clean",
    "bench.bench_quantities",
    "bench.bench_pipeline",
]


def main() -> int:
    import os
    import shutil
    import tempfile

    from marsad import stack

    quick = "--quick" in sys.argv
    report: dict[str, float] = {}
    failures: list[str] = []
    # The dedupe and connector benchmarks measure their Redis stores on a private Redis;
    # the pipeline benchmark starts a whole private stack of its own.
    home = Path(tempfile.mkdtemp(prefix="marsad-bench-redis-"))
    redis_settings = stack.isolated_settings(home, "bench")
    stack.start_redis(redis_settings)
    os.environ["MARSAD_REDIS_URL"] = redis_settings.redis_url
    goals: dict[str, Goal] = {}
    started = time.monotonic()
    try:
        _run_modules(quick, report, failures, goals)
    finally:
        stack.stop_component(redis_settings, "redis")
        shutil.rmtree(home, ignore_errors=True)
    report["bench.total_seconds"] = time.monotonic() - started
    report["bench.quick"] = 1.0 if quick else 0.0
    return _report(report, failures, goals)


def _run_modules(quick: bool, report: dict[str, float], failures: list[str], goals: dict[str, Goal]) -> None:
    for name in MODULES:
        started = time.monotonic()
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            failures.append(f"{name}: {exc}")
            continue
        goals.update(getattr(module, "GOALS", {}))
        try:
            figures = module.run(quick=quick)
        except Exception:
            failures.append(f"{name}: {traceback.format_exc(limit=3)}")
            continue
        for key, value in figures.items():
            if isinstance(value, (int, float)):
                report[key] = float(value)
                print(f"   {key:45s} {value:14.3f}")
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)


def _report(report: dict[str, float], failures: list[str], goals: dict[str, Goal]) -> int:
    print("\n== goals")
    missed = 0
    for key, (goal, kind) in goals.items():
        value = report.get(key)
        if value is None:
            print(f"   {key:45s} {'not measured':>14}   goal {'≥' if kind == 'min' else '≤'} {goal}")
            missed += 1
            continue
        ok = value >= goal if kind == "min" else value <= goal
        missed += not ok
        print(f"   {key:45s} {value:14.3f}   goal {'≥' if kind == 'min' else '≤'} {goal}  {'met' if ok else 'MISSED'}")
    out = Path(__file__).resolve().parent / "report.json"
    finite = {key: value if math.isfinite(value) else None for key, value in report.items()}
    out.write_text(json.dumps(finite, indent=2, sort_keys=True) + "\n")
    print(f"\nreport written to {out}")
    for failure in failures:
        print(f"benchmark failed: {failure}", file=sys.stderr)
    if missed:
        print(f"{missed} goal(s) missed or not measured", file=sys.stderr)
    return 1 if failures or missed else 0


if __name__ == "__main__":
    sys.exit(main())
