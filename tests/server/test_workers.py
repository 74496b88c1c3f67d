"""``--workers N``: several processes share the port, each with the engines loaded once."""

from __future__ import annotations

import httpx

from tests.server.live import start_server
from tests.server.payloads import disc_mask_png, encode, real_photo


def test_several_worker_processes_serve_and_stop_cleanly(tmp_path) -> None:
    server = start_server(tmp_path, "--engine", "telea", "--workers", "2", "--threads", "1")
    try:
        # The first ready answer may come from one worker while the other still loads.
        server.wait_ready(in_a_row=30)
        size = (160, 120)
        files = {
            "image": ("p.png", encode(real_photo(size))),
            "mask": ("m.png", disc_mask_png(size, (80, 60), 9)),
        }
        replies = [httpx.post(f"{server.url}/api/v1/inpaint", files=files) for _ in range(2)]
        assert [reply.status_code for reply in replies] == [200] * 2
        assert httpx.get(f"{server.url}/healthz").json()["threads"] == 1
    finally:
        status = server.terminate()
    assert status == 0
    log = server.log()
    assert log.count("Started server process") == 2
    assert log.count("Finished server process") == 2
