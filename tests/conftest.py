"""Fixtures shared across the test suite: a real ``amethyst serve`` on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server import shared_servers
from tests.server.live import LiveServer


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the shared servers the selected tests need, side by side, before the first test."""
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    shared_servers.launch(
        server for server, fixture in shared_servers.FIXTURES.items() if fixture in needed
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    shared_servers.stop_all()


@pytest.fixture(scope="session")
def live_server_process() -> Iterator[LiveServer]:
    """The session's ``amethyst serve --engine telea`` process (URL, log, stop)."""
    yield shared_servers.ready("live")
    shared_servers.stop("live")


@pytest.fixture(scope="session")
def live_server(live_server_process: LiveServer) -> str:
    """Base URL (``http://127.0.0.1:PORT``) of a real server, ready to answer."""
    return live_server_process.url
