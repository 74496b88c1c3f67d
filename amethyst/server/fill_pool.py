"""A fixed set of fill threads behind a bounded queue: busy means 503, never unbounded memory.

Fills are CPU-bound but spend their time in OpenCV, ONNX Runtime, Pillow and numpy, which
release the GIL, so threads use every core while sharing the engines loaded once. A request
takes a place before its body is read; when ``threads + queue`` places are taken it is
refused with a ``Retry-After`` estimate instead of being buffered.
"""

from __future__ import annotations

import asyncio
import contextvars
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Busy(Exception):
    """Every fill thread is busy and the queue is full."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__("the server is busy; retry after the time in the Retry-After header")
        self.retry_after_s = retry_after_s


class ClientGone(Exception):
    """The client disconnected while its fill was waiting or running."""


class FillPool:
    """Runs jobs on ``threads`` threads, admitting at most ``threads + queue`` at a time."""

    def __init__(self, threads: int, queue: int) -> None:
        self.threads = threads
        self.capacity = threads + queue
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="amethyst-fill")
        self._lock = threading.Lock()
        self._admitted = 0
        self._running = 0
        self._mean_s = 1.0  # running mean of job time, for Retry-After

    def admit(self) -> None:
        """Take a place for one request, or raise ``Busy`` when none is free."""
        with self._lock:
            if self._admitted >= self.capacity:
                raise Busy(self.retry_after_s())
            self._admitted += 1

    def release(self) -> None:
        """Give back the place taken by ``admit``."""
        with self._lock:
            self._admitted -= 1

    def retry_after_s(self) -> int:
        """Seconds until a place is likely free: the queue's length times the mean job time."""
        waves = max(1, self._admitted) / self.threads
        return min(60, max(1, math.ceil(waves * self._mean_s)))

    def _timed(self, job: Callable[..., T], *args: object) -> T:
        with self._lock:
            self._running += 1
        started = time.perf_counter()
        try:
            return job(*args)
        finally:
            elapsed = time.perf_counter() - started
            with self._lock:
                self._running -= 1
                self._mean_s = 0.8 * self._mean_s + 0.2 * elapsed

    def submit(self, job: Callable[..., T], *args: object) -> Future[T]:
        """Queue ``job(*args)`` on a fill thread, keeping the caller's context (request id)."""
        context = contextvars.copy_context()
        return self._executor.submit(context.run, self._timed, job, *args)

    async def run(
        self, job: Callable[..., T], *args: object, gone: asyncio.Future | None = None
    ) -> T:
        """Run ``job(*args)`` on a fill thread and await it.

        When ``gone`` completes first (the client hung up), a job still queued is dropped and
        ``ClientGone`` is raised; a job already running finishes and its result is discarded.
        """
        future = self.submit(job, *args)
        result = asyncio.wrap_future(future)
        if gone is None:
            return await result
        done, _ = await asyncio.wait({result, gone}, return_when=asyncio.FIRST_COMPLETED)
        if result in done:
            return result.result()
        future.cancel()
        result.cancel()
        raise ClientGone("the client disconnected before its fill finished")

    def stats(self) -> dict[str, int]:
        """Threads, places, and how many requests hold a place or run now."""
        with self._lock:
            return {
                "threads": self.threads,
                "capacity": self.capacity,
                "admitted": self._admitted,
                "running": self._running,
            }

    def shutdown(self) -> None:
        """Finish the jobs already queued, then stop the threads."""
        self._executor.shutdown(wait=True)
