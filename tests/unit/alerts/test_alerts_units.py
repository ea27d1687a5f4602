"""Pure tests of alert delivery: payload, alert ids, signatures, grouping, silences,
Slack Block Kit, SSRF checks, channels.yaml, durations, rate limiting, offset tracking."""

from __future__ import annotations

import ipaddress
import random
from pathlib import Path

import pytest
from kafka.structs import TopicPartition

from alerts import signing
from alerts.channels import RetryPolicy, Secret, expand_env, parse_channels
from alerts.dispatcher import OffsetTracker
from alerts.grouping import decide, make_alert_id
from alerts.payload import build_payload, encode, schema_errors
from alerts.senders import RateLimiter
from alerts.silences import Silence, first_silence, parse_matchers
from alerts.slack import PDI, RLI, RLM, build_message, clean, isolate
from kernel.durations import iso_utc, parse_duration, parse_since
from kernel.errors import ConfigError
from kernel.messages import Evidence, RuleRef
from kernel.net_guard import TargetPolicy, UnsafeTarget, address_class, check_url
from tests.support.alerts import T0, assert_block_kit, event

# --- durations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,seconds",
    [("5s", 5), ("500ms", 0.5), ("2h", 7200), ("1h30m", 5400), (" 3 d ", 259200), ("1w", 604800), (7, 7), ("2.5", 2.5)],
)
def test_parse_duration(text, seconds) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["", "5x", "h", "-5", "5s3", True, "1h 2q", "nan", "inf", float("nan"), float("inf")])
def test_parse_duration_rejects(bad) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_parse_since_duration_and_iso() -> None:
    assert parse_since("2h", T0) == T0 - 7200
    assert parse_since("2026-11-20T08:00:00Z", T0) == 1795161600.0
    assert parse_since("2026-11-20T08:00:00", T0) == 1795161600.0
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_since("yesterday", T0)


def test_iso_utc() -> None:
    assert iso_utc(1795161600.25) == "2026-11-20T08:00:00.250Z"


# --- signing ----------------------------------------------------------------------------


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    body = b'{"a":1}'
    header = signing.sign("s3cret", body, timestamp=1700000000)
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert signing.verify("s3cret", body, header, now=1700000100) == 1700000000


def test_signature_rejections() -> None:
    body = b'{"a":1}'
    header = signing.sign("s3cret", body, timestamp=1700000000)
    with pytest.raises(signing.SignatureError, match="does not match"):
        signing.verify("other", body, header, now=1700000000)
    with pytest.raises(signing.SignatureError, match="does not match"):
        signing.verify("s3cret", body + b" ", header, now=1700000000)
    with pytest.raises(signing.SignatureError, match="tolerance"):
        signing.verify("s3cret", body, header, now=1700000301)
    with pytest.raises(signing.SignatureError, match="missing"):
        signing.verify("s3cret", body, None)
    with pytest.raises(signing.SignatureError, match="no v1"):
        signing.verify("s3cret", body, "t=1700000000", now=1700000000)
    with pytest.raises(signing.SignatureError, match="not an integer"):
        signing.verify("s3cret", body, "t=abc,v1=00", now=1700000000)


def test_signature_accepts_any_of_several_v1_values() -> None:
    body = b"{}"
    good = signing.compute_signature("new", 1700000000, body)
    assert signing.verify("new", body, f"t=1700000000,v1=deadbeef,v1={good}", now=1700000000) == 1700000000


# --- grouping ---------------------------------------------------------------------------


def test_alert_id_is_stable_and_distinguishes_window_and_step() -> None:
    a = make_alert_id("troops", "s1", "a1", T0, 0)
    assert a == make_alert_id("troops", "s1", "a1", T0 + 0.0001, 0)  # millisecond resolution
    assert len(a) == 32 and int(a, 16) >= 0
    assert (
        len(
            {
                a,
                make_alert_id("troops", "s1", "a1", T0, 1),
                make_alert_id("troops", "s2", "a1", T0, 0),
                make_alert_id("other", "s1", "a1", T0, 0),
                make_alert_id("troops", "s1", "a1", T0 + 1, 0),
                make_alert_id("troops", "s1", "a2", T0, 0),
            }
        )
        == 6
    )


