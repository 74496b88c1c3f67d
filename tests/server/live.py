"""Start a real ``amethyst serve`` process on a free loopback port, for tests and scripts."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """An ``amethyst serve`` subprocess: its URL, its log, and how to stop it.

    It runs in ``workdir`` with ``TMPDIR`` pointing at an empty folder, so tests can check
    that the service writes no files. Extra ``args`` go to ``amethyst serve``.
    """

    def __init__(self, workdir: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        self.tmpdir = workdir / "tmp"
        self.run_dir = workdir / "cwd"
        self.log_path = workdir / "server.log"
        self.tmpdir.mkdir(parents=True, exist_ok=True)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        environment = {
            **os.environ,
            "TMPDIR": str(self.tmpdir),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
            "PYTHONDONTWRITEBYTECODE": "1",
            **(env or {}),
        }
        command = [sys.executable, "-m", "amethyst.cli.main", "serve", "--port", str(self.port)]
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [*command, *args],
            cwd=self.run_dir,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout_s: float = 60.0, in_a_row: int = 1) -> None:
        """Block until ``/healthz`` answers 200 ``in_a_row`` times running (each on a new
        connection, so with several worker processes more of them get asked); raise with the
        log if it never does."""
        deadline = time.monotonic() + timeout_s
        ready = 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited early:\n{self.log()}")
            try:
                ok = httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200
            except httpx.TransportError:
                ok = False
            ready = ready + 1 if ok else 0
            if ready >= in_a_row:
                return
            time.sleep(0.1 if not ok else 0.02)
        raise RuntimeError(f"the server was not ready after {timeout_s} s:\n{self.log()}")

    def log(self) -> str:
        """Everything the server logged so far."""
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, pattern: str, timeout_s: float = 10.0) -> str:
        """The log once ``pattern`` appears in it: a line may land just after the response
        that it describes has reached the client."""
        deadline = time.monotonic() + timeout_s
        while not re.search(pattern, self.log()):
            assert time.monotonic() < deadline, f"{pattern!r} never logged:\n{self.log()[-3000:]}"
            time.sleep(0.02)
        return self.log()

    def terminate(self, timeout_s: float = 30.0) -> int:
        """SIGTERM, wait, and return the exit status (SIGKILL if it will not stop)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode


def start_server(workdir: Path, *args: str, env: dict[str, str] | None = None) -> LiveServer:
    """A started and ready ``LiveServer``."""
    server = LiveServer(workdir, *args, env=env)
    try:
        server.wait_ready()
    except Exception:
        server.terminate()
        raise
    return server


def wait_idle(url: str, timeout_s: float = 15.0) -> dict:
    """Wait until no request holds a fill place; return the last ``/healthz`` answer."""
    deadline = time.monotonic() + timeout_s
    while True:
        health = httpx.get(f"{url}/healthz", timeout=5).json()
        if health["admitted"] == 0 and health["running"] == 0:
            return health
        if time.monotonic() > deadline:
            raise AssertionError(f"the server is still busy: {health}")
        time.sleep(0.05)
