"""One record limit everywhere: the broker's message.max.bytes (local stack, compose) is
every producer's max_request_size, so no producer builds a record the broker refuses, nor
refuses one it takes (a 9 MB article crashed the worker on aiokafka's 1 MB default).
And a SIGKILLed worker's partitions move within the failover budget."""

from __future__ import annotations

from pathlib import Path

import yaml

from kernel.settings import REPO_ROOT, Settings
from streams.app import faust_app


def test_compose_broker_takes_what_the_producers_send() -> None:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    broker = compose["services"]["kafka"]["environment"]["KAFKA_MESSAGE_MAX_BYTES"]
    assert int(broker) == Settings().kafka_max_message_bytes


def test_the_worker_produces_records_as_large_and_fails_over_fast(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, worker_data_dir=tmp_path / "w", kafka_max_message_bytes=5 * 1024 * 1024)
    conf = faust_app(settings).conf
    assert conf.producer_max_request_size == 5 * 1024 * 1024
    assert conf.broker_session_timeout <= 10.0
    assert conf.broker_heartbeat_interval <= conf.broker_session_timeout / 3
