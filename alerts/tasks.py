"""Messages of the delivery topics (JSON with ``version``, like marsad/messages.py).

<ns>.alerts.retry   DeliveryTask, key = "<alert_id>:<channel>"   one pending delivery
<ns>.alerts.dlq     DeadLetter,   key = "<alert_id>:<channel>"   a delivery given up on
"""

from __future__ import annotations

from typing import Any, Literal

from kernel.messages import Message


class DeliveryTask(Message):
    """One alert for one channel, with its attempt history. The payload travels whole so
    that a retry sends exactly the body of the first attempt (only the signature's
    timestamp changes)."""

    version: Literal["1"] = "1"
    alert_id: str
    channel: str
    rule_id: str
    payload: dict[str, Any]
    attempt: int = 0  # attempts made so far
    first_attempt_at: float
    next_attempt_at: float
    last_error: str = ""
    first_seen_at: float | None = None  # the connector's first sighting, for latency
    replayed: bool = False

    @property
    def key(self) -> bytes:
        return f"{self.alert_id}:{self.channel}".encode()


class DeadLetter(Message):
    version: Literal["1"] = "1"
    reason: str
    dead_lettered_at: float
    source_topic: str
    task: DeliveryTask | None = None  # None when the source message itself was unreadable
    raw: str | None = None
