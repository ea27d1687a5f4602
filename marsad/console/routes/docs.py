"""The API's interactive description at ``/docs`` (Swagger UI) and ``/redoc``, with their
scripts and styles served from the installed ``fastapi-offline`` package under
``/static`` (``pages.mount_static``): no CDN, so they work offline."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter()

ASSETS_PACKAGE = ("fastapi_offline", "static")


@router.get("/docs", include_in_schema=False)
def swagger() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Marsad console API",
        swagger_js_url="/static/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger-ui.css",
        swagger_favicon_url="/static/favicon.png",
    )


@router.get("/redoc", include_in_schema=False)
def redoc() -> HTMLResponse:
    return get_redoc_html(
        openapi_url="/openapi.json",
        title="Marsad console API",
        redoc_js_url="/static/redoc.standalone.js",
        redoc_favicon_url="/static/favicon.png",
        with_google_fonts=False,
    )
