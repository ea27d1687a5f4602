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

    # Faust worker
    # Articles normalized and deduplicated at once per worker: while one waits for Redis,
    # another is cleaned. Order within a partition is then not kept (it need not be).
    worker_concurrency: int = 2
    # Faust's data directory; it would otherwise go to the current directory, which need
    # not be writable (the Docker image's is not).
    worker_data_dir: Path = Field(default_factory=lambda data: data["home"] / "worker-data")

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
    def redis_prefix(self) -> str:
        """Prefix of every Redis key, so that namespaces never share state."""
        return f"{self.namespace}:"

    def to_env(self) -> dict[str, str]:
        """These settings as MARSAD_* variables, for child processes."""
        return {f"MARSAD_{name.upper()}": str(value) for name, value in self.model_dump().items() if value is not None}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
