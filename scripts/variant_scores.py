"""Score every fill an engine gives (``variant`` 0, 1, ...) on the bench's photos and cases.

For "Try another fill": are the other fills as good as the usual one on average, how far apart
are they per photo, and what would the best of the first k give (by hole PSNR, which no user
can pick by). Uses the bench's validation photos and cases (``amethyst bench``'s seed) and
its measures. Usage: python scripts/variant_scores.py [--engine auto] [--count 40] [--seed 0]
"""

from __future__ import annotations

import argparse

import numpy as np

import amethyst
from amethyst.bench.pairs import sheet_cases
from amethyst.bench.quality import fill_scores
from amethyst.evaluation.split import DEFAULT_DATA, split_photos

MEASURES = {"hole PSNR": "psnr", "texture": "texture", "seam": "seam", "haze": "haze"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    cases, _ = sheet_cases(split_photos(DEFAULT_DATA)[1], DEFAULT_DATA, None, args.count, args.seed)
    count = amethyst.variants(args.engine)
    scores = np.full((count, len(cases), len(MEASURES)), np.nan)
    for j, case in enumerate(cases):
        for v in range(count):
            out = np.asarray(amethyst.inpaint(case.rgb, case.mask, engine=args.engine, variant=v))
            filled = fill_scores(out, case.rgb, case.mask)
            scores[v, j] = [np.nan if filled[k] is None else filled[k] for k in MEASURES.values()]
    print(f"{args.engine}, {len(cases)} photos (seed {args.seed})\n")
    print("| variant | " + " | ".join(MEASURES) + " |\n|---|" + "---:|" * len(MEASURES))
    for v in range(count):
        means = " | ".join(f"{np.nanmean(scores[v, :, m]):.3f}" for m in range(len(MEASURES)))
        print(f"| {v} | {means} |")
    psnr = scores[..., 0]
    print(
        f"\nhole PSNR spread over the {count} fills, median per photo: "
        f"{np.median(psnr.max(0) - psnr.min(0)):.2f} dB"
    )
    for k in range(2, count + 1):
        print(f"best of variants 0-{k - 1} by hole PSNR: {psnr[:k].max(0).mean():.2f} dB")


if __name__ == "__main__":
    main()
