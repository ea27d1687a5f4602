"""Every Prometheus metric Marsad exports, defined in one place.

Conventions: ``marsad_`` prefix, ``_total`` counters, base units (``_seconds``,
``_bytes``), bounded labels only (feed ids, rule ids, channel ids, stage names — never
article ids, URLs or free text). Each process serves the registry on its own port.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from prometheus_client import Counter, Gauge, Histogram, Info, start_http_server
from prometheus_client.parser import text_string_to_metric_families

from kernel import __version__
from kernel.errors import ConfigError

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
STAGE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5)

BUILD_INFO = Info("marsad_build", "Marsad build information")

# connectors
FEED_FETCHES = Counter("marsad_feed_fetches_total", "Feed fetches", ["feed"])
FEED_NOT_MODIFIED = Counter(
    "marsad_feed_not_modified_total", "Fetches answered 304 or with an unchanged body", ["feed"]
)
FEED_ERRORS = Counter("marsad_feed_errors_total", "Failed feed fetches or parses", ["feed", "kind"])
FEED_ITEMS = Counter("marsad_feed_items_total", "New items published to Kafka", ["feed"])
FEED_ITEMS_TRUNCATED = Counter(
    "marsad_feed_items_truncated_total", "Items whose text was cut to MARSAD_ARTICLE_MAX_BYTES", ["feed"]
)
FEED_ITEMS_DROPPED = Counter(
    "marsad_feed_items_dropped_total", "Items beyond the per-feed item cap, never published", ["feed"]
)
FEED_LAST_SUCCESS = Gauge(
    "marsad_feed_last_success_timestamp_seconds", "Unix time of the last successful fetch", ["feed"]
)

# streams
STAGE_PROCESSED = Counter("marsad_stage_processed_total", "Messages processed", ["stage"])
STAGE_FAILED = Counter("marsad_stage_failed_total", "Messages that failed a stage", ["stage"])
ARTICLES_DEAD_LETTERED = Counter(
    "marsad_articles_dead_lettered_total",
    "Raw messages the worker could not process, copied to the raw dead-letter topic",
    ["reason"],  # unreadable | invalid | unprocessable | unpublishable
)
STAGE_DURATION = Histogram(
    "marsad_stage_duration_seconds",
    "Time spent per message in a stage",
    ["stage"],
    buckets=STAGE_BUCKETS,
)
DUPLICATES = Counter("marsad_duplicates_total", "Duplicates dropped", ["kind"])  # exact | near
STORIES = Counter("marsad_stories_total", "Stories created")
RULE_MATCHES = Counter("marsad_rule_matches_total", "Rule matches", ["rule"])
RULESET_VERSION = Info("marsad_ruleset", "Loaded rule set")
RULESET_RULES = Gauge("marsad_ruleset_rules", "Number of enabled rules loaded")
RULESET_LOADED_AT = Gauge("marsad_ruleset_loaded_timestamp_seconds", "When the rule set was applied")
RULESET_REJECTED = Counter("marsad_ruleset_rejected_total", "Rule sets refused as invalid")

# alerts
ALERTS_DELIVERED = Counter("marsad_alerts_delivered_total", "Alerts delivered", ["channel"])
ALERTS_FAILED = Counter("marsad_alerts_failed_total", "Failed delivery attempts", ["channel"])
ALERTS_RETRIED = Counter("marsad_alerts_retried_total", "Deliveries sent to retry", ["channel"])
ALERTS_DEAD_LETTERED = Counter(
    "marsad_alerts_dead_lettered_total", "Deliveries moved to the dead-letter topic", ["channel"]
)
ALERTS_SILENCED = Counter("marsad_alerts_silenced_total", "Alerts suppressed by a silence", ["rule"])
ALERTS_THROTTLED = Counter("marsad_alerts_throttled_total", "Matches folded into an existing alert group", ["rule"])
E2E_LATENCY = Histogram(
    "marsad_end_to_end_latency_seconds",
    "From the connector's first sighting of an item to the webhook's 2xx",
    ["channel"],
    buckets=LATENCY_BUCKETS,
)

# `marsad run`: children it restarted after they exited (process = connector, worker-1, …)
PROCESS_RESTARTS = Counter(
    "marsad_process_restarts_total", "Child processes restarted by `marsad run` after they exited", ["process"]
)

# console API (route: the declared path template, e.g. /api/rules/{rule_id})
API_REQUESTS = Counter("marsad_api_requests_total", "Console API requests answered", ["route", "method", "status"])
API_REQUEST_DURATION = Histogram(
    "marsad_api_request_duration_seconds",
    "Console API time per request, until the last byte of the answer",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)

# kafka
CONSUMER_LAG = Gauge("marsad_kafka_consumer_lag", "Messages behind the end of the partition", ["topic", "partition"])


def declare_labels(values: Collection[str], *counters: Counter) -> None:
    """Export 0 for each of ``values`` (label values this process knows at start-up) in
    each single-label counter: a child created by its first event starts at 1, a change
    that ``increase()`` cannot see (deploy/prometheus/alerts.yml)."""
    for counter in counters:
        for value in values:
            counter.labels(value)


def serve_metrics(port: int, role: str, addr: str = "0.0.0.0", *, moved_by: str = "") -> None:
    """Start the /metrics endpoint of this process on ``addr`` (port 0 disables it).

    A taken port is a ConfigError naming what moves it (``moved_by``, by default the
    role's MARSAD_<ROLE>_METRICS_PORT), not a socket traceback."""
    BUILD_INFO.info({"version": __version__, "role": role})
    if not port:
        return
    try:
        start_http_server(port, addr=addr)
    except OSError as exc:  # a port taken by another process: say which setting moves it
        raise ConfigError(
            f"the {role} cannot serve /metrics on {addr}:{port}: {exc.strerror or exc}"
            f" (set {moved_by or f'MARSAD_{role.upper()}_METRICS_PORT'} to a free port, or 0 to turn it off)"
        ) from exc


def sample_value(exposition: str, series: str) -> float | None:
    """The value of one series in a /metrics text, named as served, e.g.
    ``marsad_stage_processed_total{stage="match"}`` (labels in any order); None if absent."""
    name, _, label_text = series.partition("{")
    wanted = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', label_text))
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            if sample.name == name and sample.labels == wanted:
                return float(sample.value)
    return None
