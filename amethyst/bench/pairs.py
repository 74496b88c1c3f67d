"""``amethyst bench --pairs X,Y``: fill the evaluation set with two engines, write blind sheets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from amethyst.api import variants
from amethyst.bench.dataset import BenchError, build_cases
from amethyst.bench.quality import QualityRecord, score_fill, split_fill
from amethyst.bench.sheets import SheetCase, write_pair_sheets
from amethyst.bench.tally import HIGHER_IS_BETTER
from amethyst.engines import resolve
from amethyst.errors import AmethystError

SHEETS = "sheets"
KEY = "key.json"
SCORES = tuple(HIGHER_IS_BETTER)  # the scores the key keeps are those the tally compares


@dataclass(frozen=True)
class PairsRun:
    """Where the sheets and the key went, and the photos left out with why."""

    sheets: list[Path]
    sheets_dir: Path
    key: Path
    skipped: dict[str, str]


def _resolve_fill(fill: str) -> str:
    """An engine, or ``ENGINE@N`` for its fill N, with ``auto`` resolved and N counted modulo
    the engine's fills (``@0`` is the engine's usual fill, written without it)."""
    name, variant = split_fill(fill)
    engine = resolve(name)
    variant %= variants(engine)
    return f"{engine}@{variant}" if variant else engine


def parse_pair(text: str) -> tuple[str, str]:
    """``"X,Y"`` as two different fills: installed engines (``auto`` becomes the engine it
    stands for), either as ``ENGINE@N`` for the engine's fill N (``auto,auto@1``)."""
    names = [part.strip() for part in text.split(",")]
    if len(names) != 2 or not all(names):
        raise BenchError(f"--pairs takes two different engines as X,Y, got {text!r}")
    first, second = _resolve_fill(names[0]), _resolve_fill(names[1])
    if first == second:
        raise BenchError(f"--pairs takes two different engines as X,Y; {text!r} is {first} twice")
    return first, second


def sheet_cases(
    photos: list[Path], root: Path, masks: Path | None, count: int, seed: int
) -> tuple[list[SheetCase], dict[str, str]]:
    """The bench's evaluation set (as ``amethyst bench`` draws it) as sheet cases, and the
    photos that could not be loaded with why."""
    cases, skipped = [], {}
    for index, case in enumerate(build_cases(photos, root, masks, count, seed)):
        try:
            rgb, mask = case.load(seed, index, masks)
        except AmethystError as exc:
            skipped[case.name] = str(exc)
            continue
        details = {"mask": Path(case.mask_source).name, "family": case.family}
        cases.append(SheetCase(case.name, rgb, mask, details))
    if not cases:
        raise BenchError("no photo of the evaluation set could be loaded")
    return cases, skipped


def fill_cases(
    cases: list[SheetCase], engines: Sequence[str]
) -> tuple[list[QualityRecord], dict[str, list[np.ndarray | None]]]:
    """Each engine's scored fill of each case: the quality records (case by case, engine by
    engine) and the fills (None where the engine failed)."""
    fills: dict[str, list[np.ndarray | None]] = {engine: [] for engine in engines}
    records = []
    for case in cases:
        mask_name = str(case.details.get("mask", ""))
        family = str(case.details.get("family", ""))
        for engine in engines:
            record, output = score_fill(engine, case.name, mask_name, case.rgb, case.mask, family)
            records.append(record)
            fills[engine].append(output)
    return records, fills


def with_scores(
    cases: list[SheetCase], records: list[QualityRecord], pair: tuple[str, str]
) -> list[SheetCase]:
    """The cases with the scores of both fills of ``pair`` added to their details, for the key."""
    by_fill = {(r.photo, r.engine): r for r in records}
    scored = []
    for case in cases:
        scores = {}
        for engine in pair:
            record = by_fill[case.name, engine]
            scores[engine] = {s: getattr(record, s) for s in SCORES} | {"error": record.error}
        scored.append(replace(case, details={**case.details, "scores": scores}))
    return scored


def run_pairs(
    photos: list[Path],
    root: Path,
    masks: Path | None,
    count: int,
    seed: int,
    pair: tuple[str, str],
    out: Path,
) -> PairsRun:
    """Fill ``count`` photos of the evaluation set with both engines of ``pair`` and write the
    sheets to ``out/sheets`` and the key (with each fill's scores) to ``out/key.json``."""
    cases, skipped = sheet_cases(photos, root, masks, count, seed)
    records, fills = fill_cases(cases, pair)
    sheets_dir, key = out / SHEETS, out / KEY
    written = write_pair_sheets(with_scores(cases, records, pair), fills, sheets_dir, key, seed)
    return PairsRun(written, sheets_dir, key, skipped)
