"""Make docs/images/hard_cases.png: removals users try first (a figure on a beach, a boat on open
water across the horizon, an object in front of a fence), each engine at 100 %.

The photos are ImageNet samples from the shared training data (see its SOURCES.md); the masks
are hand-drawn polygons, as a user would paint them. Usage:
python scripts/make_hard_cases.py [--engine gan --engine patchmatch --engine auto] [-o PATH]
python scripts/make_hard_cases.py --variants [--engine auto] -o docs/images/try_another.png
(``--variants``: every fill the engine gives each case, as "Try another" shows them in turn)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

import amethyst
from amethyst.engines import resolve
from amethyst.evaluation.split import DEFAULT_DATA

CASES = {
    "a figure on a beach": (
        "imagenet_samples/n09421951_sandbar.JPEG",
        [
            (245, 98),
            (278, 98),
            (282, 134),
            (302, 142),
            (318, 214),
            (306, 226),
            (302, 262),
            (308, 298),
            (248, 300),
            (244, 256),
            (238, 150),
        ],
    ),
    "a boat on open water, across the horizon": (
        "imagenet_samples/n04612504_yawl.JPEG",
        [
            (352, 70),
            (296, 160),
            (290, 232),
            (262, 236),
            (268, 270),
            (295, 345),
            (405, 345),
            (405, 268),
            (426, 234),
            (392, 148),
            (360, 72),
        ],
    ),
    "a basket in front of a fence": (
        "imagenet_samples/n03930313_picket_fence.JPEG",
        [(122, 136), (200, 78), (292, 38), (334, 104), (302, 132), (212, 172), (148, 194)],
    ),
}


def _mask(size: tuple[int, int], polygon: list[tuple[int, int]]) -> np.ndarray:
    mask = np.zeros((size[1], size[0]), np.uint8)
    cv2.fillPoly(mask, [np.array(polygon, np.int32)], 1)
    return cv2.dilate(mask, np.ones((5, 5), np.uint8)).astype(bool)


def _label(engine: str) -> str:
    return f"auto ({resolve(engine)})" if engine == "auto" else engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", default=None)
    parser.add_argument("--variants", action="store_true", help="one engine's every fill")
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/images/hard_cases.png"))
    args = parser.parse_args()
    engines = args.engine or (["auto"] if args.variants else ["gan", "patchmatch", "auto"])
    if args.variants and len(engines) != 1:
        parser.error("--variants shows one engine's fills: give at most one --engine")
    # (label, engine, variant) per panel after the painted photo.
    fills = [(_label(e), e, 0) for e in engines]
    if args.variants:
        count = amethyst.variants(engines[0])
        fills = [(f"{_label(engines[0])}, fill {v + 1}", engines[0], v) for v in range(count)]
    rows = []
    for title, (path, polygon) in CASES.items():
        photo = Image.open(DEFAULT_DATA / path).convert("RGB")
        mask = _mask(photo.size, polygon)
        painted = np.asarray(photo).copy()
        painted[mask] = (0.45 * painted[mask] + 0.55 * np.array([255, 0, 255])).astype(np.uint8)
        panels = [("painted", painted)]
        panels += [
            (label, np.asarray(amethyst.inpaint(photo, mask, engine=e, variant=v)))
            for label, e, v in fills
        ]
        rows.append((title, panels))
    width = max(panel.shape[1] for _, panels in rows for _, panel in panels)
    height = max(panel.shape[0] for _, panels in rows for _, panel in panels)
    cell_w, cell_h = width + 8, height + 24
    figure = Image.new("RGB", (cell_w * len(rows[0][1]), (cell_h + 20) * len(rows)), "white")
    draw = ImageDraw.Draw(figure)
    for r, (title, panels) in enumerate(rows):
        top = r * (cell_h + 20)
        draw.text((6, top + 4), title, fill="black")
        for c, (name, panel) in enumerate(panels):
            figure.paste(Image.fromarray(panel), (c * cell_w, top + 40))
            draw.text((c * cell_w + 6, top + 24), name, fill="black")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    figure.save(args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
