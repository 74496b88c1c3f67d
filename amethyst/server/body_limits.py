"""Bound every request body in size and in time while it streams in.

The size limit is checked against ``Content-Length`` before anything is read and against
the bytes received so far on every chunk, so an oversized upload is refused without being
held in memory. The time limit covers the whole body, so a client trickling bytes cannot
hold a request (and its place in the fill queue) for longer than ``timeout_s``.
"""

from __future__ import annotations

import asyncio
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """The request body is over the configured limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is over the limit of {limit / 1e6:g} MB")


class BodyTimeout(Exception):
    """The request body did not arrive in time."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(f"the request body did not arrive within {timeout_s:g} s")


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimitMiddleware:
    """Makes ``receive`` raise ``BodyTooLarge`` or ``BodyTimeout`` as soon as a limit is hit."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        too_large = declared is not None and declared > self.max_bytes
        deadline = time.monotonic() + self.timeout_s
        state = {"received": 0, "complete": False}

        async def bounded_receive() -> Message:
            if state["complete"]:
                # The body is in; later calls only wait for a disconnect, with no deadline.
                return await receive()
            if too_large:
                raise BodyTooLarge(self.max_bytes)
            try:
                message = await asyncio.wait_for(receive(), deadline - time.monotonic())
            except asyncio.TimeoutError:  # not the builtin before Python 3.11
                raise BodyTimeout(self.timeout_s) from None
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
                state["complete"] = not message.get("more_body", False)
            return message

        await self.app(scope, bounded_receive, send)
