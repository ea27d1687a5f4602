"""What the console does, independent of HTTP: every change is validated as a whole rule
set by the rule engine, saved as a new version, audited and published to the rules topic;
silences are created and ended under the alerts stage's rules, and audited too.

The HTTP layer (``routes/``) only maps requests to these methods; ``errors.py`` maps errors
to statuses.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import redis

from alerts.silences import Silence, SilenceStore, check_matchers, silence_seconds
from kernel.errors import ConfigError, MarsadError, PublishError
from kernel.settings import Settings
from marsad.console import engine
from marsad.console.errors import NotFound
from marsad.console.store import ConsoleStore, Version
from marsad.console.timefmt import iso_time

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishInfo:
    ruleset_version: str
    rules: int


@dataclass(frozen=True)
class ChangeResult:
    version: Version
    changed: bool
    published: PublishInfo | None


def rule_source(rule_id: str) -> str:
    """The file name used in error messages for a rule edited in the console."""
    return f"rules/{rule_id}.yaml"


class Console:
    def __init__(self, settings: Settings, client: redis.Redis) -> None:
        self.settings = settings
        self.client = client
        self.store = ConsoleStore(client, settings.redis_prefix)
        # No cache: an operator sees a silence they just ended as ended.
        self.silences = SilenceStore(client, settings.redis_prefix, cache_s=0)
        self.last_fired_key = f"{settings.redis_prefix}console:rules:last-fired"
        # Where the last-fire follower stopped in the alerts topic, per partition.
        self.alert_offsets_key = f"{settings.redis_prefix}console:alerts:offsets"

    # --- reading ---------------------------------------------------------------------
    def entities_text(self) -> str:
        current = self.store.entities_current()
        return current.text if current else ""

    def rule_texts(self) -> dict[str, str]:
        return {rule_id: v.text for rule_id, v in self.store.current_rules().items()}

    def rule(self, rule_id: str) -> Version:
        version = self.store.rule_current(rule_id)
        if version is None:
            raise NotFound(f"no rule {rule_id!r}")
        return version

    def rule_history(self, rule_id: str) -> list[Version]:
        """Every version of a rule, oldest first, its deletions included."""
        versions = self.store.rule_history(rule_id)
        if not versions:
            raise NotFound(f"no rule {rule_id!r}")
        return versions

    def last_fired(self) -> dict[str, float]:
        return {
            k.decode() if isinstance(k, bytes) else k: float(v)
            for k, v in self.client.hgetall(self.last_fired_key).items()
        }

    def record_fired(self, fired: dict[str, float]) -> None:
        """Keep the latest time per rule; alerts may be read out of order across partitions."""
        if not fired:
            return
        keys = list(fired)
        self.client.eval(
            "for i, rule in ipairs(ARGV) do if i % 2 == 1 then "
            "local t = tonumber(ARGV[i + 1]); local old = tonumber(redis.call('HGET', KEYS[1], rule) or '0'); "
            "if t > old then redis.call('HSET', KEYS[1], rule, ARGV[i + 1]) end end end return 1",
            1,
            self.last_fired_key,
            *[item for k in keys for item in (k, repr(fired[k]))],
        )

    def alert_offsets(self) -> dict[int, int]:
        return {int(k): int(v) for k, v in self.client.hgetall(self.alert_offsets_key).items()}

    def save_alert_offsets(self, positions: dict[int, int]) -> None:
        self.client.hset(self.alert_offsets_key, mapping={str(p): o for p, o in positions.items()})

    def compiled(self) -> engine.CompiledRuleSet:
        return engine.compile_rules(self.rule_texts(), self.entities_text())

    # --- validation ------------------------------------------------------------------
    def validate(self, text: str, rule_id: str | None = None) -> engine.ValidationReport:
        """Check a draft the way saving would: alone, and within the current set."""
        source = rule_source(rule_id) if rule_id else "draft.yaml"
        report = engine.validate_text(text, source, self.entities_text())
        if report.errors or not rule_id:
            return report
        candidate = self.rule_texts()
        candidate[rule_id] = text
        try:
            engine.compile_rules(candidate, self.entities_text())
        except ConfigError as exc:
            return engine.ValidationReport(errors=engine.error_infos(exc), rule_ids=report.rule_ids)
        return report

    # --- changes ---------------------------------------------------------------------
    def put_rule(
        self, rule_id: str, text: str, author: str, base_version: int | None = None, rolled_back_to: int | None = None
    ) -> ChangeResult:
        with self.store.write_lock():
            try:
                ids = engine.rule_ids_in(text, rule_source(rule_id))
            except ConfigError:
                ids = None  # a syntax error: the engine reports it below, in its own words
            if ids is not None and ids != [rule_id]:
                raise ConfigError(
                    f"the text must hold exactly one rule, with id {rule_id!r} (found: {', '.join(ids) or 'none'})",
                    path=rule_source(rule_id),
                    line=1,
                )
            candidate = self.rule_texts()
            candidate[rule_id] = text
            compiled = engine.compile_rules(candidate, self.entities_text())
            version, changed = self.store.save_rule(
                rule_id, text, author, base_version=base_version, rolled_back_to=rolled_back_to
            )
            if changed:
                self.store.audit(
                    author,
                    "rollback" if rolled_back_to else f"rule.{version.action}",
                    f"rule:{rule_id}",
                    version=version.version,
                    rolled_back_to=rolled_back_to,
                )
            return ChangeResult(version, changed, self._publish(compiled, author) if changed else None)

    def delete_rule(self, rule_id: str, author: str, base_version: int | None = None) -> ChangeResult:
        with self.store.write_lock():
            self.rule(rule_id)
            candidate = self.rule_texts()
            del candidate[rule_id]
            compiled = engine.compile_rules(candidate, self.entities_text())
            version, _ = self.store.save_rule(rule_id, "", author, base_version=base_version)
            self.store.audit(author, "rule.delete", f"rule:{rule_id}", version=version.version)
            return ChangeResult(version, True, self._publish(compiled, author))

    def rollback_rule(self, rule_id: str, version: int, author: str) -> ChangeResult:
        target = self.store.rule_version(rule_id, version)
        if target.deleted:
            with self.store.write_lock():
                if self.store.rule_current(rule_id) is None:
                    raise MarsadError(f"rule {rule_id!r} is already deleted")
                candidate = self.rule_texts()
                del candidate[rule_id]
                compiled = engine.compile_rules(candidate, self.entities_text())
                saved, _ = self.store.save_rule(rule_id, "", author, rolled_back_to=version)
                self.store.audit(author, "rollback", f"rule:{rule_id}", version=saved.version, rolled_back_to=version)
                return ChangeResult(saved, True, self._publish(compiled, author))
        return self.put_rule(rule_id, target.text, author, rolled_back_to=version)

    def put_entities(
        self, text: str, author: str, base_version: int | None = None, rolled_back_to: int | None = None
    ) -> ChangeResult:
        with self.store.write_lock():
            compiled = engine.compile_rules(self.rule_texts(), text)
            version, changed = self.store.save_entities(
                text, author, base_version=base_version, rolled_back_to=rolled_back_to
            )
            if changed:
                self.store.audit(
                    author,
                    "rollback" if rolled_back_to else f"entities.{version.action}",
                    "entities",
                    version=version.version,
                    rolled_back_to=rolled_back_to,
                )
            return ChangeResult(version, changed, self._publish(compiled, author) if changed else None)

    def rollback_entities(self, version: int, author: str) -> ChangeResult:
        target = self.store.entities_version(version)
        return self.put_entities(target.text, author, rolled_back_to=version)

    def publish_current(self, author: str) -> PublishInfo:
        with self.store.write_lock():
            info = self._publish(self.compiled(), author)
            self.store.audit(author, "ruleset.publish", "ruleset", ruleset_version=info.ruleset_version)
            return info

    def _publish(self, compiled: engine.CompiledRuleSet, author: str) -> PublishInfo:
        try:
            version = engine.publish(self.settings, compiled, author)
        except MarsadError as exc:
            # The change is saved; the next change (or a publish) sends the set again.
            raise PublishError(f"saved, but not published to {self.settings.topic_rules}: {exc}") from exc
        return PublishInfo(ruleset_version=version, rules=len(self.rule_texts()))

    # --- silences --------------------------------------------------------------------
    def create_silence(
        self, rule: str, duration: str, reason: str, matchers: Mapping[str, str], author: str
    ) -> Silence:
        try:
            seconds = silence_seconds(duration)
            checked = check_matchers(matchers)
        except ValueError as exc:
            raise MarsadError(str(exc)) from None
        silence = self.silences.add(rule, seconds, reason, checked, created_by=author)
        self.store.audit(
            author,
            "silence.create",
            f"silence:{silence.id}",
            rule=silence.rule,
            ends_at=iso_time(silence.ends_at),
            reason=silence.reason,
        )
        return silence

    def expire_silence(self, silence_id: str, author: str) -> Silence:
        ended = self.silences.expire(silence_id)
        if ended is None:
            raise NotFound(f"no silence {silence_id!r}")
        self.store.audit(author, "silence.expire", f"silence:{silence_id}", rule=ended.rule)
        return ended

    # --- first start -----------------------------------------------------------------
    def seed_if_empty(self) -> str | None:
        """On the very first start of a namespace, import the rule set in force: the latest
        set on the rules topic, else the configured files. Returns where it came from."""
        if not self.store.claim_initialization():
            return None
        try:
            rules, entities_text, origin = engine.current_ruleset_sources(self.settings)
        except MarsadError as exc:
            log.error("console starts empty: %s", exc)
            self.store.audit("console", "seed.failed", "ruleset", reason=str(exc))
            return None
        for rule_id, text in sorted(rules.items()):
            self.store.save_rule(rule_id, text, "seed")
        if entities_text:
            self.store.save_entities(entities_text, "seed")
        self.store.audit("console", "seed", "ruleset", origin=origin, rules=len(rules))
        return origin
