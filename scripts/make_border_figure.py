"""Make docs/images/border_texture.png: object removals in 12 MP photos at 100 % around the
hole's edge, filled without and with the photo's texture carried across the edge
(``amethyst.imaging.border_texture``), beside the original.

The photos come from the shared data (see its SOURCES.md), scaled to 4000 px on their longer
side; each mask is a hand-placed ellipse. Usage:
python scripts/make_border_figure.py [--engine auto] [-o docs/images/border_texture.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from unittest.mock import patch

import cv2
import numpy as np
from PIL import Image, ImageDraw

import amethyst
from amethyst import pipeline
from amethyst.evaluation.split import DEFAULT_DATA

# (photo, ellipse centre and half-axes in the 4000 px photo, 100 % crop's top-left corner)
CASES = (
    ("sun_hays80/forest_needleleaf_sun_bjpryaalypkmqtnw.jpg", (1500, 1700, 520, 380), (1750, 1300)),
    ("sun_hays80/lift_bridge_sun_bogybasqeljvmuuy.jpg", (2000, 1900, 560, 420), (2150, 1420)),
)
SIZE = (420, 300)


def _fill(photo: np.ndarray, mask: np.ndarray, engine: str, *, carried: bool) -> np.ndarray:
    """The engine's fill with the border texture, or with that step left out."""
    step = pipeline.continue_texture if carried else lambda photo, mask, filled, scale: filled
    with patch.object(pipeline, "continue_texture", step):
        return np.asarray(amethyst.inpaint(photo, mask, engine=engine))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto")
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/images/border_texture.png"))
    args = parser.parse_args()
    titles = ("before: a line along the edge", "now: the photo's texture carried in", "original")
    rows = []
    for name, (cx, cy, ax, ay), (left, top) in CASES:
        image = Image.open(DEFAULT_DATA / name).convert("RGB")
        scale = 4000 / max(image.size)
        size = (round(image.size[0] * scale), round(image.size[1] * scale))
        photo = np.asarray(image.resize(size, Image.Resampling.LANCZOS))
        mask = np.zeros(photo.shape[:2], np.uint8)
        cv2.ellipse(mask, (cx, cy), (ax, ay), 0, 0, 360, 1, -1)
        mask = mask.astype(bool)
        window = np.s_[top : top + SIZE[1], left : left + SIZE[0]]
        panels = [
            _fill(photo, mask, args.engine, carried=False)[window],
            _fill(photo, mask, args.engine, carried=True)[window],
            photo[window],
        ]
        rows.append(panels)
    gap, label = 8, 22
    sheet = Image.new("RGB", (3 * SIZE[0] + 2 * gap, len(rows) * (SIZE[1] + label)), "white")
    draw = ImageDraw.Draw(sheet)
    for r, panels in enumerate(rows):
        y = r * (SIZE[1] + label)
        for c, panel in enumerate(panels):
            x = c * (SIZE[0] + gap)
            draw.text((x + 4, y + 5), titles[c], fill="black")
            sheet.paste(Image.fromarray(panel), (x, y + label))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.output, optimize=True)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
