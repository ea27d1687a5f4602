"""Liveness (public) and the caller's identity."""

from __future__ import annotations

from fastapi import APIRouter

from kernel import __version__
from marsad.console.dependencies import State, Viewer
from marsad.console.schemas import HealthOut, WhoAmIOut

router = APIRouter()


@router.get("/healthz", response_model=HealthOut, tags=["health"])
def healthz(state: State) -> HealthOut:
    state.redis.ping()
    return HealthOut(status="ok", version=__version__, namespace=state.settings.namespace)


@router.get("/api/whoami", response_model=WhoAmIOut, tags=["auth"])
def whoami(user: Viewer) -> WhoAmIOut:
    return WhoAmIOut(name=user.name, role=user.role.name)
