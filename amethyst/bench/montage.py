"""A montage PNG: per photo, the input with its hole tinted, then each engine's fill."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

TILE_HEIGHT = 200
LABEL_HEIGHT = 22
GAP = 4
TINT = np.array([255, 0, 160], np.float32)


def with_mask_overlay(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``rgb`` with the hole tinted magenta, as a user sees the mask they painted."""
    shown = rgb.astype(np.float32)
    shown[mask] = shown[mask] * 0.4 + TINT * 0.6
    return shown.astype(np.uint8)


def _tile(rgb: np.ndarray) -> Image.Image:
    image = Image.fromarray(rgb)
    width = max(1, round(image.width * TILE_HEIGHT / image.height))
    return image.resize((width, TILE_HEIGHT), Image.Resampling.LANCZOS)


def write_montage(
    rows: list[tuple[np.ndarray, np.ndarray, dict[str, np.ndarray | None]]],
    engines: list[str],
    path: Path,
) -> None:
    """Write ``rows`` of (photo, mask, fill per engine) as one PNG, a labelled column each.

    A failed fill (``None``) is left as a grey tile.
    """
    labels = ["input + mask", *engines]
    tiles = [
        [_tile(with_mask_overlay(rgb, mask))]
        + [
            _tile(fills[e]) if fills.get(e) is not None else _tile(np.full_like(rgb, 128))
            for e in engines
        ]
        for rgb, mask, fills in rows
    ]
    column_width = max(t.width for row in tiles for t in row)
    width = len(labels) * (column_width + GAP) + GAP
    height = LABEL_HEIGHT + len(tiles) * (TILE_HEIGHT + GAP) + GAP
    sheet = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(sheet)
    for column, label in enumerate(labels):
        draw.text((GAP + column * (column_width + GAP) + 4, 5), label, fill="black")
    for row_index, row in enumerate(tiles):
        top = LABEL_HEIGHT + row_index * (TILE_HEIGHT + GAP)
        for column, tile in enumerate(row):
            left = GAP + column * (column_width + GAP) + (column_width - tile.width) // 2
            sheet.paste(tile, (left, top))
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path, optimize=True)
