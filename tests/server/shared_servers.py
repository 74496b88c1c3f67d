"""The real servers the whole test session shares, started side by side once tests need them.

Each ``amethyst serve`` spends seconds importing and loading engines, so the session starts
every shared server it will need right after collection and waits only when a test asks.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from tests.server.live import LiveServer

# Fixture that needs each server, for deciding what to start after collection.
FIXTURES = {"live": "live_server_process", "tight": "tight_server"}
LIVE_ARGS = (
    "--engine", "telea",
    "--plugin", "tests.server.file_audit",  # logs any file the server writes
)  # fmt: skip
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
_started: dict[str, LiveServer] = {}


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


def _launch(name: str) -> LiveServer:
    root = Path(tempfile.mkdtemp(prefix=f"amethyst-{name}-server-"))
    if name == "live":
        return LiveServer(root, *LIVE_ARGS)
    web = make_web_dir(root)
    return LiveServer(root, *TIGHT_ARGS, "--web-dir", str(web), env={"AMETHYST_TEST_SLOW_S": "1"})


def launch(names: Iterable[str]) -> None:
    """Start these servers now, without waiting for them."""
    for name in names:
        if name not in _started:
            _started[name] = _launch(name)


def ready(name: str) -> LiveServer:
    """The server ``name``, started if need be and ready to answer."""
    launch([name])
    server = _started[name]
    server.wait_ready()
    return server


def stop(name: str) -> None:
    """Stop the server ``name`` and remove its folder."""
    server = _started.pop(name, None)
    if server is not None:
        server.terminate()
        shutil.rmtree(server.workdir, ignore_errors=True)


def stop_all() -> None:
    for name in list(_started):
        stop(name)