def test_first_match_sends_later_ones_fold_into_the_group() -> None:
    first = decide(None, event())
    assert (first.action, first.reason, first.step) == ("send", "new", 0)
    assert first.alert_id == make_alert_id("troops", "s1", "a1", T0, 0)
    second = decide(first.group, event(article="a2", feed="levant-daily", at=T0 + 60, sources=2))
    assert (second.action, second.reason) == ("throttle", "throttled")
    assert second.alert_id == first.alert_id
    g = second.group
    assert (g.count, g.feeds, g.sources, g.latest_article["id"], g.first_article_id) == (
        2,
        ("levant-daily", "sahil-news"),
        2,
        "a2",
        "a1",
    )
    third = decide(g, event(article="a3", feed="sahil-news", at=T0 + 120))
    assert third.action == "throttle" and third.group.count == 3 and third.group.feeds == g.feeds


def test_window_closes_after_throttle_and_a_new_group_alerts() -> None:
    first = decide(None, event(throttle=600))
    late = decide(first.group, event(article="a9", at=T0 + 600))
    assert (late.action, late.reason, late.group.count) == ("send", "new", 1)
    assert late.alert_id == make_alert_id("troops", "s1", "a9", T0 + 600, 0) != first.alert_id
    inside = decide(first.group, event(article="a8", at=T0 + 599.9))
    assert inside.action == "throttle"


def test_zero_throttle_alerts_every_match() -> None:
    first = decide(None, event(throttle=0))
    again = decide(first.group, event(article="a2", at=T0 + 1, throttle=0))
    assert again.action == "send" and again.alert_id != first.alert_id
    # Two agents can match two articles of one story within one millisecond: still two
    # notifications (one id would have made the dispatcher skip the second as delivered).
    same_ms = decide(again.group, event(article="a3", at=T0 + 1, throttle=0))
    assert same_ms.action == "send" and same_ms.alert_id not in (first.alert_id, again.alert_id)


def test_escalation_sends_once_per_threshold() -> None:
    first = decide(None, event(escalate=[3, 10]))
    two = decide(first.group, event(article="a2", at=T0 + 10, sources=2, escalate=[3, 10]))
    assert two.action == "throttle"
    three = decide(two.group, event(article="a3", at=T0 + 20, sources=3, escalate=[3, 10]))
    assert (three.action, three.reason, three.step) == ("send", "escalation", 1)
    assert three.alert_id == make_alert_id("troops", "s1", "a1", T0, 1)
    assert three.group.escalations == (3,) and three.group.count == 3
    four = decide(three.group, event(article="a4", at=T0 + 30, sources=4, escalate=[3, 10]))
    assert four.action == "throttle" and four.alert_id == three.alert_id
    jump = decide(four.group, event(article="a5", at=T0 + 40, sources=12, escalate=[3, 10]))
    assert (jump.action, jump.step, jump.group.escalations) == ("send", 2, (3, 10))


def test_escalation_counts_distinct_feeds_too() -> None:
    g = decide(None, event(escalate=[3])).group
    g = decide(g, event(article="a2", feed="f2", at=T0 + 1, escalate=[3])).group
    d = decide(g, event(article="a3", feed="f3", at=T0 + 2, escalate=[3]))
    assert d.action == "send" and d.reason == "escalation" and d.group.sources == 3


def test_first_alert_covers_thresholds_already_reached() -> None:
    first = decide(None, event(sources=5, escalate=[3, 10]))
    assert first.group.escalations == (3,)
    later = decide(first.group, event(article="a2", at=T0 + 5, sources=6, escalate=[3, 10]))
    assert later.action == "throttle"


def test_group_state_round_trips() -> None:
    from alerts.grouping import GroupState

    g = decide(None, event(escalate=[2])).group
    assert GroupState.from_dict(g.to_dict()) == g


# --- payload ----------------------------------------------------------------------------


