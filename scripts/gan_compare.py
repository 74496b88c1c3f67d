"""Compare a candidate GAN model file with the shipped one (and Telea) on full validation
photos through ``amethyst.inpaint``, the engine's real path; optionally write blind sheets.

The photos are the validation split minus the first ``--skip`` photos (the training run's
validation crops, which chose the checkpoint), with the bench's masks (LaMa strokes and
objects in turn, seeded). Prints hole PSNR, texture distance, haze and seam per engine, per
mask family. With ``--pairs DIR``: blind sheets of candidate vs shipped (or ``--against``
another engine) in ``DIR/sheets`` and the key in ``DIR/key.json`` (``amethyst bench
--tally`` counts a reviewer's answers).

The fills are the engine's: the network's fill with the photo's grain copied in. With
``--network-only`` both GANs give the network's fill alone (as every run in docs/training.md up to
gan12 was measured), under the names ``gan_candidate`` and ``gan``.

Usage: python scripts/gan_compare.py CANDIDATE.onnx [--count 40] [--seed 7] [--pairs /tmp/gan_pairs]
       [--against telea] [--network-only]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from amethyst.bench.pairs import KEY, SHEETS, fill_cases, sheet_cases, with_scores
from amethyst.bench.quality import ALL_BINS, summarize
from amethyst.bench.sheets import write_pair_sheets
from amethyst.engines import register
from amethyst.engines.gan import GanEngine
from amethyst.evaluation.split import DEFAULT_DATA, split_photos

CANDIDATE = "gan_candidate"


class NetworkOnly(GanEngine):
    """The shipped model's network fill alone, without the grain (``gan`` with --network-only)."""

    def fill(self, rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.predict(rgb, mask)


def register_candidate(model: Path, network_only: bool) -> None:
    """Make ``model`` available as the engine ``gan_candidate`` (the shipped one stays ``gan``);
    with ``network_only`` both fill with the network alone."""

    class CandidateGan(NetworkOnly if network_only else GanEngine):
        name = CANDIDATE
        description = f"Amethyst GAN from {model}"
        model_path = model

    register(CandidateGan)
    if network_only:
        register(NetworkOnly)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("candidate", type=Path)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip", type=int, default=48)
    parser.add_argument("--engines", default=f"{CANDIDATE},gan,telea")
    parser.add_argument("--pairs", type=Path, help="write blind sheets of the candidate here")
    parser.add_argument("--against", default="gan", help="the other engine of the sheets")
    parser.add_argument("--json", type=Path, help="write the summaries here as JSON")
    parser.add_argument(
        "--network-only", action="store_true", help="compare the networks' fills, without grain"
    )
    args = parser.parse_args()
    register_candidate(args.candidate.resolve(), args.network_only)
    _, val = split_photos(args.data)
    photos = val[args.skip :]
    engines = args.engines.split(",")
    cases, skipped = sheet_cases(photos, args.data, None, args.count, args.seed)
    for name, why in skipped.items():
        print(f"skipped {name}: {why}", file=sys.stderr)
    pair = (CANDIDATE, args.against)
    # The sheets reuse the scored fills: both engines of the pair are filled once.
    records, fills = fill_cases(
        cases, list(dict.fromkeys([*engines, *pair])) if args.pairs else engines
    )
    rows = [s for s in summarize(records, engines) if s.bin == ALL_BINS]
    print(f"{len(cases)} photos (seed {args.seed}), validation split minus its first {args.skip}")
    print("| engine | masks | photos | hole PSNR | texture | haze | seam |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for s in rows:
        print(
            f"| {s.engine} | {s.family} | {s.photos} | {s.psnr:.2f} | {s.texture:.3f} "
            f"| {s.haze:.3f} | {s.seam:.3f} |"
        )
    if args.json:
        args.json.write_text(json.dumps([s.__dict__ for s in rows], indent=1))
    if args.pairs:
        sheets_dir, key = args.pairs / SHEETS, args.pairs / KEY
        written = write_pair_sheets(
            with_scores(cases, records, pair),
            {e: fills[e] for e in pair},
            sheets_dir,
            key,
            args.seed,
        )
        print(f"{len(written)} sheets in {sheets_dir}; key in {key}")


if __name__ == "__main__":
    main()
