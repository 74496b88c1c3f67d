"""Make docs/images/keep_out.png: the beach of the hard cases (scripts/make_hard_cases.py) with
the woman beside the removed man kept out of the fill (``keep_out``), at 2x.

Panels: the painted photo (magenta: remove; green: keep out), ``auto``'s usual fill, and the
fill with ``keep_out``. Usage: python scripts/make_keep_out_figure.py [-o PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np
from make_hard_cases import CASES, _mask
from PIL import Image, ImageDraw

import amethyst
from amethyst.evaluation.split import DEFAULT_DATA

BEACH = "a figure on a beach"
# The woman beside him, roughly painted over as a user would.
WOMAN = [
    (195, 95), (240, 95), (248, 140), (250, 230), (244, 300), (196, 300), (190, 200), (196, 140)
]  # fmt: skip
CROP = (slice(60, 320), slice(150, 360))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/images/keep_out.png"))
    args = parser.parse_args()
    path, polygon = CASES[BEACH]
    photo = Image.open(DEFAULT_DATA / path).convert("RGB")
    mask = _mask(photo.size, polygon)
    woman = np.zeros(mask.shape, np.uint8)
    cv2.fillPoly(woman, [np.array(WOMAN, np.int32)], 1)
    keep_out = woman.astype(bool) & ~mask
    painted = np.asarray(photo).copy()
    for area, colour in ((mask, (255, 0, 255)), (keep_out, (34, 197, 94))):
        painted[area] = (0.45 * painted[area] + 0.55 * np.array(colour)).astype(np.uint8)
    panels = [
        ("painted (green: Keep)", painted),
        ("auto", np.asarray(amethyst.inpaint(photo, mask))),
        ("auto, keep_out", np.asarray(amethyst.inpaint(photo, mask, keep_out=keep_out))),
    ]
    height, width = (s.stop - s.start for s in CROP)
    figure = Image.new("RGB", (len(panels) * (2 * width + 8), 2 * height + 24), "white")
    draw = ImageDraw.Draw(figure)
    for i, (label, panel) in enumerate(panels):
        crop = Image.fromarray(np.ascontiguousarray(panel[CROP]))
        crop = crop.resize((2 * width, 2 * height), Image.Resampling.NEAREST)
        figure.paste(crop, (i * (2 * width + 8), 24))
        draw.text((i * (2 * width + 8) + 6, 6), label, fill="black")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    figure.save(args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
