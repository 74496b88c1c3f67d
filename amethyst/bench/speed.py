"""Time each engine on a 512x512 photo and a 12 MP one, and take its peak memory.

Every (engine, size) runs in a fresh spawned process. Peak memory is the process's peak
resident set size (Linux ``VmHWM``, reset just before the first call) minus its resident size
at that moment, inputs already in memory: what the engine and the pipeline add. It is not
measured where ``/proc`` is missing.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from amethyst.imaging.io import decode_image
from amethyst.imaging.modes import to_rgb

OBJECT_RATIO = 0.05
DEFAULT_SIZES = ((512, 512), (4000, 3000))


@dataclass(frozen=True)
class SpeedRecord:
    """Timings of one engine at one photo size (seconds), the first call apart."""

    engine: str
    width: int
    height: int
    hole_ratio: float
    first_seconds: float | None
    median_seconds: float | None
    min_seconds: float | None
    max_seconds: float | None
    peak_mib: float | None
    error: str | None = None

    @property
    def size(self) -> str:
        return f"{self.width}x{self.height}"


def object_mask(height: int, width: int, ratio: float = OBJECT_RATIO) -> np.ndarray:
    """An upright ellipse covering about ``ratio`` of the frame, off-centre: a removed object."""
    mask = np.zeros((height, width), np.uint8)
    semi_minor = np.sqrt(ratio * height * width / (np.pi * 0.75))
    axes = (max(1, int(round(semi_minor * 0.75))), max(1, int(round(semi_minor))))
    cv2.ellipse(mask, (int(width * 0.6), int(height * 0.55)), axes, 0, 0, 360, 1, -1)
    return mask.astype(bool)


def speed_photo(photo: Path, width: int, height: int) -> np.ndarray:
    """``photo`` cropped to the aspect of ``width`` x ``height`` and resized to it."""
    image = Image.fromarray(to_rgb(decode_image(photo).image))
    scale = max(width / image.width, height / image.height)
    resized = image.resize(
        (max(width, round(image.width * scale)), max(height, round(image.height * scale))),
        Image.Resampling.BICUBIC,
    )
    left, top = (resized.width - width) // 2, (resized.height - height) // 2
    return np.asarray(resized.crop((left, top, left + width, top + height)))


def _status_kib(field: str) -> int | None:
    """A ``/proc/self/status`` memory field in KiB (Linux), or None elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> None:
    """Set the peak resident size (VmHWM) to the current one, so setup peaks do not count."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        pass  # an older kernel: the peak may then include the setup's, an overestimate


def _probe(engine: str, photo: Path, width: int, height: int, repeats: int) -> SpeedRecord:
    """Runs in a fresh process: a first call (loads the engine) timed apart, then ``repeats``."""
    from amethyst.api import inpaint

    rgb = speed_photo(photo, width, height)
    mask = object_mask(height, width)
    ratio = float(mask.mean())
    _reset_peak()
    baseline = _status_kib("VmRSS")
    try:
        start = time.perf_counter()
        inpaint(rgb, mask, engine)
        first = time.perf_counter() - start
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            inpaint(rgb, mask, engine)
            times.append(time.perf_counter() - start)
    except Exception as exc:  # reported as this engine's failure at this size
        error = f"{type(exc).__name__}: {exc}"
        return SpeedRecord(engine, width, height, ratio, None, None, None, None, None, error)
    peak = _status_kib("VmHWM")
    peak_mib = None if peak is None or baseline is None else max(0, peak - baseline) / 1024
    return SpeedRecord(
        engine,
        width,
        height,
        ratio,
        first,
        statistics.median(times),
        min(times),
        max(times),
        peak_mib,
    )


def measure_speed(engine: str, photo: Path, width: int, height: int, repeats: int) -> SpeedRecord:
    """Time ``engine`` on ``photo`` resized to ``width`` x ``height`` in a fresh process."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_probe, engine, photo, width, height, repeats).result()
