"""Clients that hang up or stall, engines that raise, and SIGTERM: the server keeps serving."""

from __future__ import annotations

import re
import threading
import time

import httpx
import pytest

from tests.server.live import LiveServer, start_server, wait_idle
from tests.server.payloads import disc_mask_png, encode, multipart, real_photo
from tests.server.raw_http import connect, read_reply, send_head

SIZE = (200, 150)


def _form(engine: str) -> tuple[bytes, dict[str, str]]:
    return multipart(encode(real_photo(SIZE)), disc_mask_png(SIZE, (100, 75), 9), engine=engine)


def _send_head(sock, body: bytes, headers: dict[str, str], request_id: str) -> None:
    length = {"Content-Length": str(len(body)), "X-Request-ID": request_id}
    send_head(sock, "POST", "/api/v1/inpaint", {**headers, **length})


def _still_serving(server: LiveServer) -> None:
    body, headers = _form("telea")
    reply = httpx.post(f"{server.url}/api/v1/inpaint", content=body, headers=headers)
    assert reply.status_code == 200


def test_client_hanging_up_mid_upload_frees_its_place(tight_server: LiveServer) -> None:
    wait_idle(tight_server.url)
    body, headers = _form("telea")
    with connect(tight_server.url) as sock:
        _send_head(sock, body, headers, "gone-mid-upload")
        sock.sendall(body[: len(body) // 3])
        time.sleep(0.3)  # the server is now waiting for the rest of the body
    tight_server.wait_for_log(r"\[gone-mid-upload\].* 499 ")
    assert wait_idle(tight_server.url)["admitted"] == 0
    _still_serving(tight_server)


def test_client_hanging_up_mid_fill_leaves_the_server_serving(tight_server: LiveServer) -> None:
    wait_idle(tight_server.url)
    body, headers = _form("test-slow")
    with connect(tight_server.url) as sock:
        _send_head(sock, body, headers, "gone-mid-fill")
        sock.sendall(body)
        tight_server.wait_for_log(r"\[gone-mid-fill\].*slow fill started")
    log = tight_server.wait_for_log(r"\[gone-mid-fill\].* 499 ")
    assert "Traceback" not in log
    wait_idle(tight_server.url)
    _still_serving(tight_server)


def test_result_of_a_fill_whose_client_hung_up_is_not_encoded(tight_server: LiveServer) -> None:
    wait_idle(tight_server.url)
    jpeg = encode(real_photo(SIZE), "JPEG", quality=90)  # a JPEG result always logs its note
    body, headers = multipart(jpeg, disc_mask_png(SIZE, (100, 75), 9), engine="test-slow")
    with connect(tight_server.url) as sock:
        _send_head(sock, body, headers, "gone-before-encode")
        sock.sendall(body)
        tight_server.wait_for_log(r"\[gone-before-encode\].*slow fill started")
    tight_server.wait_for_log(r"\[gone-before-encode\].* 499 ")
    log = tight_server.wait_for_log(r"\[gone-before-encode\].*result was not encoded")
    wait_idle(tight_server.url)
    assert not re.search(r"\[gone-before-encode\].*encode note", tight_server.log()), log
    _still_serving(tight_server)


def test_queued_fill_of_a_client_that_hung_up_is_dropped(tight_server: LiveServer) -> None:
    wait_idle(tight_server.url)
    kept: list[httpx.Response] = []
    body, headers = _form("test-slow")
    first_headers = {**headers, "X-Request-ID": "kept-first"}
    first = threading.Thread(
        target=lambda: kept.append(
            httpx.post(f"{tight_server.url}/api/v1/inpaint", content=body, headers=first_headers)
        )
    )
    first.start()
    tight_server.wait_for_log(r"\[kept-first\].*slow fill started")
    with connect(tight_server.url) as sock:
        _send_head(sock, body, headers, "gone-while-queued")
        sock.sendall(body)
        while httpx.get(f"{tight_server.url}/healthz").json()["admitted"] < 2:
            time.sleep(0.02)
    first.join()
    log = tight_server.wait_for_log(r"\[gone-while-queued\].* 499 ")
    wait_idle(tight_server.url)
    time.sleep(1.2)  # long enough for a slow fill to have started had it not been dropped
    assert kept[0].status_code == 200
    assert not re.search(r"\[gone-while-queued\].*slow fill started", tight_server.log()), log


def test_body_sent_too_slowly_times_out_and_frees_its_place(tight_server: LiveServer) -> None:
    wait_idle(tight_server.url)
    stop = threading.Event()

    def trickle(sock) -> None:
        while not stop.wait(0.2):
            try:
                sock.sendall(b"x")
            except OSError:
                return

    with connect(tight_server.url) as sock:
        send_head(sock, "POST", "/complete-image", {"Content-Type": "application/json",
                                                    "Content-Length": "5000"})  # fmt: skip
        sender = threading.Thread(target=trickle, args=(sock,))
        sender.start()
        started = time.monotonic()
        status, _, body = read_reply(sock)
        took = time.monotonic() - started
        stop.set()
        sender.join()
    assert status == 408
    assert b"did not arrive within 1.5 s" in body
    assert 1.2 < took < 5
    assert wait_idle(tight_server.url, timeout_s=2)["admitted"] == 0


def test_engine_that_raises_gives_500_with_a_logged_request_id(tight_server: LiveServer) -> None:
    wait_idle(tight_server.url)
    body, headers = _form("test-raising")
    reply = httpx.post(f"{tight_server.url}/api/v1/inpaint", content=body, headers=headers)
    assert reply.status_code == 500
    request_id = reply.json()["request_id"]
    assert request_id == reply.headers["x-request-id"]
    assert "request id" in reply.json()["error"]
    log = tight_server.wait_for_log(rf"\[{request_id}\].* 500 ")
    assert re.search(rf"ERROR .*\[{request_id}\].*deliberate failure", log)
    assert "Traceback" in log
    _still_serving(tight_server)


@pytest.fixture
def draining_server(tmp_path) -> LiveServer:
    server = start_server(
        tmp_path,
        "--engine", "telea", "--threads", "2", "--plugin", "tests.server.fault_engines",
        env={"AMETHYST_TEST_SLOW_S": "1.5"},
    )  # fmt: skip
    yield server
    server.terminate()


def test_sigterm_finishes_requests_in_flight_refuses_new_ones_and_exits_0(
    draining_server: LiveServer,
) -> None:
    body, headers = _form("test-slow")
    replies: list[httpx.Response] = []
    clients = [
        threading.Thread(
            target=lambda: replies.append(
                httpx.post(
                    f"{draining_server.url}/api/v1/inpaint",
                    content=body,
                    headers=headers,
                    timeout=30,
                )
            )
        )
        for _ in range(2)
    ]
    for client in clients:
        client.start()
    while httpx.get(f"{draining_server.url}/healthz").json()["running"] < 2:
        time.sleep(0.02)
    draining_server.process.terminate()
    time.sleep(0.3)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{draining_server.url}/healthz", timeout=2)
    for client in clients:
        client.join()
    assert draining_server.process.wait(timeout=20) == 0
    assert [reply.status_code for reply in replies] == [200, 200]
    assert all(reply.headers["content-type"] == "image/png" for reply in replies)
    assert "Application shutdown complete" in draining_server.log()
