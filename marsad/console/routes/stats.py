"""Rule statistics (alerts per rule over time, last fired, outcomes) and the back-test
that compares a draft with the rules in force."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from marsad.console.dependencies import Editor, State, Viewer
from marsad.console.rule_stats_service import compare_draft, statistics
from marsad.console.schemas import RuleYaml

router = APIRouter(tags=["statistics"])


class CompareIn(BaseModel):
    yaml: RuleYaml
    days: float = Field(default=7, gt=0, le=90)


@router.get("/api/stats/rules")
def rules(user: Viewer, state: State, hours: Annotated[int, Query(ge=1, le=24 * 90)] = 24) -> dict[str, Any]:
    return statistics(state.settings, state.redis, state.console.store.rule_ids(), hours=hours)


@router.post("/api/backtest/compare")
def compare(body: CompareIn, user: Editor, state: State) -> dict[str, Any]:
    return compare_draft(state.console, body.yaml, days=body.days)
