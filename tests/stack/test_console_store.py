"""Console tokens, versioned rules/entities and the audit log, against the real Redis."""

from __future__ import annotations

import hashlib
import threading

import pytest
import redis

from kernel.errors import MarsadError
from marsad.console.auth import LAST_USED_RESOLUTION_S, Principal, Role, TokenStore, Unauthenticated, hash_token
from marsad.console.errors import UnknownVersion, VersionConflict
from marsad.console.store import ConsoleStore, unified_diff
from tests.support.stack import fresh_namespace


def test_unified_diff_names_versions_and_lines() -> None:
    diff = unified_diff("rules/tanks.yaml", "id: tanks\ntitle: A\n", "id: tanks\ntitle: B\n", 1, 2)
    assert diff == (
        "--- rules/tanks.yaml@v1\n+++ rules/tanks.yaml@v2\n@@ -1,2 +1,2 @@\n id: tanks\n-title: A\n+title: B\n"
    )
    created = unified_diff("rules/x.yaml", "", "id: x\n", 0, 1)
    assert created.splitlines()[:2] == ["--- /dev/null", "+++ rules/x.yaml@v1"]


def test_role_order_and_parse() -> None:
    assert Role.viewer < Role.editor < Role.admin
    assert Role.parse("editor") is Role.editor
    with pytest.raises(MarsadError, match="unknown role 'root': expected one of viewer, editor, admin"):
        Role.parse("root")


@pytest.fixture
def client(stack) -> redis.Redis:
    settings = fresh_namespace(stack)
    c = redis.Redis.from_url(settings.redis_url)
    c.settings = settings  # type: ignore[attr-defined]
    yield c
    c.close()


@pytest.mark.stack
def test_tokens_are_stored_hashed_and_revocable(client) -> None:
    prefix = client.settings.redis_prefix
    tokens = TokenStore(client, prefix)
    token = tokens.create("alice", Role.editor)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    # Only the SHA-256 is stored, nowhere the token itself.
    dump = b"".join(v for v in client.hgetall(f"{prefix}console:tokens").values())
    assert token.encode() not in dump
    assert hashlib.sha256(token.encode()).hexdigest() == hash_token(token)
    assert hash_token(token).encode() in dump
    assert tokens.authenticate(token) == Principal("alice", Role.editor)
    assert tokens.authenticate(token + "x") is None
    assert tokens.authenticate("") is None
    with pytest.raises(MarsadError, match="a token named 'alice' exists already"):
        tokens.create("alice", Role.admin)
    with pytest.raises(MarsadError, match="invalid token name"):
        tokens.create("bad name", Role.viewer)
    tokens.create("bob", Role.viewer)
    assert [(r.name, r.role) for r in tokens.list()] == [("alice", "editor"), ("bob", "viewer")]
    assert tokens.revoke("alice") is True
    assert tokens.revoke("alice") is False
    assert tokens.authenticate(token) is None
    assert [r.name for r in tokens.list()] == ["bob"]


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.stack
def test_tokens_expire(client) -> None:
    clock = Clock(1_800_000_000.0)
    tokens = TokenStore(client, client.settings.redis_prefix, clock=clock)
    token = tokens.create("temp", Role.viewer, expires_in_s=30 * 86400)
    forever = tokens.create("forever", Role.viewer)
    (record,) = [r for r in tokens.list() if r.name == "temp"]
    assert record.expires_at == clock.now + 30 * 86400
    clock.now += 30 * 86400 - 1
    assert tokens.authenticate(token) == Principal("temp", Role.viewer)
    clock.now += 1
    assert tokens.authenticate(token) is None
    with pytest.raises(Unauthenticated, match="token expired"):
        tokens.check(token)
    assert tokens.authenticate(forever) == Principal("forever", Role.viewer)
    for lifetime in (0, -5, 3651 * 86400):
        with pytest.raises(MarsadError, match="a token expires after more than 0 s"):
            tokens.create(f"bad{abs(lifetime)}", Role.viewer, expires_in_s=lifetime)


