"""A fixed set of fill threads behind a bounded queue: busy means 503, never unbounded memory.

Fills are CPU-bound but spend their time in OpenCV, ONNX Runtime, Pillow and numpy, which
release the GIL, so threads use every core while sharing the engines loaded once. A request
takes a place before its body is read; when ``threads + queue`` places are taken it is
refused with a ``Retry-After`` estimate instead of being buffered.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger("amethyst.server")


class Busy(Exception):
    """Every fill thread is busy and the queue is full."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__("the server is busy; retry after the time in the Retry-After header")
        self.retry_after_s = retry_after_s


class ClientGone(Exception):
    """The client disconnected while its fill was waiting or running."""


# Set, in the context a job runs in, once that job's client has hung up.
_CANCELLED: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar(
    "amethyst_fill_cancelled", default=None
)


def raise_if_cancelled(skipped: str) -> None:
    """In a fill job: raise ``ClientGone`` (and log what is ``skipped``) when its client has
    hung up, so no more work is done for nobody."""
    cancelled = _CANCELLED.get()
    if cancelled is not None and cancelled.is_set():
        log.info("the client disconnected: %s", skipped)
        raise ClientGone(f"the client disconnected: {skipped}")


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
        raise_if_cancelled("its queued fill was not started")
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

    def submit(
        self, job: Callable[..., T], *args: object, cancelled: threading.Event | None = None
    ) -> Future[T]:
        """Queue ``job(*args)`` on a fill thread, keeping the caller's context (request id).

        Once ``cancelled`` is set the job does not start, and ``raise_if_cancelled`` stops it.
        """
        context = contextvars.copy_context()
        context.run(_CANCELLED.set, cancelled)
        return self._executor.submit(context.run, self._timed, job, *args)

    async def run(
        self, job: Callable[..., T], *args: object, gone: asyncio.Future | None = None
    ) -> T:
        """Run ``job(*args)`` on a fill thread and await it.

        When ``gone`` completes first (the client hung up), ``ClientGone`` is raised: a job
        still queued never starts, and one running stops at its next ``raise_if_cancelled``
        (before encoding its result).
        """
        cancelled = threading.Event()
        future = self.submit(job, *args, cancelled=cancelled)
        result = asyncio.wrap_future(future)
        if gone is None:
            return await result
        done, _ = await asyncio.wait({result, gone}, return_when=asyncio.FIRST_COMPLETED)
        if result in done:
            return result.result()
        cancelled.set()
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
