"""The audit log (admin): every change, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from marsad.console.dependencies import Admin, CurrentConsole
from marsad.console.schemas import AuditEntryOut, AuditOut

router = APIRouter(tags=["audit"])


@router.get("/api/audit", response_model=AuditOut)
def audit(
    user: Admin,
    console: CurrentConsole,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditOut:
    entries, total = console.store.audit_log(limit, offset)
    return AuditOut(entries=[AuditEntryOut(**e.__dict__) for e in entries], total=total)
