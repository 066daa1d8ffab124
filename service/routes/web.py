"""The counselor what-if workbench: a static page at ``/`` that calls this same API.

The page is plain HTML, CSS and JavaScript under ``service/web/`` (no build step). It keeps what
the counselor enters in the browser: every student record travels only in the body of an API
request, and the optional API key lives in the tab's ``sessionStorage``. The responses carry a
strict Content-Security-Policy (same-origin scripts, styles and requests only).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

from service.problems import ProblemError

__all__ = ["WEB_DIR", "router"]

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
# The page's ES modules and stylesheets: a fixed set, read once (nothing else under web/ is served).
ASSETS = {p.name: MEDIA[p.suffix] for p in sorted(WEB_DIR.iterdir()) if p.suffix in MEDIA}

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


@router.get("/")
def page() -> FileResponse:
    """The counselor page."""
    return FileResponse(
        WEB_DIR / "index.html", media_type="text/html; charset=utf-8", headers=HEADERS
    )


@router.get("/web/{name}")
def asset(name: Annotated[str, PathParam(max_length=32)]) -> FileResponse:
    """One of the page's scripts or stylesheets (a fixed list: nothing else is served)."""
    if name not in ASSETS:
        raise ProblemError(404, "Not found", f"No page asset {name!r}.")
    return FileResponse(WEB_DIR / name, media_type=ASSETS[name], headers=HEADERS)
