"""Fixtures shared across the test suite: a real ``amethyst serve`` on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server.live import LiveServer, start_server


@pytest.fixture(scope="session")
def live_server_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The session's ``amethyst serve --engine telea`` process (URL, log, stop)."""
    server = start_server(
        tmp_path_factory.mktemp("live-server"),
        "--engine", "telea",
        "--plugin", "tests.server.file_audit",  # logs any file the server writes
    )  # fmt: skip
    yield server
    server.terminate()


@pytest.fixture(scope="session")
def live_server(live_server_process: LiveServer) -> str:
    """Base URL (``http://127.0.0.1:PORT``) of a real server, ready to answer."""
    return live_server_process.url
