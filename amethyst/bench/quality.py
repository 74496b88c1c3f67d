"""Fill one photo's hole with one engine through ``amethyst.inpaint`` and score the fill."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from amethyst.api import inpaint
from amethyst.bench.dataset import BIN_LABELS, hole_bin
from amethyst.evaluation.metrics import hole_l1, hole_psnr, hole_ssim, texture_distance

ALL_BINS = "all"


@dataclass(frozen=True)
class QualityRecord:
    """One engine's fill of one photo: its scores, or the error it failed with."""

    engine: str
    photo: str
    mask: str
    hole_ratio: float
    seconds: float | None = None
    psnr: float | None = None
    ssim: float | None = None
    l1: float | None = None
    texture: float | None = None
    error: str | None = None

    @property
    def bin(self) -> str:
        return hole_bin(self.hole_ratio)


@dataclass(frozen=True)
class QualitySummary:
    """Mean scores of one engine over the photos of one hole-size bin (or all of them)."""

    engine: str
    bin: str
    photos: int
    failures: int
    psnr: float | None
    ssim: float | None
    l1: float | None
    texture: float | None
    median_seconds: float | None


def score_fill(
    engine: str, photo: str, mask_name: str, rgb: np.ndarray, mask: np.ndarray
) -> tuple[QualityRecord, np.ndarray | None]:
    """Fill ``mask`` in ``rgb`` with ``engine`` and score it; any exception is a failure."""
    ratio = float(mask.mean())
    start = time.perf_counter()
    try:
        output = inpaint(rgb, mask, engine)
    except Exception as exc:  # a failing engine is a result to report, not a crash
        error = f"{type(exc).__name__}: {exc}"
        return QualityRecord(engine, photo, mask_name, ratio, error=error), None
    seconds = time.perf_counter() - start
    record = QualityRecord(
        engine,
        photo,
        mask_name,
        ratio,
        seconds=seconds,
        psnr=hole_psnr(output, rgb, mask),
        ssim=hole_ssim(output, rgb, mask),
        l1=hole_l1(output, rgb, mask),
        texture=texture_distance(output, rgb, mask),
    )
    return record, output


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def _summarize(engine: str, label: str, records: list[QualityRecord]) -> QualitySummary:
    ok = [r for r in records if r.error is None]
    return QualitySummary(
        engine=engine,
        bin=label,
        photos=len(records),
        failures=len(records) - len(ok),
        psnr=_mean([r.psnr for r in ok]),
        ssim=_mean([r.ssim for r in ok]),
        l1=_mean([r.l1 for r in ok]),
        texture=_mean([r.texture for r in ok]),
        median_seconds=statistics.median([r.seconds for r in ok]) if ok else None,
    )


def summarize(records: Iterable[QualityRecord], engines: list[str]) -> list[QualitySummary]:
    """Per engine: the summary over all photos, then one per non-empty hole-size bin."""
    records = list(records)
    summaries = []
    for engine in engines:
        mine = [r for r in records if r.engine == engine]
        summaries.append(_summarize(engine, ALL_BINS, mine))
        for label in BIN_LABELS:
            in_bin = [r for r in mine if r.bin == label]
            if in_bin:
                summaries.append(_summarize(engine, label, in_bin))
    return summaries
