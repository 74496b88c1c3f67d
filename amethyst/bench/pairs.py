"""``amethyst bench --pairs X,Y``: fill the evaluation set with two engines, write blind sheets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from amethyst.bench.dataset import BenchError, build_cases
from amethyst.bench.quality import score_fill
from amethyst.bench.runner import select_engines
from amethyst.bench.sheets import SheetCase, write_pair_sheets
from amethyst.errors import AmethystError

SHEETS = "sheets"
KEY = "key.json"
SCORES = ("psnr", "ssim", "texture", "seam", "haze")


@dataclass(frozen=True)
class PairsRun:
    """Where the sheets and the key went, and the photos left out with why."""

    sheets: list[Path]
    sheets_dir: Path
    key: Path
    skipped: dict[str, str]


def parse_pair(text: str) -> tuple[str, str]:
    """``"X,Y"`` as two different engine names."""
    names = [part.strip() for part in text.split(",")]
    if len(names) != 2 or not all(names) or names[0] == names[1]:
        raise BenchError(f"--pairs takes two different engines as X,Y, got {text!r}")
    return names[0], names[1]


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
    engines, missing = select_engines(list(pair))
    if missing:
        name, why = next(iter(missing.items()))
        raise BenchError(f"engine {name!r} cannot run here: {why}")
    cases = build_cases(photos, root, masks, count, seed)
    sheet_cases: list[SheetCase] = []
    fills: dict[str, list[np.ndarray | None]] = {engine: [] for engine in pair}
    skipped: dict[str, str] = {}
    for index, case in enumerate(cases):
        try:
            rgb, mask = case.load(seed, index, masks)
        except AmethystError as exc:
            skipped[case.name] = str(exc)
            continue
        mask_name = Path(case.mask_source).name
        scores = {}
        for engine in pair:
            record, output = score_fill(engine, case.name, mask_name, rgb, mask, case.family)
            fills[engine].append(output)
            scores[engine] = {s: getattr(record, s) for s in SCORES} | {"error": record.error}
        details = {"mask": mask_name, "family": case.family, "scores": scores}
        sheet_cases.append(SheetCase(case.name, rgb, mask, details))
    if not sheet_cases:
        raise BenchError("no photo of the evaluation set could be loaded")
    sheets_dir, key = out / SHEETS, out / KEY
    written = write_pair_sheets(sheet_cases, fills, sheets_dir, key, seed)
    return PairsRun(written, sheets_dir, key, skipped)
