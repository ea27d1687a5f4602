"""feeds.yaml, OPML import and the adaptive scheduler (pure)."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.config import (
    FeedConfig,
    PollBounds,
    feeds_to_yaml,
    parse_feeds_yaml,
)
from connectors.opml import import_opml, parse_opml
from connectors.scheduler import PollOutcome, backoff, jittered, next_schedule
from kernel.durations import parse_duration
from kernel.errors import ConfigError
from tests.support.stack import FEEDS_DATA

FEEDS = FEEDS_DATA

GOOD = """\
feeds:
  - id: example-ar
    url: https://example.org/rss.xml
    language: ar
    poll: {min: 30s, max: 15m}
    full_text: true
    tags: [world, russia]
  - id: local
    url: feeds/local.xml
"""


def test_feeds_yaml_is_read_with_defaults_and_local_paths(tmp_path: Path) -> None:
    first, local = parse_feeds_yaml(GOOD, base_dir=tmp_path)
    assert first == FeedConfig(
        id="example-ar",
        url="https://example.org/rss.xml",
        language="ar",
        poll=PollBounds(min=30, max=900),
        full_text=True,
        tags=("world", "russia"),
    )
    assert local.url == str(tmp_path / "feeds" / "local.xml")
    assert local.poll == PollBounds(min=60, max=1800) and not local.full_text and local.language is None
    again = parse_feeds_yaml(feeds_to_yaml([first, local]), base_dir=tmp_path)
    assert again == [first, local]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("feeds:\n  - id: Bad Id\n    url: https://x/\n", 2, "must match"),
        ("feeds:\n  - id: a\n    url: https://x/\n  - id: a\n    url: https://y/\n", 4, "duplicate feed id 'a'"),
        ("feeds:\n  - id: a\n    url: https://x/\n    poll: {min: 10m, max: 1m}\n", 4, "greater than poll.max"),
        ("feeds:\n  - id: a\n    url: https://x/\n    poll: {min: soon}\n", 4, "expected a duration"),
        ("feeds:\n  - id: a\n    url: ftp://x/\n", 3, "unsupported URL scheme"),
        ("feeds:\n  - id: a\n    url: https://x/\n    colour: red\n", 4, "feeds[0]: unknown key 'colour'"),
        ("feeds:\n  - id: a\n", 2, "url: Field required"),
        ("feeds: [\n", 2, "invalid YAML"),
    ],
)
def test_feeds_yaml_errors_name_file_line_and_reason(text: str, line: int, reason: str) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_feeds_yaml(text, path="feeds.yaml")
    assert str(exc.value).startswith(f"feeds.yaml:{line}: "), str(exc.value)
    assert reason in str(exc.value)


def test_poll_intervals_are_positive_durations() -> None:
    def interval(value: str | float) -> float:
        return parse_duration(value, positive=True)

    assert interval("30s") == 30 and interval("15m") == 900 and interval("1h30m") == 5400
    assert interval(45) == 45 and interval("2.5") == 2.5
    for bad in ("0s", 0, "-1", "ten", True, "5x"):
        with pytest.raises(ValueError):
            interval(bad)
    assert parse_duration("0s") == 0  # zero is refused only where asked
    with pytest.raises(ConfigError, match="feeds\\[0\\].poll.min: a duration must be positive"):
        parse_feeds_yaml("feeds:\n  - id: a\n    url: https://x/\n    poll: {min: 0s}\n")


def test_connect_with_a_bad_feeds_file_prints_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "feeds.yaml"
    bad.write_text("feeds:\n  - id: x\n    url: https://x/\n    poll: {min: 1h, max: 1m}\n")
    run = subprocess.run(
        [sys.executable, "-m", "marsad", "connect", "--feeds", str(bad), "--once"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr == (f"marsad: error: {bad}:4: feeds[0].poll: poll.min (3600s) is greater than poll.max (60s)\n")
    assert "Traceback" not in run.stderr


# --- OPML -------------------------------------------------------------------------------------


def test_opml_import_ids_tags_languages_and_merge(tmp_path: Path) -> None:
    feeds = parse_opml((FEEDS / "opml-subscriptions.opml").read_bytes())
    assert [(f.id, f.url, f.language, f.tags) for f in feeds] == [
        ("bbc-world", "https://feeds.example/bbc/world.xml", None, ("World",)),
        ("aljazeera-example-rss-all-xml", "https://www.aljazeera.example/rss/all.xml", "ar", ("World",)),
        ("tass", "https://tass.example/rss/v2.xml", None, ("World", "Russia", "news", "russia", "agencies")),
        ("bbc-world-2", "https://feeds.example/bbc/world-2.xml", None, ()),
    ]
    existing = [FeedConfig(id="tass", url="https://tass.example/rss/v2.xml")]
    merged, added = import_opml(FEEDS / "opml-subscriptions.opml", existing)
    assert [f.id for f in added] == ["bbc-world", "aljazeera-example-rss-all-xml", "bbc-world-2"]
    assert [f.id for f in merged] == ["tass", "bbc-world", "aljazeera-example-rss-all-xml", "bbc-world-2"]


def test_opml_errors_and_the_import_command(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="expected <opml>"):
        parse_opml(b"<rss/>", path="x.opml")
    with pytest.raises(ConfigError) as exc:
        parse_opml(b"<opml>\n<body>\n<outline</body></opml>", path="x.opml")
    assert str(exc.value).startswith("x.opml:3: not well-formed XML")
    out = tmp_path / "feeds.yaml"
    out.write_text("feeds:\n  - id: mine\n    url: local.xml\n")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "marsad",
            "feeds",
            "import",
            str(FEEDS / "opml-subscriptions.opml"),
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    feeds = parse_feeds_yaml(out.read_text(), resolve_paths=False)
    assert [f.id for f in feeds] == ["mine", "bbc-world", "aljazeera-example-rss-all-xml", "tass", "bbc-world-2"]
    assert feeds[0].url == "local.xml"  # existing entries are kept as written


# --- scheduler -------------------------------------------------------------------------------

BOUNDS = PollBounds(min=30, max=900)


def test_interval_adapts_within_bounds() -> None:
    assert next_schedule(None, PollOutcome("new_items"), BOUNDS, 0).delay == 30
    assert next_schedule(100, PollOutcome("new_items"), BOUNDS, 0).delay == 50
    assert next_schedule(100, PollOutcome("not_modified"), BOUNDS, 0).delay == 150
    assert next_schedule(100, PollOutcome("no_new_items"), BOUNDS, 0).interval == 150
    assert next_schedule(800, PollOutcome("not_modified"), BOUNDS, 0).delay == 900
    interval = None
    for _ in range(20):
        interval = next_schedule(interval, PollOutcome("not_modified"), BOUNDS, 0).interval
    assert interval == 900


def test_errors_back_off_exponentially_and_keep_the_interval() -> None:
    delays = [next_schedule(60, PollOutcome("error"), BOUNDS, n).delay for n in range(1, 7)]
    assert delays == [60, 120, 240, 480, 900, 900]
    assert next_schedule(60, PollOutcome("error"), BOUNDS, 3).interval == 60
    assert backoff(100, BOUNDS) == 900


def test_retry_after_and_429_are_honoured() -> None:
    assert next_schedule(60, PollOutcome("rate_limited", retry_after=600), BOUNDS, 1).delay == 600
    assert next_schedule(60, PollOutcome("rate_limited", retry_after=7200), BOUNDS, 1).delay == 7200
    assert next_schedule(300, PollOutcome("rate_limited"), BOUNDS, 1).delay == 300
    assert next_schedule(60, PollOutcome("rate_limited", retry_after=5), BOUNDS, 1).delay == 60


def test_jitter_never_polls_early_nor_beyond_max() -> None:
    rng = random.Random(7)
    values = [jittered(100, BOUNDS, rng) for _ in range(200)]
    assert all(100 <= v <= 110 for v in values) and len(set(values)) > 100
    assert all(jittered(890, BOUNDS, rng) <= 900 for _ in range(100))
    assert all(jittered(7200, BOUNDS, rng) >= 7200 for _ in range(100))
