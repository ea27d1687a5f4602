"""The local stack on real Kafka and Redis: up is idempotent, status tells the truth,
down stops only what up started."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import redis
from kafka import KafkaAdminClient

from kernel.kafka import topic_specs
from kernel.settings import Settings
from marsad import stack as local_stack
from tests.support.stack import child_env, free_port

pytestmark = pytest.mark.stack


def _marsad(settings: Settings, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "marsad", *args],
        env=child_env(settings),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_topics_exist_with_explicit_partitions_and_compaction(stack: Settings) -> None:
    admin = KafkaAdminClient(bootstrap_servers=stack.kafka_bootstrap)
    try:
        described = {t["name"]: t for t in admin.describe_topics([s.name for s in topic_specs(stack)])}
        for spec in topic_specs(stack):
            assert len(described[spec.name]["partitions"]) == spec.partitions, spec.name
        from kafka.admin import ConfigResource, ConfigResourceType

        configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, stack.topic_rules)])
        entries = configs["topic"][stack.topic_rules]
        assert entries["cleanup.policy"]["value"] == "compact"
        assert entries["max.message.bytes"]["value"] == str(16 * 1024 * 1024)
    finally:
        admin.close()


def test_redis_runs_with_appendonly(stack: Settings) -> None:
    client = redis.Redis.from_url(stack.redis_url)
    assert client.config_get("appendonly") == {"appendonly": "yes"}


def test_up_twice_is_harmless_and_status_is_healthy(stack: Settings) -> None:
    again = _marsad(stack, "stack", "up")
    assert again.returncode == 0, again.stderr
    assert "already running" in again.stdout
    status = _marsad(stack, "stack", "status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert "kafka" in status.stdout and "redis" in status.stdout


def test_separate_stack_up_status_down_cycle(tmp_path) -> None:
    """A second, independent stack: status is non-zero after down, and down leaves
    processes it did not start alone."""
    redis_port = free_port()
    settings = Settings(
        home=tmp_path / "home",
        kafka_bootstrap=f"127.0.0.1:{free_port()}",
        kafka_controller_port=free_port(),
        redis_port=redis_port,
        redis_url=f"redis://127.0.0.1:{redis_port}/0",
        namespace="cycle",
        partitions=1,
        kafka_heap="384m",
    )
    # A foreign process on a port we do not own must survive `down`.
    foreign = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        up = _marsad(settings, "stack", "up")
        assert up.returncode == 0, up.stdout + up.stderr
        assert _marsad(settings, "stack", "status").returncode == 0
        down = _marsad(settings, "stack", "down")
        assert down.returncode == 0, down.stderr
        assert "stopped" in down.stdout
        status = _marsad(settings, "stack", "status", timeout=60)
        assert status.returncode == 1
        assert "down" in status.stdout
        assert foreign.poll() is None
        assert local_stack.status(settings)[0].running is False
    finally:
        foreign.kill()
        local_stack.down(settings, quiet=True)


def test_kafka_down_fails_fast_with_a_clear_message(tmp_path) -> None:
    settings = Settings(home=tmp_path, kafka_bootstrap=f"127.0.0.1:{free_port()}", namespace="nokafka")
    started = time.monotonic()
    from kernel.errors import StackUnavailable
    from kernel.kafka import wait_for_kafka

    with pytest.raises(StackUnavailable, match="did not answer"):
        wait_for_kafka(settings, timeout_s=3)
    assert time.monotonic() - started < 15
