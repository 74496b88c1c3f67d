"""Fill one photo's hole with one engine through ``amethyst.inpaint`` and score the fill."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from amethyst.api import inpaint
from amethyst.bench.dataset import BIN_LABELS, FAMILIES, GIVEN, BenchError, hole_bin
from amethyst.evaluation.metrics import (
    haze,
    hole_l1,
    hole_psnr,
    hole_ssim,
    seam,
    texture_distance,
)

ALL_BINS = "all"
ALL_FAMILIES = "all"


@dataclass(frozen=True)
class QualityRecord:
    """One engine's fill of one photo: its scores, or the error it failed with."""

    engine: str
    photo: str
    mask: str
    hole_ratio: float
    family: str = GIVEN
    seconds: float | None = None
    psnr: float | None = None
    ssim: float | None = None
    l1: float | None = None
    texture: float | None = None
    seam: float | None = None
    haze: float | None = None  # None when the hole has no textured pixel 3 px inside it
    error: str | None = None

    @property
    def bin(self) -> str:
        return hole_bin(self.hole_ratio)


@dataclass(frozen=True)
class QualitySummary:
    """Mean scores of one engine over the photos of one mask family and hole-size bin."""

    engine: str
    family: str
    bin: str
    photos: int
    failures: int
    psnr: float | None
    ssim: float | None
    l1: float | None
    texture: float | None
    seam: float | None
    haze: float | None
    median_seconds: float | None


def split_fill(fill: str) -> tuple[str, int]:
    """``"ENGINE"`` or ``"ENGINE@N"`` (the engine's fill number N, see ``inpaint``'s
    ``variant``) as the engine's name and the variant."""
    name, at, variant = fill.partition("@")
    if not at:
        return name, 0
    if not variant.isascii() or not variant.isdigit():
        raise BenchError(f"{fill!r}: after @ comes the fill's number (0, 1, ...), not {variant!r}")
    return name, int(variant)


def score_fill(
    engine: str, photo: str, mask_name: str, rgb: np.ndarray, mask: np.ndarray, family: str
) -> tuple[QualityRecord, np.ndarray | None]:
    """Fill ``mask`` in ``rgb`` with ``engine`` (``"ENGINE@N"``: its fill N) and score it; any
    exception is a failure."""
    ratio = float(mask.mean())
    name, variant = split_fill(engine)
    start = time.perf_counter()
    try:
        output = inpaint(rgb, mask, name, variant=variant)
    except Exception as exc:  # a failing engine is a result to report, not a crash
        error = f"{type(exc).__name__}: {exc}"
        return QualityRecord(engine, photo, mask_name, ratio, family, error=error), None
    seconds = time.perf_counter() - start
    scores = fill_scores(output, rgb, mask)
    record = QualityRecord(engine, photo, mask_name, ratio, family, seconds=seconds, **scores)
    return record, output


def fill_scores(output: np.ndarray, rgb: np.ndarray, mask: np.ndarray) -> dict[str, float | None]:
    """The bench's scores of one fill against the original, by ``QualityRecord`` field name;
    haze is None when the hole has no textured pixel 3 px inside it."""
    hazed = haze(output, rgb, mask)
    return {
        "psnr": hole_psnr(output, rgb, mask),
        "ssim": hole_ssim(output, rgb, mask),
        "l1": hole_l1(output, rgb, mask),
        "texture": texture_distance(output, rgb, mask),
        "seam": seam(output, rgb, mask),
        "haze": None if np.isnan(hazed) else hazed,
    }


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(np.mean(known)) if known else None


def _summarize(
    engine: str, family: str, label: str, records: list[QualityRecord]
) -> QualitySummary:
    ok = [r for r in records if r.error is None]
    return QualitySummary(
        engine=engine,
        family=family,
        bin=label,
        photos=len(records),
        failures=len(records) - len(ok),
        psnr=_mean([r.psnr for r in ok]),
        ssim=_mean([r.ssim for r in ok]),
        l1=_mean([r.l1 for r in ok]),
        texture=_mean([r.texture for r in ok]),
        seam=_mean([r.seam for r in ok]),
        haze=_mean([r.haze for r in ok]),
        median_seconds=statistics.median([r.seconds for r in ok]) if ok else None,
    )


def summarize(records: Iterable[QualityRecord], engines: list[str]) -> list[QualitySummary]:
    """Per engine: the summary over all photos, then one per mask family when there are
    several, then one per non-empty hole-size bin (all families together)."""
    records = list(records)
    families = [f for f in (*FAMILIES, GIVEN) if any(r.family == f for r in records)]
    summaries = []
    for engine in engines:
        mine = [r for r in records if r.engine == engine]
        summaries.append(_summarize(engine, ALL_FAMILIES, ALL_BINS, mine))
        if len(families) > 1:
            for family in families:
                of_family = [r for r in mine if r.family == family]
                summaries.append(_summarize(engine, family, ALL_BINS, of_family))
        for label in BIN_LABELS:
            in_bin = [r for r in mine if r.bin == label]
            if in_bin:
                summaries.append(_summarize(engine, ALL_FAMILIES, label, in_bin))
    return summaries
