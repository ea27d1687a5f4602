"""Redis URLs never show their password in an error or a log line."""

from __future__ import annotations

from kernel.redact import safe_url
from kernel.redis_client import unreachable
from kernel.settings import Settings


def test_safe_url_masks_the_password_and_keeps_the_rest() -> None:
    assert safe_url("redis://user:s3cret@cache.example:6380/2") == "redis://user:***@cache.example:6380/2"
    assert safe_url("redis://:s3cret@cache.example/0") == "redis://:***@cache.example/0"
    assert safe_url("redis://127.0.0.1:16379/0") == "redis://127.0.0.1:16379/0"


def test_the_unreachable_error_carries_no_password() -> None:
    settings = Settings(redis_url="redis://ops:hunter2@10.0.0.5:6379/0")
    message = str(unreachable(settings, ConnectionRefusedError()))
    assert "hunter2" not in message and "redis://ops:***@10.0.0.5:6379/0" in message
    assert "marsad stack up" in message
