"""Log every file the server process opens for writing, via a Python audit hook.

Loaded by tests with ``amethyst serve --plugin tests.server.file_audit`` to check that the
service writes no files (temporary ones included).
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger("amethyst.tests.file_audit")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_TMPFILE", 0)


def _audit(event: str, args: tuple) -> None:
    if event == "open":
        path, mode, flags = args
        writes = any(c in mode for c in "wax+") if isinstance(mode, str) else flags & WRITE_FLAGS
        if writes:
            log.warning("FILE WRITE %s", path)
    elif event in ("tempfile.mkstemp", "tempfile.mkdtemp"):
        log.warning("FILE WRITE %s", args[0])


sys.addaudithook(_audit)
