"""The web page: ``/`` and its static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from marsad.console.routes import docs

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

router = APIRouter()


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


def mount_static(app: FastAPI) -> None:
    # A router cannot carry a mount: include_router copies routes only.
    # Swagger UI's and ReDoc's files come from an installed package (routes/docs.py).
    app.mount("/static", StaticFiles(directory=STATIC_DIR, packages=[docs.ASSETS_PACKAGE]), name="static")
