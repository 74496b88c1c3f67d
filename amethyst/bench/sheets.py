"""Blind side-by-side sheets: per photo, [input with the hole grey | A | B], engines hidden.

The sheets folder holds only what a reviewer may see: the sheets, an answers template and
the instructions. Which engine is A and which is B lives in a separate key file, outside it.
A and B are assigned in a seeded, balanced random order: each engine is on the left in half
of the sheets, so a reviewer who favours one side favours neither engine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

HOLE_GREY = (128, 128, 128)
BACKGROUND = (32, 32, 32)
LABEL_COLOUR = (235, 235, 235)
CONTEXT = 0.5  # context kept on each side of the hole, as a share of the hole's extent
MIN_CONTEXT = 48  # pixels
MIN_SIDE = 320  # a crop is at least this wide and tall, where the photo allows
MAX_WIDTH = 1600  # a wider crop is shrunk to this width; smaller ones stay at 100 %
GAP = 12
LABEL_HEIGHT = 36
SHEET_PREFIX = "sheet-"
ANSWERS = "answers.csv"
INSTRUCTIONS = "README.txt"
LABELS = ("input (hole in grey)", "A", "B")
INSTRUCTIONS_TEXT = """\
Each sheet shows, left to right: a photo with a region painted grey, then two different
fills of that region, A and B, at the same scale (100 % unless the crop is very large).

For each sheet, decide which fill looks more like an untouched photo when viewed at 100 %:
no smear or haze, no visible seam where the fill meets the photo, no broken lines or shapes,
no obviously repeated patch. Write A, B or tie in answers.csv next to the sheet's name.
Judge each sheet on its own; the sides are shuffled from sheet to sheet.

Reviewers tend to favour whichever fill is on the left. Where the two are close, compare
crops of the same region of A and B in both orders, and answer tie if your choice follows
the side rather than the fill.
"""


@dataclass(frozen=True)
class SheetCase:
    """One photo and its hole; ``details`` (the photo's name, mask family...) go in the key."""

    name: str
    rgb: np.ndarray  # HxWx3 uint8, the original
    mask: np.ndarray  # HxW bool, the hole
    details: Mapping[str, Any] = field(default_factory=dict)


def _span(low: int, high: int, size: int) -> tuple[int, int]:
    """``[low, high)`` widened by context and to ``MIN_SIDE``, then kept inside ``[0, size)``."""
    pad = max(MIN_CONTEXT, round(CONTEXT * (high - low)))
    low, high = low - pad, high + pad
    if high - low < MIN_SIDE:
        grow = MIN_SIDE - (high - low)
        low, high = low - grow // 2, high + grow - grow // 2
    if low < 0:
        low, high = 0, high - low
    if high > size:
        low, high = max(0, low - (high - size)), size
    return low, high


def crop_box(mask: np.ndarray) -> tuple[int, int, int, int]:
    """``(left, top, right, bottom)`` around the hole with context, inside the photo."""
    rows, cols = np.nonzero(mask)
    if rows.size == 0:
        raise ValueError("the mask is empty: there is no hole to show")
    top, bottom = _span(int(rows.min()), int(rows.max()) + 1, mask.shape[0])
    left, right = _span(int(cols.min()), int(cols.max()) + 1, mask.shape[1])
    return left, top, right, bottom


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def render_sheet(
    rgb: np.ndarray, mask: np.ndarray, fill_a: np.ndarray, fill_b: np.ndarray
) -> Image.Image:
    """[input with the hole grey | A | B], cropped around the hole, labelled above."""
    shown = rgb.copy()
    shown[mask] = HOLE_GREY
    left, top, right, bottom = crop_box(mask)
    panels = [Image.fromarray(p[top:bottom, left:right]) for p in (shown, fill_a, fill_b)]
    width, height = panels[0].size
    if width > MAX_WIDTH:
        height = max(1, round(height * MAX_WIDTH / width))
        width = MAX_WIDTH
        panels = [p.resize((width, height), Image.Resampling.LANCZOS) for p in panels]
    sheet = Image.new("RGB", (3 * width + 4 * GAP, height + LABEL_HEIGHT + GAP), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = _font(22)
    for column, (panel, label) in enumerate(zip(panels, LABELS, strict=True)):
        x = GAP + column * (width + GAP)
        draw.text((x, 6), label, fill=LABEL_COLOUR, font=font)
        sheet.paste(panel, (x, LABEL_HEIGHT))
    return sheet


def _clear(sheets: Path) -> None:
    """Remove an earlier run's sheets, answers template and instructions from ``sheets``."""
    for old in [*sheets.glob(f"{SHEET_PREFIX}*.png"), sheets / ANSWERS, sheets / INSTRUCTIONS]:
        old.unlink(missing_ok=True)


def _left_first(count: int, seed: int) -> list[bool]:
    """Per sheet, whether the first engine is A: balanced (half each), order seeded."""
    rng = np.random.default_rng(seed)
    flags = np.arange(count) < (count + int(rng.integers(2))) // 2
    return [bool(f) for f in rng.permutation(flags)]


def write_pair_sheets(
    cases: Sequence[SheetCase],
    fills: Mapping[str, Sequence[np.ndarray | None]],
    sheets: Path,
    key_path: Path,
    seed: int = 0,
) -> list[Path]:
    """Write one blind sheet per case into ``sheets`` (with ``answers.csv`` and ``README.txt``
    for the reviewer) and the key, which engine is A and B on each sheet, to ``key_path``.

    ``fills`` maps exactly two engine names to their fills, one per case in order (HxWx3
    uint8, the whole photo); a case where either fill is None (a failure) gets no sheet and is
    listed in the key's ``skipped``. Returns the sheets' paths.
    """
    if len(fills) != 2:
        raise ValueError(f"give the fills of exactly two engines, got {len(fills)}")
    engines = list(fills)
    if any(len(fills[e]) != len(cases) for e in engines):
        raise ValueError("give one fill (or None) per case for each engine")
    sheets, key_path = Path(sheets), Path(key_path)
    if key_path.resolve().is_relative_to(sheets.resolve()):
        raise ValueError(f"the key {key_path} must not be inside the sheets folder {sheets}")
    sheets.mkdir(parents=True, exist_ok=True)
    _clear(sheets)
    key: dict[str, Any] = {"engines": engines, "seed": seed, "sheets": {}, "skipped": {}}
    usable = []
    for i, case in enumerate(cases):
        failed = [e for e in engines if fills[e][i] is None]
        if failed:
            key["skipped"][case.name] = f"no fill from {', '.join(failed)}"
        else:
            usable.append(i)
    first_is_a = _left_first(len(usable), seed)
    written = []
    for number, (i, a_first) in enumerate(zip(usable, first_is_a, strict=True), start=1):
        case = cases[i]
        a, b = engines if a_first else engines[::-1]
        name = f"{SHEET_PREFIX}{number:03d}"
        sheet = render_sheet(case.rgb, case.mask, fills[a][i], fills[b][i])
        path = sheets / f"{name}.png"
        sheet.save(path, optimize=True)
        written.append(path)
        key["sheets"][name] = {
            "A": a,
            "B": b,
            "photo": case.name,
            "hole_ratio": round(float(case.mask.mean()), 4),
            **case.details,
        }
    (sheets / ANSWERS).write_text(
        "sheet,answer\n" + "".join(f"{p.stem},\n" for p in written), encoding="utf-8"
    )
    (sheets / INSTRUCTIONS).write_text(INSTRUCTIONS_TEXT, encoding="utf-8")
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_text(json.dumps(key, indent=2) + "\n", encoding="utf-8")
    return written
