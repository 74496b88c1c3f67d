"""Score object removals in 12 MP photos, the case users bring, which the bench's photos are
too small to show (they are rarely shrunk to the working size).

The photos are the validation split's photos of 1000 px or more (never used in training),
scaled to 4000 px on their longer side; each gets an object mask of 3–20 % (blobs, person
silhouettes, boxes), drawn from ``--seed``. Every engine fills them through
``amethyst.inpaint``; the table gives the bench's scores and the median time of a fill.
``--no-border-texture`` leaves out ``imaging.border_texture``, to measure what it changes. Usage:
python scripts/large_photo_quality.py [--engine auto --engine patchmatch ...] [--seed 0]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from PIL import Image

import amethyst
from amethyst import pipeline
from amethyst.bench.quality import fill_scores
from amethyst.evaluation.object_masks import generate_object_mask
from amethyst.evaluation.split import DEFAULT_DATA, split_photos

SIDE = 4000
SCORES = ("psnr", "texture", "seam", "haze")


def cases(seed: int, min_side: int = 1000) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, 12 MP photo, mask) for each large validation photo."""
    rng = np.random.default_rng(seed)
    found = []
    for path in split_photos(DEFAULT_DATA)[1]:
        with Image.open(path) as image:
            if max(image.size) < min_side:
                continue
            scale = SIDE / max(image.size)
            size = (round(image.size[0] * scale), round(image.size[1] * scale))
            photo = np.asarray(image.convert("RGB").resize(size, Image.Resampling.LANCZOS))
        mask = generate_object_mask(*photo.shape[:2], rng, low=0.03, high=0.2)
        found.append((path.name, photo, mask))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", help="repeatable; default: auto, peers")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-border-texture", action="store_true")
    args = parser.parse_args()
    if args.no_border_texture:
        pipeline.continue_texture = lambda photo, mask, filled, scale, keep_out=None: filled
    engines = args.engine or ["auto", "patchmatch", "telea", "gan"]
    photos = cases(args.seed)
    print(f"{len(photos)} validation photos of 1000 px or more, at {SIDE} px, seed {args.seed}")
    print("| engine | hole PSNR (dB) | texture | seam | haze | median s |")
    print("|---|---:|---:|---:|---:|---:|")
    for engine in engines:
        amethyst.inpaint(photos[0][1], photos[0][2], engine=engine)  # load the engine first
        scores, times = [], []
        for _, photo, mask in photos:
            start = time.perf_counter()
            out = np.asarray(amethyst.inpaint(photo, mask, engine=engine))
            times.append(time.perf_counter() - start)
            found = fill_scores(out, photo, mask)
            scores.append([np.nan if found[k] is None else found[k] for k in SCORES])
        mean = np.nanmean(np.array(scores), axis=0)
        print(
            f"| `{engine}` | {mean[0]:.2f} | {mean[1]:.3f} | {mean[2]:.3f} | {mean[3]:.3f} "
            f"| {statistics.median(times):.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