def test_payload_v1_shape_and_schema() -> None:
    ev = event(sources=2)
    d = decide(None, ev)
    payload = build_payload(ev, d, 1795161600.0)
    assert schema_errors(payload) == []
    assert payload["version"] == "1" and payload["alert_id"] == d.alert_id
    assert payload["rule"] == {"id": "troops", "title": "Troop build-up", "severity": "high"}
    assert payload["story"] == {"id": "s1", "sources": 2}
    assert payload["fired_at"] == "2026-11-20T08:00:00.000Z"
    assert payload["article"]["id"] == "a1" and payload["article"]["language"] == "ar"
    # null optional evidence keys are dropped
    assert payload["evidence"][0] == {
        "leaf": "quantity",
        "text": "أكثر من 120 ألف جندي",
        "start": 17,
        "end": 37,
        "value": 120000,
        "unit": "troops",
        "region": "body",
    }
    assert payload["evidence"][1] == {"leaf": "terms", "text": "الكرملين", "start": 0, "end": 8, "region": "body"}
    assert payload["group"] == {
        "count": 1,
        "sources": 2,
        "feeds": ["sahil-news"],
        "escalation_step": 0,
        "first_article_id": "a1",
    }
    assert encode(payload).decode("utf-8").count("الكرملين") >= 2  # UTF-8, not \u escapes


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>",
        "file:///etc/passwd",
    ],
)
def test_a_payload_carries_http_links_only(link: str) -> None:
    ev = event()
    ev = ev.model_copy(update={"article": ev.article.model_copy(update={"url": link})})
    payload = build_payload(ev, decide(None, ev), T0)
    assert payload["article"]["url"] == "" and schema_errors(payload) == []
    assert link.split(":")[0].lower() not in encode(payload).decode().lower()


def test_schema_catches_a_broken_payload() -> None:
    ev = event()
    payload = build_payload(ev, decide(None, ev), T0)
    del payload["alert_id"]
    payload["rule"]["severity"] = "urgent"
    payload["evidence"][0]["start"] = -1
    errors = schema_errors(payload)
    assert any(e.startswith("(root)") and "alert_id" in e for e in errors)
    assert any(e.startswith("rule/severity") for e in errors)
    assert any(e.startswith("evidence/0/start") for e in errors)


# --- silences ---------------------------------------------------------------------------


def test_silence_matching() -> None:
    s = Silence(
        id="x",
        rule="troop*",
        starts_at=T0,
        ends_at=T0 + 3600,
        reason="drill",
        matchers={"feed": "sahil-*", "language": "ar"},
    )
    assert s.matches(event(), T0 + 1)
    assert not s.matches(event(), T0 + 3600)  # ended
    assert not s.matches(event(), T0 - 1)  # not started
    assert not s.matches(event(feed="levant-daily"), T0 + 1)
    assert not s.matches(event(rule="peskov"), T0 + 1)
    everything = Silence(id="y", rule="*", starts_at=T0, ends_at=T0 + 10, reason="maintenance")
    assert first_silence([s, everything], event(rule="peskov"), T0 + 1) is everything
    assert first_silence([s], event(rule="peskov"), T0 + 1) is None


def test_parse_matchers() -> None:
    assert parse_matchers(["feed=sahil-news", "severity = high"]) == {"feed": "sahil-news", "severity": "high"}
    with pytest.raises(ValueError, match="expected key=value"):
        parse_matchers(["feed"])
    with pytest.raises(ValueError, match="unknown key 'colour'"):
        parse_matchers(["colour=red"])


# --- Slack Block Kit --------------------------------------------------------------------

TEXT_LIMIT = {"header": 150, "section": 3000, "context": 3000}


def slack_payload(**kw) -> dict:
    ev = event(**kw)
    return build_payload(ev, decide(None, ev), T0)


