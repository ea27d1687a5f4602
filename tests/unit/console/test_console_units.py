"""The console's pieces that need no stack: the silence rules it applies, how it reads YAML
sent by the page, and the HTTP answer to each of its errors."""

from __future__ import annotations

import re

import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient

from alerts.silences import MATCH_FIELDS, check_matchers, silence_seconds
from kernel.errors import ConfigError, MarsadError, PublishError, StackUnavailable
from marsad.console import engine
from marsad.console.errors import (
    ErrorInfo,
    NotFound,
    RuleTextError,
    UnknownVersion,
    VersionConflict,
    add_error_handlers,
    error_infos,
)

BROKEN_INDENT = "id: drones\ntitle: Drones\nwhen:\n  terms: [مسيرات]\n   bad: indent\n"


# --- silence rules (owned by alerts.silences) ------------------------------------------
@pytest.mark.parametrize(("text", "seconds"), [("30m", 1800), ("2h", 7200), ("90d", 90 * 86400)])
def test_silence_seconds(text: str, seconds: float) -> None:
    assert silence_seconds(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "duration: expected a duration"),
        ("0s", "duration: must be more than 0 and at most 90d"),
        ("91d", "duration: must be more than 0 and at most 90d"),
    ],
)
def test_silence_seconds_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        silence_seconds(text)


def test_check_matchers() -> None:
    assert check_matchers({"feed": "sahil-*", "language": "ar"}) == {"feed": "sahil-*", "language": "ar"}
    with pytest.raises(ValueError) as refused:
        check_matchers({"feed": "x", "colour": "red"})
    assert str(refused.value) == f"matchers: unknown key 'colour' (one of: {', '.join(MATCH_FIELDS)})"


# --- YAML from the page: the limits and messages of configuration files ----------------
def test_rule_ids_in_reads_one_rule_or_a_list() -> None:
    assert engine.rule_ids_in("id: tanks\nwhen:\n  terms: [دبابات]\n", "rules/tanks.yaml") == ["tanks"]
    assert engine.rule_ids_in("- id: a\n- id: 7\n- title: no id\n", "draft.yaml") == ["a", "7"]
    assert engine.rule_ids_in("", "draft.yaml") == []


def test_yaml_syntax_error_names_the_console_file_and_line() -> None:
    with pytest.raises(ConfigError) as error:
        engine.rule_ids_in(BROKEN_INDENT, "rules/drones.yaml")
    assert (error.value.path, error.value.line) == ("rules/drones.yaml", 5)
    assert str(error.value).startswith("rules/drones.yaml:5: invalid YAML")


def test_yaml_from_the_page_has_the_value_budget_of_files() -> None:
    # Ten levels of ten aliases each: 10**10 values once expanded.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]")
    bomb = "id: bomb\n" + "\n".join(lines) + "\n"
    with pytest.raises(ConfigError) as error:
        engine.rule_ids_in(bomb, "draft.yaml")
    assert error.value.path == "draft.yaml" and error.value.line == 1
    # the budget is MIN_YAML_VALUES plus a multiple of the ~120 distinct nodes: far below 10**10
    assert re.search(r"more than (\d{2},\d{3}) values", str(error.value))
    # The rules list reads leniently: an unreadable text shows defaults, never an error.
    assert engine.rule_fields(bomb, "bomb") == engine.RuleFields(title="", severity="medium", enabled=True)


def test_rule_fields() -> None:
    text = "id: tanks\ntitle: دبابات\nseverity: high\nenabled: false\nwhen:\n  terms: [دبابات]\n"
    assert engine.rule_fields(text, "tanks") == engine.RuleFields(title="دبابات", severity="high", enabled=False)
    assert engine.rule_fields(BROKEN_INDENT, "drones").severity == "medium"


def test_error_infos_use_the_console_names_of_files() -> None:
    class Issue:
        def __init__(self, reason: str, path: str | None, line: int | None) -> None:
            self.reason, self.path, self.line = reason, path, line

    error = ConfigError("two problems")
    error.issues = [  # type: ignore[attr-defined]
        Issue("duplicate id 'a'; first defined at /tmp/layout/rules/b.yaml:1", "/tmp/layout/rules/a.yaml", 3),
        Issue("unknown entity", None, None),
    ]
    infos = error_infos(error, lambda path: path.removeprefix("/tmp/layout/"), "/tmp/layout")
    assert infos == [
        ErrorInfo(
            "rules/a.yaml",
            3,
            "duplicate id 'a'; first defined at rules/b.yaml:1",
            "rules/a.yaml:3: duplicate id 'a'; first defined at rules/b.yaml:1",
        ),
        ErrorInfo(None, None, "unknown entity", "unknown entity"),
    ]
    assert error_infos(RuleTextError(infos)) == infos


# --- errors → statuses ------------------------------------------------------------------
ERRORS: dict[str, Exception] = {
    "invalid": RuleTextError(
        [ErrorInfo("rules/a.yaml", 4, "unknown entity 'x'", "rules/a.yaml:4: unknown entity 'x'")]
    ),
    "conflict": VersionConflict("rule 'a'", 1, 2),
    "missing": NotFound("no rule 'a'"),
    "no-version": UnknownVersion("rule 'a' has no version 9"),
    "kafka": StackUnavailable("Kafka is not reachable"),
    "publish": PublishError("saved, but not published to t.rules: timeout"),
    "redis": redis.ConnectionError("refused"),
    "input": MarsadError("give either text or article_id"),
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    add_error_handlers(app)

    @app.get("/raise/{name}")
    def raise_it(name: str) -> None:
        raise ERRORS[name]

    return TestClient(app)


@pytest.mark.parametrize(
    ("name", "status", "body"),
    [
        (
            "invalid",
            422,
            {
                "detail": "rules/a.yaml:4: unknown entity 'x'",
                "errors": [
                    {
                        "path": "rules/a.yaml",
                        "line": 4,
                        "reason": "unknown entity 'x'",
                        "message": "rules/a.yaml:4: unknown entity 'x'",
                    }
                ],
            },
        ),
        ("conflict", 409, {"detail": str(ERRORS["conflict"]), "current_version": 2}),
        ("missing", 404, {"detail": "no rule 'a'"}),
        ("no-version", 404, {"detail": "rule 'a' has no version 9"}),
        ("kafka", 503, {"detail": "Kafka is not reachable"}),
        ("publish", 503, {"detail": "saved, but not published to t.rules: timeout"}),
        ("redis", 503, {"detail": "Redis unavailable: refused"}),
        ("input", 400, {"detail": "give either text or article_id"}),
    ],
)
def test_each_error_has_its_status(client: TestClient, name: str, status: int, body: dict) -> None:
    response = client.get(f"/raise/{name}")
    assert (response.status_code, response.json()) == (status, body)
