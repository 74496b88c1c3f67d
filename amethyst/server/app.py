"""The FastAPI application: routes, error answers, limits, request ids and the web editor."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from amethyst import __version__
from amethyst.server.body_limits import BodyLimitMiddleware
from amethyst.server.engine_loading import EngineLoader
from amethyst.server.error_responses import install_error_handlers
from amethyst.server.fill_pool import FillPool
from amethyst.server.request_context import REQUEST_ID_HEADER, RequestIdMiddleware
from amethyst.server.routes import complete_image, inpaint, status
from amethyst.server.settings import Settings
from amethyst.server.static_files import WebEditorFiles

EXPOSED_HEADERS = [
    REQUEST_ID_HEADER,
    "Retry-After",
    "X-Amethyst-Engine",
    "X-Amethyst-Size",
    "X-Amethyst-Elapsed-Ms",
    "X-Amethyst-Notes",
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready-to-serve app; engines load in the background once it starts."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engines.start()
        yield
        app.state.pool.shutdown()

    app = FastAPI(
        title="Amethyst",
        version=__version__,
        summary="Remove unwanted things from photos: paint a mask, get the hole filled.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.pool = FillPool(settings.fill_threads, settings.queue)
    app.state.engines = EngineLoader(settings.engine, settings.plugins)
    install_error_handlers(app)
    app.include_router(status.router)
    app.include_router(inpaint.router)
    app.include_router(complete_image.router)
    # Added inside out: request ids wrap everything, so limits and CORS answers carry one.
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=settings.max_body_bytes, timeout_s=settings.body_timeout_s
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", REQUEST_ID_HEADER],
            expose_headers=EXPOSED_HEADERS,
        )
    app.add_middleware(RequestIdMiddleware)
    if settings.static_dir is not None and settings.static_dir.is_dir():
        # The router's fallback rather than a mount at "/": a wrong method on an API path
        # still answers 405 instead of falling through to a static 404.
        app.router.default = WebEditorFiles(settings.static_dir)
    return app


def app_from_environment() -> FastAPI:
    """The app for ``AMETHYST_*`` settings: what each uvicorn worker process builds."""
    return create_app(Settings.from_env())