def test_slack_message_structure_and_content() -> None:
    message = build_message(slack_payload())
    assert_block_kit(message)
    header, main, evidence, actions, context = message["blocks"]
    assert header["text"]["text"] == ":red_circle: HIGH · Troop build-up"
    # Arabic title: RLM starts the line, the title inside the link is isolated.
    assert main["text"]["text"] == (f"{RLM}*<https://news.example/a1|{RLI}الكرملين يحشد أكثر من 120 ألف جندي{PDI}>*")
    fields = [f["text"] for f in main["fields"]]
    assert "*Severity*\nhigh" in fields and "*Story sources*\n1" in fields and "*Rule*\n`troops`" in fields
    assert "*Source*\nsahil-news" in fields
    lines = evidence["text"]["text"].split("\n")
    assert lines[0] == "*Evidence*"
    assert lines[1] == f"{RLM}• *{RLI}أكثر من 120 ألف جندي{PDI}*  _quantity 120,000 troops_"
    assert lines[2] == f"{RLM}• *{RLI}الكرملين{PDI}*  _terms_"
    assert actions["elements"][0]["url"] == "https://news.example/a1"
    assert "Marsad alert" in context["elements"][0]["text"]


def test_slack_english_title_is_not_marked_rtl_and_mrkdwn_is_escaped() -> None:
    message = build_message(slack_payload(title="Tanks <near> border & more"))
    assert_block_kit(message)
    assert message["blocks"][1]["text"]["text"] == "*<https://news.example/a1|Tanks &lt;near&gt; border &amp; more>*"


def test_slack_respects_limits_with_huge_input() -> None:
    ev = event(title="ع" * 5000)
    ev = ev.model_copy(
        update={
            "rule": RuleRef(id="troops", title="T" * 400, severity="critical"),
            "evidence": [Evidence(leaf="terms", text="غزو " * 100, start=i, end=i + 3) for i in range(200)],
        }
    )
    message = build_message(build_payload(ev, decide(None, ev), T0))
    assert_block_kit(message)
    evidence = message["blocks"][2]["text"]["text"]
    assert evidence.endswith("more") and len(evidence) <= 3000


def test_slack_strips_bidi_controls_from_feed_text() -> None:
    assert clean("abc\u202edef\u2066x\u2069 \n y") == "abcdefx y"
    assert isolate("abc") == "abc" and isolate("بوتين") == f"{RLI}بوتين{PDI}"


def test_slack_escalation_header() -> None:
    ev = event(escalate=[2])
    g = decide(None, ev).group
    ev2 = event(article="a2", at=T0 + 1, sources=2, escalate=[2])
    d = decide(g, ev2)
    message = build_message(build_payload(ev2, d, T0))
    assert message["blocks"][0]["text"]["text"] == ":red_circle: HIGH · escalation 1 · Troop build-up"
    assert "*Matches in this story*\n2" in [f["text"] for f in message["blocks"][1]["fields"]]


