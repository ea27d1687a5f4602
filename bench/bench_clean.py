"""Cleaning throughput (every article passes through ``streams.clean.clean_article``):

- clean.articles_per_s (and _per_cpu_s): the five seed articles as plain text (the seed
  convention: title = first non-empty line, content = the whole file);
- clean.html_articles_per_s (and _per_cpu_s): the same articles wrapped in a typical news
  page (nav, script, share bar, paragraphs, footer), so the HTML → text step is included;
- clean.workload_articles_per_s (and _per_cpu_s): 200 pages of the realistic workload
  (``bench.workload``: 300-1,500-word articles with navigation, ticker, tags, share labels,
  related articles and footer) — what the worker's normalize step pays per article;
- clean.features_articles_per_s (and _per_cpu_s): dedupe's feature extraction
  (``streams.dedupe.shingles.extract_features``: tokens, shingles, story terms, figures)
  on the clean text of the same 200 pages — what the dedupe step pays before its lookup.

Run alone: ``.venv/bin/python -m bench.bench_clean [--quick]``.
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.workload import news_articles  # noqa: E402
from streams.clean import clean_article  # noqa: E402
from streams.dedupe.shingles import extract_features  # noqa: E402

SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"


def _seed_items() -> list[tuple[str, str]]:
    items = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        title = next(line for line in raw.splitlines() if line.strip())
        items.append((title, raw))
    if not items:
        raise FileNotFoundError(f"no seed articles in {SEEDS_DIR}")
    return items


def _as_page(title: str, raw: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in raw.splitlines() if line.strip())
    return (
        "<html><head><title>x</title><script>window.dataLayer=[];</script>"
        "<style>body{margin:0}</style></head><body>"
        "<nav><a href='/'>الرئيسية</a><a href='/p'>سياسة</a><a href='/e'>اقتصاد</a></nav>"
        f"<article><h1>{html.escape(title)}</h1>"
        "<div class='share'><a>فيسبوك</a> | <a>تويتر</a> | <a>واتساب</a></div>"
        f"{paragraphs}<footer>© 2021 جميع الحقوق محفوظة</footer></article></body></html>"
    )


def _timed(work: Callable[[str, str], object], items: list[tuple[str, str]], seconds: float) -> tuple[float, float]:
    """Items per wall-clock second and per CPU second of this process (the second is
    steadier on a shared machine), after one warm-up pass (fold tables, regex caches,
    per-word memos, as a running worker has them)."""
    for title, content in items:
        work(title, content)
    done = 0
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    deadline = wall_started + seconds
    while True:
        for title, content in items:
            work(title, content)
        done += len(items)
        if time.perf_counter() >= deadline:
            break
    wall = time.perf_counter() - wall_started
    cpu = time.process_time() - cpu_started
    return done / wall, done / max(cpu, 1e-9)


def _rates(items: list[tuple[str, str]], content_type: str, seconds: float) -> tuple[float, float]:
    """``clean_article`` per wall-clock and per CPU second."""
    return _timed(
        lambda title, content: clean_article(title=title, content=content, content_type=content_type), items, seconds
    )


def _feature_rates(items: list[tuple[str, str]], seconds: float) -> tuple[float, float]:
    """Dedupe feature extractions per wall-clock and per CPU second."""
    return _timed(lambda title, text: extract_features(title, text, 3), items, seconds)


def run(quick: bool = False) -> dict[str, float]:
    items = _seed_items()
    seconds = 0.5 if quick else 3.0
    pages = [(title, _as_page(title, raw)) for title, raw in items]
    plain_wall, plain_cpu = _rates(items, "text/plain", seconds)
    html_wall, html_cpu = _rates(pages, "text/html", seconds)
    workload = [(a.title, a.html) for a in news_articles(200, seed=3)]
    workload_wall, workload_cpu = _rates(workload, "text/html", seconds)
    cleaned = [clean_article(title=title, content=page, content_type="text/html") for title, page in workload]
    features_wall, features_cpu = _feature_rates([(item.title, item.text) for item in cleaned], seconds)
    return {
        "clean.workload_articles_per_s": workload_wall,
        "clean.workload_articles_per_cpu_s": workload_cpu,
        "clean.features_articles_per_s": features_wall,
        "clean.features_articles_per_cpu_s": features_cpu,
        "clean.articles_per_s": plain_wall,
        "clean.articles_per_cpu_s": plain_cpu,
        "clean.html_articles_per_s": html_wall,
        "clean.html_articles_per_cpu_s": html_cpu,
    }


if __name__ == "__main__":
    for key, value in run(quick="--quick" in sys.argv).items():
        print(f"{key:35s} {value:12.1f}")
