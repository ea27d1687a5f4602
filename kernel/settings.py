"""All Marsad settings, from ``MARSAD_*`` environment variables with working local defaults.

The same variables drive the local stack (`marsad stack up`), the tests and
``docker-compose.yml``; nothing else in the code reads the environment for configuration.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = REPO_ROOT / "deploy" / "demo"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MARSAD_", extra="ignore")

    # Where the local stack keeps its data, logs and pid files (outside the repository).
    home: Path = Field(default_factory=lambda: Path.home() / ".local" / "state" / "marsad")
    # Where downloaded Kafka jars are cached (outside the repository, shared by clones).
    cache_dir: Path = Field(default_factory=lambda: Path.home() / ".cache" / "marsad")

    # Kafka
    kafka_bootstrap: str = "127.0.0.1:19092"
    kafka_controller_port: int = 19093
    kafka_heap: str = "768m"
    # Topic names are "<namespace>.articles.raw" etc.; tests use their own namespace.
    namespace: str = "marsad"
    partitions: int = 4
    # The largest record Kafka takes: the broker's message.max.bytes (`marsad stack up`,
    # docker-compose.yml) and every producer's max_request_size, so that a producer never
    # builds a record the broker refuses, nor refuses one the broker would take.
    kafka_max_message_bytes: int = Field(default=16 * 1024 * 1024, ge=1024 * 1024)

    # Redis
    redis_url: str = "redis://127.0.0.1:16379/0"
    redis_port: int = 16379

    # Prometheus (local stack, optional)
    prometheus_port: int = 19090

    # Metrics ports of the processes (0 disables the endpoint).
    connector_metrics_port: int = 9101
    worker_metrics_port: int = 9102
    dispatcher_metrics_port: int = 9103
    api_port: int = 8080
    # The console API serves /metrics on a port of its own too, not on its public port.
    api_metrics_port: int = 9104
    # The largest request body the console API reads (413 beyond it), checked after the token.
    api_max_body_bytes: int = Field(default=1024 * 1024, ge=1024)

    # Configuration files
    feeds_path: Path = DEMO_DIR / "feeds.yaml"
    rules_path: Path = DEMO_DIR / "rules"
    entities_path: Path = DEMO_DIR / "entities.yaml"
    channels_path: Path = DEMO_DIR / "channels.yaml"

    # Connector: items taken from one feed body (feeds list newest first; the rest are
    # logged and counted as dropped), at most the 20,000 seen ids it remembers per feed;
    # and the seconds parsing one body may take before it counts as a feed error.
    feed_max_items: int = Field(default=5000, ge=1, le=20_000)
    feed_parse_timeout_s: float = Field(default=20.0, gt=0)
    # An article's text as published (JSON-encoded bytes) is cut to this size and flagged
    # ``truncated``: a 9 MB page must not become a record no stage can handle.
    article_max_bytes: int = Field(default=1024 * 1024, ge=1024)

    # Faust worker
    # Faust's data directory; it would otherwise go to the current directory, which need
    # not be writable (the Docker image's is not).
    worker_data_dir: Path = Field(default_factory=lambda data: data["home"] / "worker-data")
    # How long the group waits for a silent worker before its partitions move to another
    # (Faust's default is 60 s; a SIGKILLed worker then stalls its partitions that long).
    worker_session_timeout_s: float = Field(default=10.0, ge=6.0, le=60.0)

    # The same warning or error line, repeated (a broker that is down), is logged once per
    # this many seconds with the count of the lines left out.
    log_repeat_interval_s: float = Field(default=10.0, gt=0)

    log_level: str = "INFO"

    # --- derived names -------------------------------------------------------------
    @property
    def topic_raw(self) -> str:
        return f"{self.namespace}.articles.raw"

    @property
    def topic_articles(self) -> str:
        return f"{self.namespace}.articles"

    @property
    def topic_alerts(self) -> str:
        return f"{self.namespace}.alerts"

    @property
    def topic_rules(self) -> str:
        return f"{self.namespace}.rules"

    @property
    def topic_alerts_retry(self) -> str:
        return f"{self.namespace}.alerts.retry"

    @property
    def topic_alerts_dlq(self) -> str:
        return f"{self.namespace}.alerts.dlq"

    @property
    def topic_raw_dlq(self) -> str:
        """Raw messages the worker could not process, as they were, with the reason."""
        return f"{self.namespace}.articles.raw.dlq"

    @property
    def redis_prefix(self) -> str:
        """Prefix of every Redis key, so that namespaces never share state."""
        return f"{self.namespace}:"

    def to_env(self) -> dict[str, str]:
        """These settings as MARSAD_* variables, for child processes."""
        return {f"MARSAD_{name.upper()}": str(value) for name, value in self.model_dump().items() if value is not None}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
