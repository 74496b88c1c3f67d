"""How many cores this process may use, and running work on them: sizes thread pools in the
pipeline and the server."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

_T = TypeVar("_T")
_R = TypeVar("_R")


def cpu_count() -> int:
    """Cores this process may run on (affinity-aware, unlike ``os.cpu_count``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)


def map_on_cores(work: Callable[[_T], _R], items: Sequence[_T], cores: int) -> list[_R]:
    """``work`` on every item, in order: at once on up to ``cores`` threads (in turn on one).
    For work that releases the GIL (OpenCV, ctypes, ONNX Runtime). The first failure is
    raised after every item has finished."""
    workers = min(len(items), cores)
    if workers <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(work, items))
