"""Every error the service answers, as JSON ``{"error": ..., "request_id": ...}``.

Domain errors map to the 4xx that says whose fault it is; anything unexpected is a 500 that
carries the request id, and its traceback is logged under that id.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect

from amethyst.errors import (
    EngineFailure,
    ImageTooLarge,
    InvalidImage,
    InvalidMask,
    UnknownEngine,
)
from amethyst.server.body_limits import BodyTimeout, BodyTooLarge
from amethyst.server.fill_pool import Busy, ClientGone
from amethyst.server.request_context import current_request_id

log = logging.getLogger("amethyst.server")

# nginx's code for "client closed the request": logged, never seen by the client.
CLIENT_CLOSED = 499


class BadRequest(Exception):
    """The request is malformed: not JSON, not base64, a field missing or of the wrong type."""


class UnsupportedMediaType(Exception):
    """The body is neither JSON nor a multipart form."""


class NotReady(Exception):
    """Engines are still loading (or failed to load)."""


class ServiceFault(Exception):
    """Something failed on our side while handling a valid-looking request."""


STATUS_BY_ERROR: dict[type[Exception], int] = {
    BadRequest: 400,
    MultiPartException: 400,
    BodyTimeout: 408,
    BodyTooLarge: 413,
    ImageTooLarge: 413,
    UnsupportedMediaType: 415,
    InvalidImage: 422,
    InvalidMask: 422,
    UnknownEngine: 422,
    EngineFailure: 500,
    ServiceFault: 500,
    Busy: 503,
    NotReady: 503,
}


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The JSON body every error shares."""
    body = {"error": message, "request_id": current_request_id()}
    return JSONResponse(body, status_code=status, headers=headers)


def _status_for(exc: Exception) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    status = _status_for(exc)
    headers = None
    if isinstance(exc, Busy):
        headers = {"Retry-After": str(exc.retry_after_s)}
    elif isinstance(exc, NotReady):
        headers = {"Retry-After": "1"}
    if status >= 500 and status != 503:
        log.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
        return error_response(status, "the fill failed on the server; quote the request id")
    log.info("%s %s refused with %d: %s", request.method, request.url.path, status, exc)
    return error_response(status, str(exc) or type(exc).__name__, headers)


async def _client_gone(request: Request, exc: Exception) -> JSONResponse:
    log.info("%s %s: the client went away (%s)", request.method, request.url.path, exc)
    return error_response(CLIENT_CLOSED, "the client disconnected")


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    return error_response(exc.status_code, str(exc.detail), exc.headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s crashed: %s", request.method, request.url.path, exc, exc_info=exc)
    return error_response(500, "internal error; quote the request id")


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception to its JSON answer."""
    for error in STATUS_BY_ERROR:
        app.add_exception_handler(error, _domain_error)
    app.add_exception_handler(ClientDisconnect, _client_gone)
    app.add_exception_handler(ClientGone, _client_gone)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
