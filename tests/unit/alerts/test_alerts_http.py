"""Channel senders against real local HTTP servers (no Kafka, no Redis)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import orjson
import pytest

from alerts.channels import Channel, RetryPolicy, Secret
from alerts.grouping import decide
from alerts.payload import build_payload
from alerts.receiver import WebhookReceiver
from alerts.senders import ChannelSender
from alerts.signing import sign
from kernel.net_guard import TargetPolicy
from tests.support.alerts import T0, assert_block_kit, event

LOOPBACK = TargetPolicy.parse(["loopback"])


def payload() -> dict:
    ev = event()
    return build_payload(ev, decide(None, ev), T0)


def webhook(url: str, secret: str = "s3cret", policy: TargetPolicy = LOOPBACK, timeout: float = 2.0) -> ChannelSender:
    return ChannelSender(
        Channel(
            id="hook",
            type="webhook",
            url=Secret(url),
            secret=Secret(secret),
            timeout_s=timeout,
            rate_per_second=100,
            policy=policy,
            retry=RetryPolicy(),
        )
    )


def test_signed_delivery_is_verified_and_recorded() -> None:
    with WebhookReceiver(secret="s3cret") as receiver:
        sender = webhook(receiver.url)
        p = payload()
        result = sender.send(p, p["alert_id"])
        assert (result.ok, result.status) == (True, 200)
        assert receiver.deliveries == [p]
        assert receiver.keys == {p["alert_id"]: 1} and receiver.rejected == 0
        again = sender.send(p, p["alert_id"])  # same key: acknowledged, not a new delivery
        assert again.ok and len(receiver.deliveries) == 1 and receiver.keys[p["alert_id"]] == 2
        assert receiver.raw_count == 2


def test_request_headers() -> None:
    sender = webhook("http://127.0.0.1:9/x")
    p = payload()
    body, headers = sender.request(p, p["alert_id"])
    assert orjson.loads(body) == p
    assert headers["Idempotency-Key"] == p["alert_id"]
    assert headers["Content-Type"] == "application/json"
    t = headers["X-Marsad-Signature"].split(",")[0][2:]
    assert headers["X-Marsad-Signature"] == sign("s3cret", body, int(t))


def test_wrong_secret_is_refused_without_retry() -> None:
    with WebhookReceiver(secret="right") as receiver:
        p = payload()
        result = webhook(receiver.url, secret="wrong").send(p, p["alert_id"])
        assert (result.ok, result.status, result.retryable) == (False, 401, False)
        assert receiver.rejected == 1 and receiver.deliveries == []


def test_receiver_down_is_retryable() -> None:
    with WebhookReceiver(secret="s3cret", fail_first=1) as receiver:
        sender, p = webhook(receiver.url), payload()
        first = sender.send(p, p["alert_id"])
        assert (first.ok, first.status, first.retryable) == (False, 503, True)
        assert sender.send(p, p["alert_id"]).ok
        receiver.set_down(True)
        assert sender.send(p, p["alert_id"]).status == 503
        receiver.set_down(False)
        assert receiver.attempts == 3 and len(receiver.deliveries) == 1


def test_connection_refused_is_retryable_and_url_is_redacted() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/secret-token-path"
    p = payload()
    result = webhook(url).send(p, p["alert_id"])
    assert not result.ok and result.retryable and result.status is None
    assert "secret-token-path" not in result.error


def test_loopback_refused_unless_allowed() -> None:
    with WebhookReceiver(secret="s3cret") as receiver:
        p = payload()
        result = webhook(receiver.url, policy=TargetPolicy()).send(p, p["alert_id"])
        assert not result.ok and not result.retryable and "loopback" in result.error
        assert receiver.attempts == 0


class FakeSlack(BaseHTTPRequestHandler):
    bodies: list[dict] = []
    answer_429 = [1]

    def log_message(self, *args) -> None:
        return

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if FakeSlack.answer_429[0]:
            FakeSlack.answer_429[0] -= 1
            self.send_response(429)
            self.send_header("Retry-After", "7")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        FakeSlack.bodies.append(orjson.loads(body))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


@pytest.fixture()
def fake_slack():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSlack)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeSlack.bodies, FakeSlack.answer_429 = [], [1]
    yield f"http://127.0.0.1:{server.server_address[1]}/services/T/B/x"
    server.shutdown()
    server.server_close()


def test_slack_sender_block_kit_rate_limit_and_retry_after(fake_slack) -> None:
    sender = ChannelSender(
        Channel(id="slack", type="slack", url=Secret(fake_slack), rate_per_second=4, concurrency=1, policy=LOOPBACK)
    )
    p = payload()
    limited = sender.send(p, p["alert_id"])
    assert (limited.ok, limited.status, limited.retryable, limited.retry_after_s) == (False, 429, True, 7.0)
    for _ in range(3):
        assert sender.send(p, p["alert_id"]).ok
    assert len(FakeSlack.bodies) == 3
    for body in FakeSlack.bodies:
        assert_block_kit(body)
        assert "Idempotency-Key" not in body


def test_receiver_rejects_missing_signature() -> None:
    with WebhookReceiver(secret="s3cret") as receiver:
        response = httpx.post(receiver.url, content=b"{}", headers={"Content-Type": "application/json"})
        assert response.status_code == 401 and "missing" in response.json()["error"]
        stale = sign("s3cret", b"{}", int(time.time()) - 3600)
        response = httpx.post(receiver.url, content=b"{}", headers={"X-Marsad-Signature": stale})
        assert response.status_code == 401 and "tolerance" in response.json()["error"]
        assert receiver.rejected == 2


def test_receiver_command_prints_verified_deliveries(tmp_path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RECV_SECRET": "cli-secret"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "marsad", "receiver", "--port", str(port), "--secret-env", "RECV_SECRET"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        sender, p = webhook(f"http://127.0.0.1:{port}/alerts", secret="cli-secret"), payload()
        for _ in range(100):
            result = sender.send(p, p["alert_id"])
            if result.ok:
                break
            time.sleep(0.1)
        assert result.ok
        assert sender.send(p, p["alert_id"]).ok  # a repeat is acknowledged, not printed
        assert not webhook(f"http://127.0.0.1:{port}/alerts", secret="wrong").send(p, p["alert_id"]).ok
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    assert [orjson.loads(line) for line in out.splitlines()] == [p]
    assert "received 2 deliveries (1 distinct keys), rejected 1" in err


def test_receiver_command_needs_its_secret() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_SUCH_SECRET_VAR"}
    result = subprocess.run(
        [sys.executable, "-m", "marsad", "receiver", "--secret-env", "NO_SUCH_SECRET_VAR"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "marsad: error: environment variable NO_SUCH_SECRET_VAR (--secret-env) is not set"


def test_receiver_command_on_a_busy_port_says_so_in_one_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "marsad", "receiver", "--port", str(port), "--secret-env", "RECV_SECRET"],
            env={**os.environ, "RECV_SECRET": "cli-secret"},
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert result.stderr.strip() == f"marsad: error: cannot listen on 127.0.0.1:{port}: Address already in use"


# --- the address connected to is the address checked (DNS rebinding) ---------------------


class ScriptedResolver:
    """Answers in turn from ``answers`` (the last one repeats) and counts the questions."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.questions: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.questions.append(host)
        return self.answers[min(len(self.questions), len(self.answers)) - 1]


