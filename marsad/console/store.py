"""Versioned rules and entities, and the audit log, in Redis.

Every change appends a version (author, time, unified diff against the previous version);
nothing is ever overwritten, so any version can be restored — and restoring one is itself
a new version. Keys, under the namespace's prefix:

    <prefix>console:rules:ids               set   ids of rules that exist (not deleted)
    <prefix>console:rules:<id>:versions     list  Version JSON, element i is version i+1
    <prefix>console:entities:versions       list  Version JSON
    <prefix>console:audit                   list  AuditEntry JSON, oldest first
    <prefix>console:initialized             flag  set once the store was seeded from files
    <prefix>console:write-lock              lock  serializes validate → save → publish

Validation is not done here: the API compiles the whole candidate rule set with the rule
engine before it calls ``save_*``.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import orjson
import redis
from redis.lock import Lock

from marsad.console.errors import UnknownVersion, VersionConflict
from marsad.console.timefmt import iso_time

Action = Literal["create", "update", "delete", "rollback"]


def unified_diff(target: str, old_text: str, new_text: str, old_version: int, new_version: int) -> str:
    return "".join(
        difflib.unified_diff(
            old_text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=f"{target}@v{old_version}" if old_version else "/dev/null",
            tofile=f"{target}@v{new_version}",
        )
    )


@dataclass(frozen=True)
class Version:
    version: int
    author: str
    time: str
    action: Action
    text: str  # YAML as the author wrote it; "" for a deletion
    diff: str
    rolled_back_to: int | None = None

    @property
    def deleted(self) -> bool:
        return self.action == "delete" or (self.action == "rollback" and not self.text)

    def to_json(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: bytes | str) -> Version:
        return cls(**orjson.loads(raw))


@dataclass(frozen=True)
class AuditEntry:
    time: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any] = field(default_factory=dict)


class ConsoleStore:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.base = f"{prefix}console:"
        self.rule_ids_key = self.base + "rules:ids"
        self.entities_key = self.base + "entities:versions"
        self.audit_key = self.base + "audit"
        self.initialized_key = self.base + "initialized"

    def _rule_key(self, rule_id: str) -> str:
        return f"{self.base}rules:{rule_id}:versions"

    # --- locking and seeding ---------------------------------------------------------
    def write_lock(self, timeout_s: float = 60.0, wait_s: float = 20.0) -> Lock:
        """Held while a change is validated, saved and published, so that two editors
        never publish sets that each miss the other's change."""
        return self.client.lock(self.base + "write-lock", timeout=timeout_s, blocking_timeout=wait_s)

    def claim_initialization(self) -> bool:
        """True exactly once per namespace: the caller then seeds the store."""
        return bool(self.client.set(self.initialized_key, iso_time(time.time()), nx=True))

    # --- rules -----------------------------------------------------------------------
    def rule_ids(self) -> list[str]:
        return sorted(v.decode() if isinstance(v, bytes) else v for v in self.client.smembers(self.rule_ids_key))

    def rule_history(self, rule_id: str) -> list[Version]:
        return [Version.from_json(v) for v in self.client.lrange(self._rule_key(rule_id), 0, -1)]

    def rule_latest(self, rule_id: str) -> Version | None:
        """The last version, a deletion included."""
        raw = self.client.lindex(self._rule_key(rule_id), -1)
        return Version.from_json(raw) if raw is not None else None

    def rule_current(self, rule_id: str) -> Version | None:
        """The version in force, or None when the rule does not exist or was deleted."""
        latest = self.rule_latest(rule_id)
        return None if latest is None or latest.deleted else latest

    def rule_version(self, rule_id: str, version: int) -> Version:
        if version < 1:
            raise UnknownVersion(f"rule {rule_id!r} has no version {version}")
        raw = self.client.lindex(self._rule_key(rule_id), version - 1)
        if raw is None:
            raise UnknownVersion(f"rule {rule_id!r} has no version {version}")
        return Version.from_json(raw)

    def current_rules(self) -> dict[str, Version]:
        """Every existing rule's version in force, by id."""
        current = {}
        for rule_id in self.rule_ids():
            version = self.rule_current(rule_id)
            if version is not None:
                current[rule_id] = version
        return current

    def save_rule(
        self,
        rule_id: str,
        text: str,
        author: str,
        *,
        base_version: int | None = None,
        rolled_back_to: int | None = None,
    ) -> tuple[Version, bool]:
        """Append a version holding ``text`` ("" deletes). Returns (version, changed):
        saving the text already in force changes nothing and adds no version."""
        key = self._rule_key(rule_id)

        def add(latest: Version | None, number: int) -> tuple[Version, bool]:
            old_text = "" if latest is None or latest.deleted else latest.text
            if text == old_text and latest is not None and rolled_back_to is None:
                return latest, False
            if rolled_back_to is not None:
                action: Action = "rollback"
            elif not text:
                action = "delete"
            else:
                action = "create" if not old_text else "update"
            return Version(
                version=number,
                author=author,
                time=iso_time(time.time()),
                action=action,
                text=text,
                diff=unified_diff(f"rules/{rule_id}.yaml", old_text, text, number - 1, number),
                rolled_back_to=rolled_back_to,
            ), True

        def index(pipe: redis.client.Pipeline, version: Version) -> None:
            if version.deleted:
                pipe.srem(self.rule_ids_key, rule_id)
            else:
                pipe.sadd(self.rule_ids_key, rule_id)

        return self._append(key, f"rule {rule_id!r}", base_version, add, index)

    # --- entities --------------------------------------------------------------------
    def entities_history(self) -> list[Version]:
        return [Version.from_json(v) for v in self.client.lrange(self.entities_key, 0, -1)]

    def entities_current(self) -> Version | None:
        raw = self.client.lindex(self.entities_key, -1)
        return Version.from_json(raw) if raw is not None else None

    def entities_version(self, version: int) -> Version:
        raw = self.client.lindex(self.entities_key, version - 1) if version >= 1 else None
        if raw is None:
            raise UnknownVersion(f"entities have no version {version}")
        return Version.from_json(raw)

    def save_entities(
        self, text: str, author: str, *, base_version: int | None = None, rolled_back_to: int | None = None
    ) -> tuple[Version, bool]:
        def add(latest: Version | None, number: int) -> tuple[Version, bool]:
            old_text = latest.text if latest is not None else ""
            if latest is not None and text == old_text and rolled_back_to is None:
                return latest, False
            return Version(
                version=number,
                author=author,
                time=iso_time(time.time()),
                action="rollback" if rolled_back_to is not None else ("update" if latest else "create"),
                text=text,
                diff=unified_diff("entities.yaml", old_text, text, number - 1, number),
                rolled_back_to=rolled_back_to,
            ), True

        return self._append(self.entities_key, "entities", base_version, add, lambda pipe, v: None)

    # --- shared append ---------------------------------------------------------------
    def _append(
        self,
        key: str,
        what: str,
        base_version: int | None,
        make: Callable[[Version | None, int], tuple[Version, bool]],
        index: Callable[[redis.client.Pipeline, Version], None],
    ) -> tuple[Version, bool]:
        """Append atomically: WATCH makes a concurrent append restart this one, so that
        version numbers are dense and ``base_version`` checks are exact."""
        with self.client.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(key)
                    count = pipe.llen(key)
                    raw = pipe.lindex(key, -1) if count else None
                    latest = Version.from_json(raw) if raw is not None else None
                    if base_version is not None and base_version != count:
                        raise VersionConflict(what, base_version, count)
                    version, changed = make(latest, count + 1)
                    if not changed:
                        pipe.unwatch()
                        return version, False
                    pipe.multi()
                    pipe.rpush(key, version.to_json())
                    index(pipe, version)
                    pipe.execute()
                    return version, True
                except redis.WatchError:
                    continue

    # --- audit -----------------------------------------------------------------------
    def audit(self, actor: str, action: str, target: str, **detail: Any) -> AuditEntry:
        entry = AuditEntry(time=iso_time(time.time()), actor=actor, action=action, target=target, detail=detail)
        self.client.rpush(self.audit_key, orjson.dumps(asdict(entry)))
        return entry

    def audit_log(self, limit: int = 100, offset: int = 0) -> tuple[list[AuditEntry], int]:
        """Newest first, and the total number of entries."""
        total = self.client.llen(self.audit_key)
        end = total - 1 - offset
        start = max(0, end - limit + 1)
        if end < 0 or limit <= 0:
            return [], total
        raw = self.client.lrange(self.audit_key, start, end)
        return [AuditEntry(**orjson.loads(v)) for v in reversed(raw)], total
