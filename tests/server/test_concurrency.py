"""Fills run off the event loop in a bounded pool: many at once work, too many get 503."""

from __future__ import annotations

import asyncio
import io
import threading
import time

import httpx
import numpy as np
from PIL import Image

from tests.server.live import LiveServer, wait_idle
from tests.server.payloads import disc_mask_png, encode, multipart, real_photo

SIZE = (200, 150)


async def _fill_many(url: str, count: int) -> list[tuple[int, np.ndarray, np.ndarray, bytes]]:
    image = real_photo(SIZE)
    masks = [disc_mask_png(SIZE, (30 + 4 * i, 40 + 2 * i), 8) for i in range(count)]
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=count)) as client:
        replies = await asyncio.gather(
            *(
                client.post(
                    f"{url}/api/v1/inpaint",
                    files={"image": ("p.png", encode(image)), "mask": ("m.png", mask)},
                )
                for mask in masks
            )
        )
    holes = [np.asarray(Image.open(io.BytesIO(mask))) > 0 for mask in masks]
    return [
        (r.status_code, np.asarray(image), hole, r.content)
        for r, hole in zip(replies, holes, strict=True)
    ]


def test_32_concurrent_requests_are_all_answered_correctly(live_server: str) -> None:
    results = asyncio.run(_fill_many(live_server, 32))
    assert [status for status, *_ in results] == [200] * 32
    for _, original, hole, content in results:
        result = np.asarray(Image.open(io.BytesIO(content)))
        assert result.shape == original.shape
        assert np.array_equal(result[~hole], original[~hole])
        assert (result[hole] != original[hole]).any()


def _slow_fill(url: str, replies: list[httpx.Response]) -> None:
    body, headers = multipart(
        encode(real_photo(SIZE)), disc_mask_png(SIZE, (100, 75), 9), engine="test-slow"
    )
    replies.append(httpx.post(f"{url}/api/v1/inpaint", content=body, headers=headers))


def _start_slow_fills(server: LiveServer, count: int) -> tuple[list, list[threading.Thread]]:
    replies: list[httpx.Response] = []
    threads = [
        threading.Thread(target=_slow_fill, args=(server.url, replies)) for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while True:
        health = httpx.get(f"{server.url}/healthz").json()
        if health["admitted"] >= count and health["running"] >= 1:
            break
        assert time.monotonic() < deadline, "the slow fills never started"
        time.sleep(0.02)
    return replies, threads


def test_full_queue_answers_503_with_retry_after(tight_server: LiveServer) -> None:
    wait_idle(tight_server.url)
    replies, threads = _start_slow_fills(tight_server, 2)  # one running, one queued: full
    body, headers = multipart(
        encode(real_photo(SIZE)), disc_mask_png(SIZE, (50, 50), 9), engine="test-slow"
    )
    refused = httpx.post(f"{tight_server.url}/api/v1/inpaint", content=body, headers=headers)
    for thread in threads:
        thread.join()
    assert refused.status_code == 503
    assert int(refused.headers["retry-after"]) >= 1
    assert "busy" in refused.json()["error"]
    assert [reply.status_code for reply in replies] == [200, 200]


def test_healthz_answers_quickly_while_every_fill_thread_is_busy(
    tight_server: LiveServer,
) -> None:
    wait_idle(tight_server.url)
    replies, threads = _start_slow_fills(tight_server, 1)
    started = time.perf_counter()
    health = httpx.get(f"{tight_server.url}/healthz")
    took = time.perf_counter() - started
    for thread in threads:
        thread.join()
    assert health.status_code == 200
    assert health.json()["running"] == 1
    assert took < 0.5
    assert replies[0].status_code == 200
