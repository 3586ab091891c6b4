"""The web chat page: ``GET /`` and its static files from ``app/static/``.

Plain HTML, CSS and JavaScript with no build step and nothing fetched from
other hosts, so the page works on an offline machine.  Only files that sit
directly in ``app/static/`` are served; any other name is a 404.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent / "static"
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
# Revalidate each load so a restarted server's new page is picked up at once.
_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}

router = APIRouter(include_in_schema=False)


def _file(name: str) -> FileResponse:
    path = STATIC_DIR / name
    if "/" in name or "\\" in name or name.startswith(".") or path.suffix not in _TYPES or not path.is_file():
        raise HTTPException(404, f"no static file {name!r}")
    return FileResponse(path, media_type=_TYPES[path.suffix], headers=_HEADERS)


@router.get("/")
def page() -> FileResponse:
    """The chat page."""
    return _file("index.html")


@router.get("/static/{name}")
def static(name: str) -> FileResponse:
    """A file of the page: chat.js, style.css."""
    return _file(name)
