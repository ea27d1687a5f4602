"""Trying rules: dry-run (viewer) and back-test (editor)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from marsad.console import drafts
from marsad.console.dependencies import CurrentConsole, Editor, Viewer
from marsad.console.schemas import BacktestIn, DryRunIn, DryRunOut

router = APIRouter(tags=["test"])


@router.post("/api/dry-run", response_model=DryRunOut)
def dry_run(body: DryRunIn, user: Viewer, console: CurrentConsole) -> dict[str, Any]:
    return drafts.dry_run(
        console,
        text=body.text,
        title=body.title,
        article_id=body.article_id,
        language=body.language,
        feed=body.feed,
        draft=body.yaml,
        days=body.days,
    )


def ndjson_lines(events: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    for event in events:
        yield orjson.dumps(event) + b"\n"


@router.post(
    "/api/backtest",
    responses={
        200: {
            "content": {"application/x-ndjson": {}},
            "description": "one JSON event per line: start, match, progress, done",
        }
    },
)
def backtest(body: BacktestIn, user: Editor, console: CurrentConsole) -> StreamingResponse:
    events = drafts.backtest(console, body.yaml, days=body.days, max_matches=body.max_matches)
    return StreamingResponse(
        ndjson_lines(events),
        media_type="application/x-ndjson",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
