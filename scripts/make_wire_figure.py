"""Make docs/images/wires.png: two wires painted across a 12 MP photo, filled with the region
shrunk whole to the working size (as before ``amethyst.tiles``) and in tiles (now), at 100 %.

The photo is the bundled example (public domain) scaled to 4000x3000. Usage:
python scripts/make_wire_figure.py [--engine auto] [-o docs/images/wires.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from unittest.mock import patch

import cv2
import numpy as np
from PIL import Image, ImageDraw

import amethyst
from amethyst import tiles

EXAMPLE = Path(amethyst.__file__).parent / "examples" / "rocket.jpg"
# 100 % crops (x, y) of 520x320 px: where the slanted wire crosses the rocket, and a tower where
# the two wires cross.
CROPS = ((1740, 1690), (2700, 1980))
SIZE = (520, 320)


def _wires(height: int, width: int) -> np.ndarray:
    mask = np.zeros((height, width), np.uint8)
    cv2.line(mask, (0, 1250), (width - 1, 2450), 1, 10)
    cv2.line(mask, (3100, 0), (2900, height - 1), 1, 7)
    return mask.astype(bool)


def _fill(photo: np.ndarray, mask: np.ndarray, engine: str, *, tiled: bool) -> np.ndarray:
    """The engine's fill, in tiles or (with no tiles allowed) with the region shrunk whole."""
    with patch.object(tiles, "MAX_TILES", tiles.MAX_TILES if tiled else 0):
        return np.asarray(amethyst.inpaint(photo, mask, engine=engine))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto")
    parser.add_argument("-o", "--out", type=Path, default=Path("docs/images/wires.png"))
    args = parser.parse_args()
    photo = np.asarray(Image.open(EXAMPLE).convert("RGB").resize((4000, 3000), Image.BICUBIC))
    mask = _wires(*photo.shape[:2])
    painted = photo.copy()
    painted[mask] = (255, 0, 255)
    columns = {
        "painted (12 MP, 100 %)": painted,
        "region shrunk whole (before)": _fill(photo, mask, args.engine, tiled=False),
        "in tiles (now)": _fill(photo, mask, args.engine, tiled=True),
    }
    width, height = SIZE
    figure = Image.new("RGB", (width * len(columns), (height + 24) * len(CROPS)), "white")
    draw = ImageDraw.Draw(figure)
    for row, (x, y) in enumerate(CROPS):
        top = row * (height + 24)
        for column, (title, image) in enumerate(columns.items()):
            crop = Image.fromarray(image[y : y + height, x : x + width])
            figure.paste(crop, (column * width, top + 24))
            draw.text((column * width + 6, top + 6), title, fill="black")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figure.save(args.out, optimize=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