# --- SSRF -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address,kind",
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.5", "private"),
        ("172.16.9.9", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "private"),
        ("0.0.0.0", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("fc00::1", "private"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_class(address, kind) -> None:
    assert address_class(ipaddress.ip_address(address)) == kind


def test_check_url_policy() -> None:
    public = lambda host, port: ["93.184.216.34"]  # noqa: E731
    inside = lambda host, port: ["10.0.0.8", "93.184.216.34"]  # noqa: E731
    check_url("https://hooks.example.com/x", TargetPolicy(), resolver=public)
    with pytest.raises(UnsafeTarget, match="10.0.0.8 is private"):
        check_url("https://hooks.example.com/x", TargetPolicy(), resolver=inside)
    with pytest.raises(UnsafeTarget, match="loopback; allow it with `allow_networks: \\[loopback\\]`"):
        check_url("http://127.0.0.1:9000/a", TargetPolicy())
    check_url("http://127.0.0.1:9000/a", TargetPolicy.parse(["loopback"]))
    with pytest.raises(UnsafeTarget, match="link-local"):
        check_url("http://169.254.169.254/latest/meta-data", TargetPolicy.parse(["loopback", "private"]))
    check_url("http://10.20.1.1/a", TargetPolicy.parse(["10.20.0.0/16"]))
    with pytest.raises(UnsafeTarget, match="private"):
        check_url("http://10.21.1.1/a", TargetPolicy.parse(["10.20.0.0/16"]))
    with pytest.raises(UnsafeTarget, match="scheme 'file'"):
        check_url("file:///etc/passwd", TargetPolicy())
    with pytest.raises(UnsafeTarget, match="credentials"):
        check_url("https://user:pw@hooks.example.com/", TargetPolicy(), resolver=public)
    with pytest.raises(ValueError, match="neither"):
        TargetPolicy.parse(["intranet"])


# --- channels.yaml ----------------------------------------------------------------------

GOOD = """
defaults:
  timeout: 3s
  retry: {max_attempts: 4, initial: 200ms, max: 2s}
channels:
  - id: ops-webhook
    type: webhook
    url: http://127.0.0.1:${PORT:-18090}/alerts
    secret_env: HOOK_SECRET
    rate_per_second: 20
    default: true
    allow_networks: [loopback]
  - id: ops-slack
    type: slack
    url_env: SLACK_URL
    retry: {max_attempts: 2}
"""


def test_channels_parse(tmp_path: Path) -> None:
    env = {"HOOK_SECRET": "abc", "SLACK_URL": "https://hooks.slack.example/T/B/x"}
    cs = parse_channels(GOOD, "c.yaml", env, tmp_path)
    hook, slack = cs.channels["ops-webhook"], cs.channels["ops-slack"]
    assert hook.url.reveal() == "http://127.0.0.1:18090/alerts" and hook.secret.reveal() == "abc"
    assert (hook.timeout_s, hook.rate_per_second, hook.default, hook.concurrency) == (3.0, 20.0, True, 4)
    assert hook.retry == RetryPolicy(max_attempts=4, max_age_s=6 * 3600.0, initial_s=0.2, max_backoff_s=2.0)
    assert (slack.rate_per_second, slack.concurrency, slack.secret, slack.default) == (1.0, 1, None, False)
    assert slack.retry.max_attempts == 2 and slack.retry.initial_s == 0.2
    assert cs.targets([]) == (["ops-webhook"], [])
    assert cs.targets(["ops-slack", "nope", "ops-slack"]) == (["ops-slack"], ["nope"])
    port = parse_channels(GOOD, "c.yaml", {**env, "PORT": "19999"}, tmp_path)
    assert port.channels["ops-webhook"].url.reveal() == "http://127.0.0.1:19999/alerts"


def test_secrets_never_print(tmp_path: Path) -> None:
    env = {"HOOK_SECRET": "topsecret-value", "SLACK_URL": "https://hooks.slack.example/T/B/secretpath"}
    cs = parse_channels(GOOD, "c.yaml", env, tmp_path)
    shown = repr(cs) + str(cs.channels["ops-slack"]) + f"{cs.channels['ops-webhook'].secret}"
    assert "topsecret-value" not in shown and "secretpath" not in shown
    assert Secret("a") == Secret("a") and repr(Secret("a")) == "Secret('***')"


def test_secret_file(tmp_path: Path) -> None:
    (tmp_path / "hook.secret").write_text("from-file\n")
    text = """channels:
  - {id: h, type: webhook, url: "http://127.0.0.1:1/x", secret_file: hook.secret, allow_networks: [loopback]}
"""
    cs = parse_channels(text, str(tmp_path / "c.yaml"), {}, tmp_path)
    assert cs.channels["h"].secret.reveal() == "from-file"


@pytest.mark.parametrize(
    "text,message,line",
    [
        (
            "channels:\n  - {id: h, type: webhook, url: 'http://127.0.0.1/x', secret_env: S}\n",
            "target refused: address 127.0.0.1 is loopback",
            2,
        ),
        (
            "channels:\n  - id: h\n    type: webhook\n    url: https://h.example/x\n",
            "needs secret_env or secret_file",
            2,
        ),
        ("channels:\n  - id: h\n    type: sms\n    url: https://h.example/x\n", "type must be webhook or slack", 3),
        ("channels:\n  - id: H!\n    type: slack\n    url: https://h.example/x\n", "must match", 2),
        (
            "channels:\n  - id: h\n    type: slack\n    url: https://h.example/x\n    timout: 5s\n",
            "unknown key 'timout'",
            5,
        ),
        ("channels:\n  - id: h\n    type: slack\n    url: https://h.example/x\n    timeout: soon\n", "timeout:", 5),
        ("channels:\n  - id: h\n    type: slack\n    url: http://h.example:${NOPE}/x\n", "NOPE is not set", 4),
        ("channels:\n  - id: h\n    type: slack\n    url_env: MISSING\n", "MISSING (url_env) is not set", 4),
        (
            "channels:\n  - id: h\n    type: webhook\n    url: https://h.example/x\n    secret_env: NOSECRET\n",
            "NOSECRET (secret_env) is not set",
            5,
        ),
        (
            "channels:\n  - {id: h, type: slack, url: 'https://h.example/x'}\n  - {id: h, type: slack, url: 'https://h.example/y'}\n",
            "duplicate channel id 'h'",
            3,
        ),
        (
            "channels:\n  - {id: h, type: slack, url: 'https://h.example/x', retry: {max_attempts: 0}}\n",
            "max_attempts: must be at least 1",
            2,
        ),
        (
            "channels:\n  - {id: h, type: slack, url: 'https://h.example/x', allow_networks: [intranet]}\n",
            "allow_networks",
            2,
        ),
        ("channels: [\n", "invalid YAML", None),
        ("feeds: []\n", "expected a mapping with a `channels:` list", 1),
    ],
)
def test_channels_errors_name_file_line_and_reason(text, message, line, tmp_path: Path) -> None:
    env = {"S": "x"}
    with pytest.raises(ConfigError) as info:
        parse_channels(text, "bad.yaml", env, tmp_path)
    assert message in str(info.value)
    assert info.value.path == "bad.yaml"
    if line is not None:
        assert info.value.line == line, str(info.value)
    assert str(info.value).startswith("bad.yaml")


def test_demo_channels_file_loads() -> None:
    from alerts.channels import load_channels
    from kernel.settings import DEMO_DIR

    cs = load_channels(
        DEMO_DIR / "channels.yaml", env={"MARSAD_WEBHOOK_SECRET": "s", "MARSAD_DEMO_RECEIVER_PORT": "18111"}
    )
    (channel,) = cs.channels.values()
    assert channel.type == "webhook" and channel.default
    assert channel.url.reveal() == "http://127.0.0.1:18111/alerts"


def test_expand_env() -> None:
    assert expand_env("a${X}b${Y:-d}", {"X": "1"}) == "a1bd"
    assert expand_env("${Y:-}", {}) == ""


# --- retry policy, rate limiter, offsets ------------------------------------------------


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    policy = RetryPolicy(initial_s=1, max_backoff_s=8, multiplier=2)
    rng = random.Random(7)
    for attempt, step in [(1, 1), (2, 2), (3, 4), (4, 8), (5, 8), (9, 8)]:
        delays = [policy.backoff(attempt, rng) for _ in range(200)]
        assert step / 2 <= min(delays) and max(delays) <= step
        assert max(delays) - min(delays) > step / 4  # jitter really spreads them
    assert RetryPolicy(max_attempts=4, initial_s=1, max_backoff_s=3).schedule() == [(0.5, 1), (1, 2), (1.5, 3)]


def test_rate_limiter_spaces_sends() -> None:
    clock = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        clock[0] += s

    limiter = RateLimiter(1.0, clock=lambda: clock[0], sleep=sleep)
    for _ in range(4):
        limiter.acquire()
    assert slept == [1.0, 1.0, 1.0]
    clock[0] += 10  # idle time refills only up to the burst size (1)
    limiter.acquire()
    limiter.acquire()
    assert slept[-1] == 1.0 and len(slept) == 4


def test_offset_tracker_commits_only_up_to_first_unfinished() -> None:
    tracker = OffsetTracker()
    tp = TopicPartition("t", 0)
    for offset in (5, 6, 7, 8):
        tracker.add(tp, offset)
    tracker.done(tp, 6)
    tracker.done(tp, 8)
    assert tracker.committable() == {}
    tracker.done(tp, 5)
    assert tracker.committable() == {tp: 7}
    assert tracker.in_flight() == 2
    tracker.done(tp, 7)
    assert tracker.committable() == {tp: 9}
    assert tracker.committable() == {}
