"""The alerting rules of deploy/prometheus/alerts.yml, checked and unit-tested by promtool
with the rule test files in deploy/prometheus/tests/: every rule fires when it should and
stays quiet in a normal case, the first dead letter / stage failure / feed error included.

promtool comes with Debian's `prometheus` package, which `make install` installs: these
tests fail (never skip) without it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from prometheus_client import REGISTRY, generate_latest
from ruamel.yaml import YAML

from alerts.channels import parse_channels
from alerts.dispatcher import Dispatcher
from kernel.metrics import sample_value
from kernel.settings import Settings
from tests.support import prometheus as observability
from tests.support.prometheus import ALERTS, PROM_DIR, promtool

RULE_TESTS_DIR = PROM_DIR / "tests"

# The first-event rules as they were before the fix: increase() alone, blind to a counter
# whose first sample is already 1.
INCREASE_ONLY = {
    "MarsadAlertsDeadLettered": "sum by (channel) (increase(marsad_alerts_dead_lettered_total[15m])) > 0",
    "MarsadStageFailures": "sum by (stage) (increase(marsad_stage_failed_total[15m])) > 0",
    "MarsadRuleSetRejected": "increase(marsad_ruleset_rejected_total[15m]) > 0",
    "MarsadFeedFailing": (
        "(time() - max by (feed) (marsad_feed_last_success_timestamp_seconds) > 3600)"
        " or (sum by (feed) (increase(marsad_feed_errors_total[1h])) > 0"
        " unless on (feed) max by (feed) (marsad_feed_last_success_timestamp_seconds))"
    ),
}


def load_yaml(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def rule_test_files() -> list[Path]:
    return sorted(RULE_TESTS_DIR.glob("*.yml"))


def alert_names() -> list[str]:
    return [rule["alert"] for group in load_yaml(ALERTS)["groups"] for rule in group["rules"]]


def test_promtool_accepts_alerting_rules() -> None:
    result = promtool("check", "rules", str(ALERTS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 10 rules found" in result.stdout
    assert {
        "MarsadProcessDown",
        "MarsadNothingIngested",
        "MarsadFeedFailing",
        "MarsadConsumerLagGrowing",
        "MarsadAlertDeliveryFailing",
        "MarsadAlertsDeadLettered",
    } <= set(alert_names())


def test_every_alerting_rule_has_a_firing_and_a_quiet_case() -> None:
    files = rule_test_files()
    assert files, f"no rule test files in {RULE_TESTS_DIR}"
    firing: set[str] = set()
    quiet: set[str] = set()
    for path in files:
        suite = load_yaml(path)
        assert suite["rule_files"] == ["../alerts.yml"], path.name
        for case in suite["tests"]:
            for check in case.get("alert_rule_test", []):
                (firing if check.get("exp_alerts") else quiet).add(check["alertname"])
    names = set(alert_names())
    assert names - firing == set(), "rules never tested firing"
    assert names - quiet == set(), "rules never tested staying quiet"
    assert (firing | quiet) - names == set(), "tests of rules that do not exist"


def test_promtool_rule_tests_pass() -> None:
    files = rule_test_files()
    result = promtool("test", "rules", *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("SUCCESS") == len(files), result.stdout


def test_rule_tests_catch_rules_blind_to_first_events(tmp_path: Path) -> None:
    """The same rule tests against increase()-only first-event rules: each of those rules
    misses a first event, so the tests can fail."""
    rules = load_yaml(ALERTS)
    for group in rules["groups"]:
        for rule in group["rules"]:
            rule["expr"] = INCREASE_ONLY.get(rule["alert"], rule["expr"])
    (tmp_path / "alerts.yml").write_text(json.dumps(rules), encoding="utf-8")
    shutil.copytree(RULE_TESTS_DIR, tmp_path / "tests")
    result = promtool("test", "rules", *map(str, sorted((tmp_path / "tests").glob("*.yml"))))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for name in INCREASE_ONLY:
        assert f"alertname: {name}," in output, f"no test catches the increase()-only {name}"


def test_a_missing_promtool_fails_the_test(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(observability, "PROMTOOL", str(tmp_path / "no-promtool"))
    with pytest.raises(pytest.fail.Exception, match="promtool is missing"):
        promtool("--version")


class StopBeforeKafka(Exception):
    pass


def test_dispatcher_exports_zero_dead_letters_per_channel_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process half of the first-event fix: the first dead letter is a 0 → 1 step."""
    channels = parse_channels(
        "channels:\n"
        "  - {id: declared-hook, type: webhook, url: 'http://127.0.0.1:9/hook', secret_env: HOOK_SECRET,"
        " allow_networks: [loopback]}\n",
        env={"HOOK_SECRET": "s" * 32},
    )
    dispatcher = Dispatcher(Settings(), channels)

    def connect() -> None:
        raise StopBeforeKafka

    monkeypatch.setattr(dispatcher, "connect", connect)
    with pytest.raises(StopBeforeKafka):
        dispatcher.run()
    exposition = generate_latest(REGISTRY).decode()
    for counter in ("marsad_alerts_dead_lettered_total", "marsad_alerts_failed_total"):
        assert sample_value(exposition, f'{counter}{{channel="declared-hook"}}') == 0.0, counter
