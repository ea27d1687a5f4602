"""A local webhook receiver that verifies Marsad's signatures (demo, tests, users).

It behaves as a receiver should: 401 for a missing, bad or stale signature; 2xx for a
verified delivery; a repeated ``Idempotency-Key`` is acknowledged again but recorded as
a delivery only once. ``fail_first`` and ``set_down`` make it answer errors on purpose.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson

from alerts.signing import (
    DEFAULT_TOLERANCE_S,
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    SignatureError,
    verify,
)

MAX_BODY = 5 * 1024 * 1024


class WebhookReceiver:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        secret: str,
        fail_first: int = 0,
        status_when_failing: int = 503,
        path: str = "/alerts",
        tolerance_s: float = DEFAULT_TOLERANCE_S,
        delay_s: float = 0.0,
        on_delivery: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.host, self.port, self.secret, self.path = host, port, secret, path
        self.fail_first, self.status_when_failing, self.tolerance_s = fail_first, status_when_failing, tolerance_s
        self.on_delivery = on_delivery
        self.delay_s = delay_s  # answer every POST this much later (a slow receiver)
        self.deliveries: list[dict[str, Any]] = []  # verified, first arrival of each key
        self.keys: Counter[str] = Counter()  # every accepted POST's Idempotency-Key
        self.raw_count = 0  # accepted POSTs, repeats included
        self.attempts = 0  # every POST, whatever the answer
        self.rejected = 0  # bad, missing or stale signatures
        self.failed = 0  # POSTs answered with an error on purpose
        self._down = False
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{self.path}"

    def set_down(self, down: bool) -> None:
        """While down, every POST is answered ``status_when_failing``."""
        with self._lock:
            self._down = down

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — quiet
                return

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = orjson.dumps(body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 — http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    self._answer(413, {"error": "body too large"})
                    return
                body = self.rfile.read(length)
                status, answer = receiver._receive(
                    self.path, body, self.headers.get(SIGNATURE_HEADER), self.headers.get(IDEMPOTENCY_HEADER)
                )
                self._answer(status, answer)

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-receiver", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _receive(self, path: str, body: bytes, signature: str | None, key: str | None) -> tuple[int, dict[str, Any]]:
        if self.delay_s:
            time.sleep(self.delay_s)
        with self._lock:
            self.attempts += 1
            if path.split("?", 1)[0] != self.path:
                return 404, {"error": f"POST to {self.path}"}
            if self._down or self.failed < self.fail_first:
                self.failed += 1
                return self.status_when_failing, {"error": "receiver unavailable (on purpose)"}
            try:
                verify(self.secret, body, signature, tolerance_s=self.tolerance_s)
            except SignatureError as exc:
                self.rejected += 1
                return 401, {"error": str(exc)}
            try:
                payload = orjson.loads(body)
            except orjson.JSONDecodeError:
                return 400, {"error": "body is not JSON"}
            key = key or str(payload.get("alert_id", ""))
            self.raw_count += 1
            self.keys[key] += 1
            if self.keys[key] > 1:
                return 200, {"status": "duplicate", "key": key}
            self.deliveries.append(payload)
        if self.on_delivery is not None:
            self.on_delivery(payload)
        return 200, {"status": "accepted", "key": key}
