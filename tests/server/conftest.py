"""A second real server with tight limits and the test-only engines, shared by server tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.live import LiveServer, start_server

TIGHT_ARGS = (
    "--engine", "telea",
    "--threads", "1",
    "--queue", "1",
    "--max-body-mb", "1",
    "--max-megapixels", "0.1",
    "--body-timeout", "1.5",
    "--plugin", "tests.server.fault_engines",
    "--cors-origin", "https://editor.example",
)  # fmt: skip
SECRET = "TOP SECRET, outside the web folder"
WEB_FILES = {
    "index.html": "<!doctype html><title>Amethyst test page</title>",
    "app.js": "export const answer = 42;",
    "style.css": "body { margin: 0 }",
    "manifest.webmanifest": '{"name": "Amethyst"}',
    "sw.js": "self.addEventListener('fetch', () => {});",
    "icons/icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
}


def make_web_dir(root: Path) -> Path:
    """A web folder like the editor's, plus symlinks pointing inside and outside it."""
    web, outside = root / "web", root / "outside"
    for name, text in WEB_FILES.items():
        (web / name).parent.mkdir(parents=True, exist_ok=True)
        (web / name).write_text(text)
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    (web / "leak.txt").symlink_to(outside / "secret.txt")
    (web / "leakdir").symlink_to(outside, target_is_directory=True)
    (web / "same.js").symlink_to(web / "app.js")
    return web


@pytest.fixture(scope="session")
def tight_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One fill thread, one queue place, 1 MB bodies, 0.1 MP images, 1.5 s to send a body,
    the ``test-slow`` (1 s) and ``test-raising`` engines, CORS for one origin, and a web
    folder with symlinks (``make_web_dir``)."""
    root = tmp_path_factory.mktemp("tight-server")
    web = make_web_dir(root)
    server = start_server(
        root, *TIGHT_ARGS, "--web-dir", str(web), env={"AMETHYST_TEST_SLOW_S": "1"}
    )
    yield server
    server.terminate()
