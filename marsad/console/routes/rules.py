"""Rules: list, read, validate, write, delete, history, rollback, publish the set."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from marsad.console.dependencies import CurrentConsole, Editor, Viewer
from marsad.console.schemas import (
    ChangeOut,
    ErrorInfoOut,
    HistoryOut,
    PublishOut,
    RuleId,
    RuleListOut,
    RuleOut,
    RuleWriteIn,
    ValidateIn,
    ValidateOut,
    VersionNumber,
    change_out,
    rule_summary,
    version_out,
)

router = APIRouter(tags=["rules"])


@router.get("/api/rules", response_model=RuleListOut)
def list_rules(user: Viewer, console: CurrentConsole) -> dict[str, Any]:
    last = console.last_fired()
    return {"rules": [rule_summary(i, v, last) for i, v in sorted(console.store.current_rules().items())]}


@router.post("/api/rules/validate", response_model=ValidateOut)
def validate_rules(body: ValidateIn, user: Viewer, console: CurrentConsole) -> ValidateOut:
    report = console.validate(body.yaml, body.rule_id)
    return ValidateOut(
        valid=not report.errors, errors=[ErrorInfoOut(**e.as_dict()) for e in report.errors], rules=report.rule_ids
    )


@router.get("/api/rules/{rule_id}", response_model=RuleOut)
def get_rule(rule_id: RuleId, user: Viewer, console: CurrentConsole) -> dict[str, Any]:
    version = console.rule(rule_id)
    return {**rule_summary(rule_id, version, console.last_fired()), "yaml": version.text}


@router.put(
    "/api/rules/{rule_id}",
    response_model=ChangeOut,
    responses={409: {"description": "edited an old version"}, 422: {"description": "invalid rule"}},
)
def put_rule(rule_id: RuleId, body: RuleWriteIn, user: Editor, console: CurrentConsole) -> ChangeOut:
    return change_out(console.put_rule(rule_id, body.yaml, user.name, body.base_version))


@router.delete("/api/rules/{rule_id}", response_model=ChangeOut)
def delete_rule(
    rule_id: RuleId,
    user: Editor,
    console: CurrentConsole,
    base_version: Annotated[int | None, Query(ge=0)] = None,
) -> ChangeOut:
    return change_out(console.delete_rule(rule_id, user.name, base_version))


@router.get("/api/rules/{rule_id}/history", response_model=HistoryOut)
def rule_history(rule_id: RuleId, user: Viewer, console: CurrentConsole) -> HistoryOut:
    versions = console.rule_history(rule_id)
    return HistoryOut(id=rule_id, versions=[version_out(v) for v in reversed(versions)])


@router.post("/api/rules/{rule_id}/rollback/{version}", response_model=ChangeOut)
def rollback_rule(rule_id: RuleId, version: VersionNumber, user: Editor, console: CurrentConsole) -> ChangeOut:
    return change_out(console.rollback_rule(rule_id, version, user.name))


@router.post("/api/ruleset/publish", response_model=PublishOut)
def publish_ruleset(user: Editor, console: CurrentConsole) -> PublishOut:
    info = console.publish_current(user.name)
    return PublishOut(ruleset_version=info.ruleset_version, rules=info.rules)
