"""What every fill endpoint shares: a place in the fill pool, and running the job there."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from starlette.requests import Request

from amethyst.server.fill_pool import FillPool

T = TypeVar("T")


async def fill_place(request: Request) -> AsyncIterator[None]:
    """Hold a place in the pool for this request (503 when none is free), body read included."""
    pool: FillPool = request.app.state.pool
    pool.admit()
    try:
        yield
    finally:
        pool.release()


async def _disconnected(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def run_fill(request: Request, job: Callable[..., T], *args: object) -> T:
    """Run ``job`` on a fill thread; drop it if the client hangs up before it starts."""
    pool: FillPool = request.app.state.pool
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        return await pool.run(job, *args, gone=gone)
    finally:
        gone.cancel()
