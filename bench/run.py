"""`make bench`: runs every benchmark in one process run, prints one report with the
goals, and writes bench/report.json (flat keys, numbers only)."""

from __future__ import annotations

import importlib
import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# key → (goal, "min" when higher is better / "max" when lower is better)
GOALS = {
    "match.rate_ratio_10k_vs_10": (0.5, "min"),
    "match.speedup_vs_naive_1k": (20.0, "min"),
    "dedupe.rate_ratio_100k_vs_1k": (0.8, "min"),
    "connectors.cpu_cores_for_10k_feeds_per_min": (1.0, "max"),
    "pipeline.kafka_vs_loop": (0.7, "min"),
    "pipeline.e2e_p99_ms": (500.0, "max"),
    "worker.rss_mb_10k_rules": (300.0, "max"),
}
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
    try:
        _run_modules(quick, report, failures)
    finally:
        stack.stop_component(redis_settings, "redis")
        shutil.rmtree(home, ignore_errors=True)
    return _report(report, failures)


def _run_modules(quick: bool, report: dict[str, float], failures: list[str]) -> None:
    for name in MODULES:
        started = time.monotonic()
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            failures.append(f"{name}: {exc}")
            continue
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


def _report(report: dict[str, float], failures: list[str]) -> int:
    print("\n== goals")
    missed = 0
    for key, (goal, kind) in GOALS.items():
        value = report.get(key)
        if value is None:
            print(f"   {key:45s} {'not measured':>14}   goal {'≥' if kind == 'min' else '≤'} {goal}")
            missed += 1
            continue
        ok = value >= goal if kind == "min" else value <= goal
        missed += not ok
        print(f"   {key:45s} {value:14.3f}   goal {'≥' if kind == 'min' else '≤'} {goal}  {'met' if ok else 'MISSED'}")
    out = Path(__file__).resolve().parent / "report.json"
    out.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    print(f"\nreport written to {out}")
    for failure in failures:
        print(f"benchmark failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
