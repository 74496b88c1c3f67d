"""Request ids: one per request, echoed in ``X-Request-ID`` and stamped on every log line.

A client may send its own ``X-Request-ID`` (a short token) to tie our logs to its own; any
other value is replaced by a fresh id. The middleware also writes one access line per request.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_current_id: ContextVar[str] = ContextVar("amethyst_request_id", default="-")
access_log = logging.getLogger("amethyst.server.access")


def current_request_id() -> str:
    """The id of the request being handled here, ``-`` outside any request."""
    return _current_id.get()


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record so formats can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current_id.get()
        return True


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER.encode():
            text = value.decode("latin-1")
            return text if _SAFE_ID.match(text) else None
    return None


class RequestIdMiddleware:
    """Gives each HTTP request an id, returns it in a header and logs the request once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        token = _current_id.set(request_id)
        started = time.perf_counter()
        outcome = {"status": 0, "bytes": 0}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                headers = [h for h in message.get("headers", []) if h[0] != b"x-request-id"]
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                outcome["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "%s %s %s %d B %.0f ms",
                scope["method"],
                scope["path"],
                outcome["status"] or "-",
                outcome["bytes"],
                (time.perf_counter() - started) * 1000,
            )
            _current_id.reset(token)
