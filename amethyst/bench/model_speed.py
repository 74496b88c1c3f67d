"""Time a shipped ONNX model alone (no pipeline) on one 512x512 input: the GAN's budget figure.

The issue's budget is per 512x512 fill through ONNX Runtime on this CPU, so the probe opens the
model file as the engine does (``open_session``), in a fresh process, after warm-up runs.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from amethyst.engines.gan import open_session

MODEL_SIZE = 512
WARMUP_RUNS = 5


@dataclass(frozen=True)
class ModelSpeed:
    """Wall times of one model file on a ``size`` x ``size`` input, in milliseconds."""

    model: str
    size: int
    runs: int
    median_ms: float
    min_ms: float
    max_ms: float


def model_inputs(size: int = MODEL_SIZE) -> dict[str, np.ndarray]:
    """A photo-like random image and a hole of about 8% of the frame, as the GAN takes them."""
    mask = np.zeros((1, 1, size, size), np.float32)
    mask[..., size * 2 // 5 : size * 3 // 5, size * 3 // 10 : size * 7 // 10] = 1
    image = np.random.default_rng(0).random((1, 3, size, size), dtype=np.float32)
    return {"image": image, "mask": mask}


def time_model(model: Path, size: int = MODEL_SIZE, runs: int = 30) -> ModelSpeed:
    """Time ``runs`` calls of ``model`` in this process, after ``WARMUP_RUNS`` untimed ones."""
    session = open_session(model)
    feed = model_inputs(size)
    for _ in range(WARMUP_RUNS):
        session.run(None, feed)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feed)
        times.append((time.perf_counter() - start) * 1000)
    return ModelSpeed(
        Path(model).name, size, runs, statistics.median(times), min(times), max(times)
    )


def measure_model_speed(model: Path, size: int = MODEL_SIZE, runs: int = 30) -> ModelSpeed:
    """``time_model`` in a fresh spawned process, so nothing this process holds interferes."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(time_model, model, size, runs).result()
