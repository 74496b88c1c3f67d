"""Serve the web editor's folder at ``/`` with fixed MIME types and no way out of the folder.

Starlette's ``StaticFiles`` resolves every path (``..``, encoded or not, and symlinks) and
refuses anything outside the folder. We add our own MIME table, so ``.js`` modules and the
manifest never depend on the host's ``/etc/mime.types``, and keep the service worker fresh.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".txt": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
    ".onnx": "application/octet-stream",
}
# Browsers must fetch a new service worker as soon as it changes.
NO_CACHE = {"sw.js", "index.html"}


class WebEditorFiles(StaticFiles):
    """``StaticFiles`` with an explicit MIME table and no caching of the app shell."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory, html=True, check_dir=False, follow_symlink=False)

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        name = os.path.basename(full_path)
        media_type = MEDIA_TYPES.get(os.path.splitext(name)[1].lower())
        response = FileResponse(
            full_path, status_code=status_code, stat_result=stat_result, media_type=media_type
        )
        if name in NO_CACHE:
            response.headers["Cache-Control"] = "no-cache"
        if name == "sw.js":
            response.headers["Service-Worker-Allowed"] = "/"
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response
