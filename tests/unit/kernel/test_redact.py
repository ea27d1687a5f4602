"""Credentials in Redis and Kafka URLs (and any URL) never reach an error or a log line."""

from __future__ import annotations

import logging

import pytest

from kernel import kafka
from kernel.errors import StackUnavailable
from kernel.redact import install_log_masking, mask_credentials, safe_servers, safe_url
from kernel.settings import Settings


def test_kafka_server_lists_are_masked_entry_by_entry() -> None:
    servers = "kafka1:9092, SASL_SSL://alice:pw1@k2:9093,bob:pw2@k3:9094"
    assert safe_servers(servers) == "kafka1:9092,SASL_SSL://alice:***@k2:9093,bob:***@k3:9094"
    assert safe_servers("127.0.0.1:19092") == "127.0.0.1:19092"


def test_every_url_in_a_text_is_masked() -> None:
    text = "retrying redis://user:p@ss@cache:6379/0 after https://tok:abc@feeds.example/x?a=b@c failed"
    assert mask_credentials(text) == (
        "retrying redis://user:***@cache:6379/0 after https://tok:***@feeds.example/x?a=b@c failed"
    )
    plain = "mail ops@example.org about http://x.example/@handle at 10:30"
    assert mask_credentials(plain) == plain
    assert safe_url("redis://u:pw@[::1]:6379/0") == "redis://u:***@[::1]:6379/0"


def test_kafka_errors_carry_no_password(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(kafka_bootstrap="SASL_SSL://svc:hunter2@kafka.internal:9093")
    message = str(kafka.unreachable(settings, ConnectionRefusedError()))
    assert "hunter2" not in message and "SASL_SSL://svc:***@kafka.internal:9093" in message

    def refuse(*args: object, **kwargs: object) -> None:
        raise StackUnavailable(f"connect to {settings.kafka_bootstrap} refused")

    monkeypatch.setattr(kafka, "admin_client", refuse)
    with pytest.raises(StackUnavailable) as exc:
        kafka.wait_for_kafka(settings, timeout_s=0.01)
    assert "hunter2" not in str(exc.value) and "svc:***@" in str(exc.value)


def test_log_lines_and_tracebacks_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    previous = logging.getLogRecordFactory()
    install_log_masking()
    install_log_masking()  # idempotent
    try:
        log = logging.getLogger("marsad.test.redact")
        with caplog.at_level(logging.INFO, logger="marsad.test.redact"):
            log.info("connecting to %s", "redis://ops:hunter2@10.0.0.5:6379/0")
            try:
                raise ConnectionError("refused by redis://ops:hunter2@10.0.0.5:6379/0")
            except ConnectionError:
                log.exception("giving up on %s", "https://reader:token123@feeds.example/rss")
        text = caplog.text
        assert "hunter2" not in text and "token123" not in text
        assert "redis://ops:***@10.0.0.5:6379/0" in text and "https://reader:***@feeds.example/rss" in text
    finally:
        logging.setLogRecordFactory(previous)
