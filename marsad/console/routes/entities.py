"""Entities: read, write, history, rollback (every rule is checked against a change)."""

from __future__ import annotations

from fastapi import APIRouter

from marsad.console.dependencies import CurrentConsole, Editor, Viewer
from marsad.console.schemas import (
    ChangeOut,
    EntitiesOut,
    EntitiesWriteIn,
    VersionNumber,
    VersionOut,
    change_out,
    version_out,
)

router = APIRouter(tags=["entities"])


@router.get("/api/entities", response_model=EntitiesOut)
def get_entities(user: Viewer, console: CurrentConsole) -> EntitiesOut:
    current = console.store.entities_current()
    if current is None:
        return EntitiesOut(version=0, author="", time="", yaml="")
    return EntitiesOut(version=current.version, author=current.author, time=current.time, yaml=current.text)


@router.put("/api/entities", response_model=ChangeOut)
def put_entities(body: EntitiesWriteIn, user: Editor, console: CurrentConsole) -> ChangeOut:
    return change_out(console.put_entities(body.yaml, user.name, body.base_version))


@router.get("/api/entities/history", response_model=list[VersionOut])
def entities_history(user: Viewer, console: CurrentConsole) -> list[VersionOut]:
    return [version_out(v) for v in reversed(console.store.entities_history())]


@router.post("/api/entities/rollback/{version}", response_model=ChangeOut)
def rollback_entities(version: VersionNumber, user: Editor, console: CurrentConsole) -> ChangeOut:
    return change_out(console.rollback_entities(version, user.name))
