"""Score fills that are the photo itself, moved by a few pixels: what the fill measures give a
fill with the photo's own texture, slightly out of place.

It shows what a measure rewards. A fill copied from the true photo 1 px off has almost no
texture distance or haze, yet its seam (edges added on the hole's border) is about PatchMatch's,
three times Telea's smooth fill: seam counts any texture that does not line up with the photo
at the border. The bench's evaluation set (``amethyst bench``'s photos, masks and seed) is
used, so the figures sit beside the bench's engine rows.

Usage: python scripts/metric_reference.py [--count 40] [--seed 0] [--shift 1 --shift 3 ...]
"""

from __future__ import annotations

import argparse

import numpy as np

from amethyst.bench.pairs import sheet_cases
from amethyst.bench.quality import fill_scores
from amethyst.evaluation.split import DEFAULT_DATA, split_photos


def shifted_fill(rgb: np.ndarray, mask: np.ndarray, shift: int) -> np.ndarray:
    """The photo with its hole filled by the photo itself moved ``shift`` px down and right."""
    moved = np.roll(rgb, (shift, shift), axis=(0, 1))
    return np.where(mask[..., None], moved, rgb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shift", type=int, action="append", default=None)
    args = parser.parse_args()
    cases, _ = sheet_cases(split_photos(DEFAULT_DATA)[1], DEFAULT_DATA, None, args.count, args.seed)
    print("| the photo moved by | hole PSNR | texture | seam | haze |")
    print("|---|---:|---:|---:|---:|")
    for shift in args.shift or [1, 3, 10]:
        scores = [
            fill_scores(shifted_fill(case.rgb, case.mask, shift), case.rgb, case.mask)
            for case in cases
        ]
        psnr, texture, seam, haze = (
            np.mean([s[name] for s in scores if s[name] is not None])
            for name in ("psnr", "texture", "seam", "haze")
        )
        print(f"| {shift} px | {psnr:.2f} | {texture:.3f} | {seam:.2f} | {haze:.3f} |")


if __name__ == "__main__":
    main()
