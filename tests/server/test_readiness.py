"""Engines and models load once at start-up; until then ``/healthz`` and fills answer 503."""

from __future__ import annotations

import time

import httpx

from tests.server.live import LiveServer
from tests.server.payloads import disc_mask_png, encode, real_photo

SIZE = (160, 120)


def _first_answer(url: str) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(f"{url}/healthz", timeout=2)
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the server never answered"
            time.sleep(0.05)


def test_engines_load_once_at_start_up_and_fills_wait_for_them(tmp_path) -> None:
    server = LiveServer(
        tmp_path,
        "--engine",
        "telea",
        "--plugin",
        "tests.server.fault_engines",
        env={"AMETHYST_TEST_LOAD_S": "1.5"},
    )
    files = {
        "image": ("p.png", encode(real_photo(SIZE))),
        "mask": ("m.png", disc_mask_png(SIZE, (80, 60), 9)),
    }
    try:
        loading = _first_answer(server.url)
        early_fill = httpx.post(f"{server.url}/api/v1/inpaint", files=files)
        assert (loading.status_code, loading.json()["status"]) == (503, "loading")
        assert early_fill.status_code == 503
        assert early_fill.headers["retry-after"] == "1"
        assert "loading" in early_fill.json()["error"]
        server.wait_ready()
        health = httpx.get(f"{server.url}/healthz").json()
        assert "test-slow-loading" in health["engines"]
        assert httpx.post(f"{server.url}/api/v1/inpaint", files=files).status_code == 200
        with_slow_loader = httpx.post(
            f"{server.url}/api/v1/inpaint", files=files, data={"engine": "test-slow-loading"}
        )
        assert with_slow_loader.status_code == 200
        assert float(with_slow_loader.headers["x-amethyst-elapsed-ms"]) < 1500  # not reloaded
    finally:
        server.terminate()
    assert server.log().count("ready: engines") == 1
