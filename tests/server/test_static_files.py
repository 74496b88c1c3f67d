"""The web editor's folder served at ``/``: right types, fresh service worker, no way out."""

from __future__ import annotations

import httpx
import pytest

from tests.server.live import LiveServer
from tests.server.raw_http import get_raw
from tests.server.shared_servers import SECRET, WEB_FILES


def test_index_html_is_served_at_the_root(tight_server: LiveServer) -> None:
    reply = httpx.get(f"{tight_server.url}/")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    assert reply.text == WEB_FILES["index.html"]


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/icons/icon.svg", "image/svg+xml"),
    ],
)
def test_files_are_served_with_their_media_type(
    tight_server: LiveServer, path: str, media_type: str
) -> None:
    reply = httpx.get(f"{tight_server.url}{path}")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == media_type
    assert reply.text == WEB_FILES[path.lstrip("/")]


def test_service_worker_is_served_from_the_root_uncached(tight_server: LiveServer) -> None:
    reply = httpx.get(f"{tight_server.url}/sw.js")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "text/javascript; charset=utf-8"
    assert reply.headers["cache-control"] == "no-cache"
    assert reply.headers["service-worker-allowed"] == "/"


def test_missing_files_are_a_json_404(tight_server: LiveServer) -> None:
    reply = httpx.get(f"{tight_server.url}/nothing-here.js")
    assert reply.status_code == 404
    assert reply.json()["error"] == "Not Found"


ESCAPES = [
    "/../../etc/passwd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/..%252f..%252f..%252fetc%252fpasswd",
    "/....//....//....//etc/passwd",
    "/..%5c..%5c..%5cetc%5cpasswd",
    "/icons/../../outside/secret.txt",
    "/icons/%2e%2e/%2e%2e/outside/secret.txt",
    "/%2e%2e/outside/secret.txt",
    "//etc/passwd",
    "/leak.txt",
    "/leakdir/secret.txt",
]


@pytest.mark.parametrize("path", ESCAPES)
def test_paths_cannot_escape_the_web_folder(tight_server: LiveServer, path: str) -> None:
    status, _, body = get_raw(tight_server.url, path)
    assert status in (400, 404), (status, body[:200])
    assert b"root:" not in body and SECRET.encode() not in body


def test_symlinks_inside_the_web_folder_still_work(tight_server: LiveServer) -> None:
    reply = httpx.get(f"{tight_server.url}/same.js")
    assert reply.status_code == 200
    assert reply.text == WEB_FILES["app.js"]
