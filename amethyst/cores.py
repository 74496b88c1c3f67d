"""How many cores this process may use: sizes thread pools in the pipeline and the server."""

from __future__ import annotations

import os


def cpu_count() -> int:
    """Cores this process may run on (affinity-aware, unlike ``os.cpu_count``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)