def resolving_webhook(url: str, resolver: ScriptedResolver, policy: TargetPolicy) -> ChannelSender:
    channel = webhook(url, policy=policy).channel
    return ChannelSender(channel, resolver=resolver)


def test_a_host_name_is_resolved_once_and_that_address_is_connected_to() -> None:
    with WebhookReceiver(secret="s3cret") as receiver:
        # A rebinding server answers loopback (allowed here) once, then the metadata service.
        resolver = ScriptedResolver(["127.0.0.1"], ["169.254.169.254"])
        sender = resolving_webhook(f"http://hooks.rebind.test:{receiver.port}/alerts", resolver, LOOPBACK)
        p = payload()
        result = sender.send(p, p["alert_id"])
        assert result.ok, result.error
        assert resolver.questions == ["hooks.rebind.test"] and receiver.deliveries == [p]


def test_the_socket_goes_to_the_checked_address_not_to_a_fresh_lookup() -> None:
    with WebhookReceiver(secret="s3cret") as receiver:
        # Only 127.0.0.2 is allowed and the checked answer is 127.0.0.2, where nothing
        # listens; the system's own answer for "localhost" (127.0.0.1, the receiver) must
        # not be used for the connection.
        resolver = ScriptedResolver(["127.0.0.2"])
        sender = resolving_webhook(
            f"http://localhost:{receiver.port}/alerts", resolver, TargetPolicy.parse(["127.0.0.2/32"])
        )
        p = payload()
        result = sender.send(p, p["alert_id"])
        assert not result.ok and result.retryable
        assert receiver.attempts == 0


def test_an_internal_answer_is_refused_at_connect_time() -> None:
    with WebhookReceiver(secret="s3cret") as receiver:
        for answer in (["10.0.0.7"], ["2002:7f00:1::1"], ["fec0::1"], ["93.184.216.34", "127.0.0.1"]):
            resolver = ScriptedResolver(answer)
            sender = resolving_webhook(f"http://hooks.rebind.test:{receiver.port}/alerts", resolver, TargetPolicy())
            p = payload()
            result = sender.send(p, p["alert_id"])
            assert not result.ok and not result.retryable and "target refused" in result.error, answer
        assert receiver.attempts == 0


def test_an_unresolvable_host_is_retried_later() -> None:
    def no_answer(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    channel = webhook("http://hooks.gone.test/hook").channel
    p = payload()
    result = ChannelSender(channel, resolver=no_answer).send(p, p["alert_id"])
    assert not result.ok and result.retryable and "cannot resolve" in result.error
