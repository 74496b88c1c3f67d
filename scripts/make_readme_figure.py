"""Make the README's before/after picture from the bundled example photo and mask.

Usage: python scripts/make_readme_figure.py [--engine auto] [-o docs/images/before_after.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

import amethyst
from amethyst.engines import resolve

EXAMPLES = Path(amethyst.__file__).parent / "examples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto")
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/images/before_after.png"))
    args = parser.parse_args()
    photo = Image.open(EXAMPLES / "rocket.jpg").convert("RGB")
    mask = np.asarray(Image.open(EXAMPLES / "rocket_mask.png")) > 0
    result = amethyst.inpaint(photo, mask, engine=args.engine)
    painted = np.asarray(photo).copy()
    painted[mask] = (0.45 * painted[mask] + 0.55 * np.array([255, 0, 255])).astype(np.uint8)
    panels = [Image.fromarray(painted), result]
    width, height = photo.size
    figure = Image.new("RGB", (2 * width + 8, height + 28), "white")
    draw = ImageDraw.Draw(figure)
    for i, (panel, title) in enumerate(
        zip(panels, ("painted", f"amethyst ({resolve(args.engine)})"), strict=True)
    ):
        figure.paste(panel, (i * (width + 8), 28))
        draw.text((i * (width + 8) + 6, 8), title, fill="black")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    figure.save(args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
