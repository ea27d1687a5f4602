"""HTTP delivery to one channel: signed webhook or Slack incoming webhook."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import orjson

from alerts import payload as payloads
from alerts.channels import Channel
from alerts.signing import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, sign
from alerts.slack import build_message
from kernel.net_guard import GuardedTransport, Resolver, UnresolvableHost, UnsafeTarget, system_resolver, url_host_port

USER_AGENT = "marsad-dispatcher/1"
# Statuses worth retrying; any other 4xx means the request itself is refused.
RETRYABLE_STATUS = {408, 409, 425, 429}


@dataclass(frozen=True)
class SendResult:
    ok: bool
    status: int | None = None
    retryable: bool = True
    error: str = ""
    retry_after_s: float | None = None


class RateLimiter:
    """Token bucket: ``rate`` sends per second on average, bursts up to ``burst``."""

    def __init__(self, rate: float, burst: float | None = None, clock=time.monotonic, sleep=time.sleep) -> None:
        self.rate = rate
        self.capacity = max(1.0, burst if burst is not None else rate)
        self.tokens = self.capacity
        self.clock, self.sleep = clock, sleep
        self.updated = clock()
        self.lock = threading.Lock()

    def reserve(self) -> float:
        """Take a token; return how long the caller must wait before using it."""
        with self.lock:
            now = self.clock()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            self.tokens -= 1.0
            return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    def acquire(self) -> None:
        wait = self.reserve()
        if wait > 0:
            self.sleep(wait)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


class ChannelSender:
    """Sends payloads to one channel, within its rate limit and timeout."""

    def __init__(
        self, channel: Channel, client: httpx.Client | None = None, resolver: Resolver = system_resolver
    ) -> None:
        self.channel = channel
        self.limiter = RateLimiter(channel.rate_per_second)
        limits = httpx.Limits(max_connections=channel.concurrency, max_keepalive_connections=channel.concurrency)
        # Every connection is checked against the channel's policy and made to the address
        # that was checked (kernel.net_guard). No proxies from the environment (a proxy
        # would connect on our behalf) and no redirects, for the same reason.
        self.client = client or httpx.Client(
            timeout=channel.timeout_s,
            follow_redirects=False,
            trust_env=False,
            transport=GuardedTransport(channel.policy, resolver, limits=limits),
        )

    def close(self) -> None:
        self.client.close()

    def request(self, payload: dict[str, Any], alert_id: str) -> tuple[bytes, dict[str, str]]:
        """Body and headers of the POST for ``payload`` (signed now)."""
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **dict(self.channel.headers)}
        if self.channel.type == "slack":
            return orjson.dumps(build_message(payload)), headers
        body = payloads.encode(payload)
        assert self.channel.secret is not None
        headers[SIGNATURE_HEADER] = sign(self.channel.secret.reveal(), body)
        headers[IDEMPOTENCY_HEADER] = alert_id
        return body, headers

    def _redact(self, text: str) -> str:
        return text.replace(self.channel.url.reveal(), "<channel url>")

    def send(self, payload: dict[str, Any], alert_id: str) -> SendResult:
        url = self.channel.url.reveal()
        try:
            url_host_port(url)
        except UnsafeTarget as exc:
            return SendResult(False, retryable=False, error=f"target refused: {exc}")
        self.limiter.acquire()
        body, headers = self.request(payload, alert_id)
        try:
            # The addresses are resolved and checked when the connection is made.
            response = self.client.post(url, content=body, headers=headers)
        except UnresolvableHost as exc:
            return SendResult(False, retryable=True, error=str(exc))
        except UnsafeTarget as exc:
            return SendResult(False, retryable=False, error=f"target refused: {exc}")
        except httpx.HTTPError as exc:
            return SendResult(False, retryable=True, error=self._redact(f"{exc.__class__.__name__}: {exc}"))
        if 200 <= response.status_code < 300:
            return SendResult(True, status=response.status_code)
        retryable = response.status_code >= 500 or response.status_code in RETRYABLE_STATUS
        detail = self._redact(response.text[:200].strip())
        return SendResult(
            False,
            status=response.status_code,
            retryable=retryable,
            error=f"HTTP {response.status_code}" + (f": {detail}" if detail else ""),
            retry_after_s=_retry_after(response),
        )
