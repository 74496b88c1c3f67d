"""A second real server with tight limits and the test-only engines, shared by server tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server import shared_servers
from tests.server.live import LiveServer


@pytest.fixture(scope="session")
def tight_server() -> Iterator[LiveServer]:
    """One fill thread, one queue place, 1 MB bodies, 0.1 MP images, 1.5 s to send a body,
    the ``test-slow`` (1 s) and ``test-raising`` engines, CORS for one origin, and a web
    folder with symlinks (``shared_servers.make_web_dir``)."""
    yield shared_servers.ready("tight")
    shared_servers.stop("tight")
