"""``amethyst serve``: the web service and the web editor under uvicorn."""

from __future__ import annotations

import importlib
import os
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from amethyst.errors import UnknownEngine
from amethyst.imaging.io import DEFAULT_MAX_PIXELS


def _stopped(signum: int, frame: object) -> None:
    sys.exit(0)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    engine: Annotated[
        str, typer.Option("--engine", "-e", help="Engine used when a request says 'auto'.")
    ] = "auto",
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes, each with its own fill threads.")
    ] = 1,
    threads: Annotated[
        int, typer.Option(min=0, help="Fill threads per worker; 0: cores divided by workers.")
    ] = 0,
    queue: Annotated[
        int, typer.Option(min=0, help="Fills that may wait per worker before 503 Busy.")
    ] = 32,
    max_body_mb: Annotated[float, typer.Option(min=0.001, help="Largest request body.")] = 30.0,
    max_megapixels: Annotated[
        float, typer.Option(min=0.001, help="Largest image, checked before decoding.")
    ] = DEFAULT_MAX_PIXELS / 1e6,
    body_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a client has to send its whole body.")
    ] = 60.0,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(help="Allow browser calls from this origin (repeat; '*' for any). Off."),
    ] = None,
    web: Annotated[bool, typer.Option(help="Serve the web editor at /.")] = True,
    web_dir: Annotated[
        Path | None, typer.Option(help="Serve this folder at / instead of the bundled editor.")
    ] = None,
    plugin: Annotated[
        list[str] | None,
        typer.Option(help="Import this module at start-up, e.g. to register an engine (repeat)."),
    ] = None,
    graceful_timeout: Annotated[
        float, typer.Option(help="On SIGTERM, seconds to let requests in flight finish.")
    ] = 30.0,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
) -> None:
    """Serve /complete-image, /api/v1 and the web editor over HTTP."""
    import uvicorn

    from amethyst.cores import cpu_count
    from amethyst.engines import resolve
    from amethyst.server.log_config import log_config
    from amethyst.server.settings import STATIC_DIR, Settings

    plugins = tuple(plugin or ())
    if web and web_dir is not None and not web_dir.is_dir():
        typer.echo(f"error: {web_dir} is not a folder", err=True)
        raise typer.Exit(code=1)
    for module in plugins:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            typer.echo(f"error: cannot import plugin {module!r}: {exc}", err=True)
            raise typer.Exit(code=1) from None
    try:
        resolve(engine)
    except UnknownEngine as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    settings = Settings(
        engine=engine,
        threads=threads or max(1, cpu_count() // workers),
        queue=queue,
        max_body_bytes=int(max_body_mb * 1e6),
        max_pixels=int(max_megapixels * 1e6),
        body_timeout_s=body_timeout,
        cors_origins=tuple(cors_origin or ()),
        static_dir=(web_dir or STATIC_DIR) if web else None,
        plugins=plugins,
    )
    # Worker processes build their app from these variables (uvicorn re-imports the factory).
    os.environ.update(settings.to_env())
    # uvicorn re-raises SIGTERM once it has shut down gracefully: make that a clean exit 0.
    signal.signal(signal.SIGTERM, _stopped)
    uvicorn.run(
        "amethyst.server.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=log_config(log_level),
        timeout_graceful_shutdown=graceful_timeout,
        # Worker processes import numpy, OpenCV and the engines before answering the
        # supervisor's first ping; on a busy machine that takes longer than uvicorn's 5 s.
        timeout_worker_healthcheck=60,
        # Idle keep-alive connections outlive the clients' own expiry (httpx: 5 s, uvicorn's
        # default too): otherwise a client can reuse a connection the server is closing that
        # instant and get a read error instead of an answer.
        timeout_keep_alive=75,
        server_header=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the command line."""
    app.command()(serve)