@pytest.mark.stack
def test_last_use_is_written_at_most_once_a_minute(client) -> None:
    clock = Clock(1_800_000_000.0)
    tokens = TokenStore(client, client.settings.redis_prefix, clock=clock)
    token = tokens.create("busy", Role.editor)
    assert tokens.last_used() == {}
    writes: list[str] = []
    original_eval = client.eval

    def counting_eval(*args, **kwargs):
        writes.append(args[0])
        return original_eval(*args, **kwargs)

    client.eval = counting_eval  # type: ignore[method-assign]
    try:
        first = clock.now
        for _ in range(100):
            tokens.authenticate(token)
            clock.now += 0.5  # 100 requests over 50 s
        assert len(writes) == 1 and tokens.last_used() == {"busy": first}
        clock.now = first + LAST_USED_RESOLUTION_S
        tokens.authenticate(token)
        assert len(writes) == 2 and tokens.last_used() == {"busy": first + LAST_USED_RESOLUTION_S}
    finally:
        del client.eval
    # Revoked: its time goes too, and a new token of that name starts unused.
    assert tokens.revoke("busy")
    assert tokens.last_used() == {}
    clock.now += LAST_USED_RESOLUTION_S
    assert tokens.authenticate(token) is None and tokens.last_used() == {}
    tokens.create("busy", Role.viewer)
    assert tokens.last_used() == {}


@pytest.mark.stack
def test_rule_versions_diffs_rollback_and_conflicts(client) -> None:
    store = ConsoleStore(client, client.settings.redis_prefix)
    v1, changed = store.save_rule("tanks", "id: tanks\nwhen: {terms: [دبابات]}\n", "alice")
    assert (v1.version, v1.action, v1.author, changed) == (1, "create", "alice", True)
    same, changed = store.save_rule("tanks", "id: tanks\nwhen: {terms: [دبابات]}\n", "bob")
    assert (same.version, changed) == (1, False)
    v2, _ = store.save_rule("tanks", "id: tanks\nwhen: {terms: [دبابة]}\n", "bob", base_version=1)
    assert (v2.version, v2.action) == (2, "update")
    assert "-when: {terms: [دبابات]}\n+when: {terms: [دبابة]}\n" in v2.diff
    with pytest.raises(VersionConflict) as conflict:
        store.save_rule("tanks", "id: tanks\n", "carol", base_version=1)
    assert conflict.value.current == 2
    assert store.rule_ids() == ["tanks"]

    deleted, _ = store.save_rule("tanks", "", "bob")
    assert (deleted.version, deleted.action, deleted.deleted) == (3, "delete", True)
    assert store.rule_current("tanks") is None and store.rule_ids() == []

    restored, _ = store.save_rule("tanks", store.rule_version("tanks", 1).text, "alice", rolled_back_to=1)
    assert (restored.version, restored.action, restored.rolled_back_to) == (4, "rollback", 1)
    assert store.rule_current("tanks").text == "id: tanks\nwhen: {terms: [دبابات]}\n"
    assert [v.version for v in store.rule_history("tanks")] == [1, 2, 3, 4]
    with pytest.raises(UnknownVersion, match="rule 'tanks' has no version 9"):
        store.rule_version("tanks", 9)


@pytest.mark.stack
def test_concurrent_saves_get_dense_distinct_versions(client) -> None:
    store = ConsoleStore(client, client.settings.redis_prefix)
    errors: list[Exception] = []

    def save(n: int) -> None:
        try:
            store.save_rule("r", f"id: r\ntitle: t{n}\n", f"u{n}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    history = store.rule_history("r")
    assert [v.version for v in history] == list(range(1, 9))
    assert sorted(v.author for v in history) == [f"u{n}" for n in range(8)]


@pytest.mark.stack
def test_entities_versions_and_audit_newest_first(client) -> None:
    store = ConsoleStore(client, client.settings.redis_prefix)
    e1, _ = store.save_entities("putin:\n  names: [بوتين]\n", "alice")
    e2, _ = store.save_entities("putin:\n  names: [بوتين, Putin]\n", "bob", base_version=1)
    assert (e1.version, e1.action, e2.version, e2.action) == (1, "create", 2, "update")
    assert store.entities_current().text.endswith("Putin]\n")
    assert store.entities_version(1).text == "putin:\n  names: [بوتين]\n"
    for n in range(5):
        store.audit("alice", "rule.update", f"rule:r{n}", version=n)
    entries, total = store.audit_log(limit=2)
    assert total == 5
    assert [e.target for e in entries] == ["rule:r4", "rule:r3"]
    entries, _ = store.audit_log(limit=10, offset=3)
    assert [e.target for e in entries] == ["rule:r1", "rule:r0"]
    assert entries[0].detail == {"version": 1}
    assert store.audit_log(limit=5, offset=5) == ([], 5)
    assert store.claim_initialization() is True
    assert store.claim_initialization() is False
