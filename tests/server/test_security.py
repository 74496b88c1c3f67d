"""CORS off unless configured, no files written, request ids in logs, limits while streaming."""

from __future__ import annotations

import re

import httpx
import numpy as np
from PIL import Image

from tests.server.live import LiveServer
from tests.server.payloads import disc_mask_png, encode, real_photo
from tests.server.raw_http import connect, read_reply, send_head

EDITOR = "https://editor.example"


def test_cors_is_off_by_default(live_server: str) -> None:
    reply = httpx.get(f"{live_server}/api/v1/engines", headers={"Origin": EDITOR})
    assert reply.status_code == 200
    assert "access-control-allow-origin" not in reply.headers
    preflight = httpx.options(
        f"{live_server}/api/v1/inpaint",
        headers={"Origin": EDITOR, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_only_the_configured_origin(tight_server: LiveServer) -> None:
    preflight = httpx.options(
        f"{tight_server.url}/api/v1/inpaint",
        headers={"Origin": EDITOR, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == EDITOR
    reply = httpx.get(f"{tight_server.url}/healthz", headers={"Origin": EDITOR})
    assert reply.headers["access-control-allow-origin"] == EDITOR
    assert "x-request-id" in reply.headers["access-control-expose-headers"].lower()
    other = httpx.get(f"{tight_server.url}/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def _files_written_during(server: LiveServer, photo: bytes, size: tuple[int, int]) -> list[str]:
    """Send ``photo`` for a fill; return the files the server wrote meanwhile.

    Python-level writes come from the audit hook's log lines; files written by native code
    show up as new entries in the server's TMPDIR or working folder. (Importing onnxruntime
    leaves a telemetry ``.ses`` file in TMPDIR at start-up, before any request.)
    """
    folders = (server.tmpdir, server.run_dir)
    existing = {path for folder in folders for path in folder.rglob("*")}
    before = len(server.log().splitlines())
    reply = httpx.post(
        f"{server.url}/api/v1/inpaint",
        files={"image": ("photo", photo), "mask": ("mask.png", disc_mask_png(size, (50, 50), 9))},
        timeout=60,
    )
    assert reply.status_code == 200
    logged = [line for line in server.log().splitlines()[before:] if "FILE WRITE" in line]
    created = {path for folder in folders for path in folder.rglob("*")} - existing
    return logged + sorted(str(path) for path in created)


def test_uploads_are_never_spooled_to_files(live_server_process: LiveServer) -> None:
    noise = np.random.default_rng(0).integers(0, 256, (700, 900, 3), np.uint8)
    large_png = encode(Image.fromarray(noise))  # ~1.9 MB: over what parsers spool to disk
    assert len(large_png) > 1_500_000
    assert _files_written_during(live_server_process, large_png, (900, 700)) == []


def test_jpeg_edits_write_no_temporary_files(live_server_process: LiveServer) -> None:
    jpeg = encode(real_photo((640, 480)), "JPEG", quality=90)
    assert _files_written_during(live_server_process, jpeg, (640, 480)) == []


def test_request_ids_are_returned_and_logged(live_server_process: LiveServer) -> None:
    url = live_server_process.url
    chosen = httpx.get(f"{url}/api/v1/engines", headers={"X-Request-ID": "client-chosen-42"})
    assert chosen.headers["x-request-id"] == "client-chosen-42"
    unsafe = httpx.get(f"{url}/api/v1/engines", headers={"X-Request-ID": "bad id\twith tab"})
    fresh = unsafe.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", fresh)
    live_server_process.wait_for_log(r"\[client-chosen-42\] GET /api/v1/engines 200")
    live_server_process.wait_for_log(rf"\[{fresh}\] GET /api/v1/engines 200")


def test_upload_limit_is_enforced_while_the_body_streams(tight_server: LiveServer) -> None:
    chunk = b"A" * 65536
    with connect(tight_server.url) as sock:
        send_head(
            sock,
            "POST",
            "/api/v1/inpaint",
            {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        )
        for _ in range(20):  # 1.3 MB of a body with no declared length, never finished
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        status, _, body = read_reply(sock)
    assert status == 413
    assert b"over the limit of 1 MB" in body
