"""Silences: list (viewer), create and end (editor); both changes are audited."""

from __future__ import annotations

from fastapi import APIRouter

from marsad.console.dependencies import CurrentConsole, Editor, Viewer
from marsad.console.schemas import SilenceId, SilenceIn, SilenceListOut, SilenceOut, silence_out

router = APIRouter(tags=["silences"])


@router.get("/api/silences", response_model=SilenceListOut)
def list_silences(user: Viewer, console: CurrentConsole) -> SilenceListOut:
    return SilenceListOut(silences=[silence_out(s) for s in console.silences.all()])


@router.post("/api/silences", response_model=SilenceOut, status_code=201)
def create_silence(body: SilenceIn, user: Editor, console: CurrentConsole) -> SilenceOut:
    silence = console.create_silence(body.rule, body.duration, body.reason, body.matchers, author=user.name)
    return silence_out(silence)


@router.delete("/api/silences/{silence_id}", response_model=SilenceOut)
def expire_silence(silence_id: SilenceId, user: Editor, console: CurrentConsole) -> SilenceOut:
    return silence_out(console.expire_silence(silence_id, user.name))
