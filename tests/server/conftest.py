"""A second real server with tight limits and the test-only engines, shared by server tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server.live import LiveServer, start_server

TIGHT_ARGS = (
    "--engine", "telea",
    "--threads", "1",
    "--queue", "1",
    "--max-body-mb", "1",
    "--max-megapixels", "0.1",
    "--body-timeout", "1.5",
    "--plugin", "tests.server.fault_engines",
)  # fmt: skip


@pytest.fixture(scope="session")
def tight_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One fill thread, one queue place, 1 MB bodies, 0.1 MP images, 1.5 s to send a body,
    and the ``test-slow`` (1 s) and ``test-raising`` engines."""
    server = start_server(
        tmp_path_factory.mktemp("tight-server"), *TIGHT_ARGS, env={"AMETHYST_TEST_SLOW_S": "1"}
    )
    yield server
    server.terminate()
