"""Pack the training photos small enough to travel with the working tree to a lent GPU machine.

The device tool sends at most 64 MiB, the repository itself about half of it, so every training
photo is re-encoded as a JPEG whose longer side is at most ``--side`` pixels. The validation
photos that the trainer's curve uses (the first ``--val-count`` of the split) are stored as
their centre square at ``--val-size`` px, which is all ``fixed_validation_set`` takes of them.
File names stay the same, so ``split_photos`` splits the pack as it splits the original folder.

    python scripts/pack_training_photos.py ../shared/data/photos .pack/photos
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image

from amethyst.evaluation.split import split_photos
from amethyst.training.data import centre_square, load_photo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--side", type=int, default=384, help="longer side of training photos")
    parser.add_argument("--quality", type=int, default=85, help="JPEG quality")
    parser.add_argument("--val-count", type=int, default=48)
    parser.add_argument("--val-size", type=int, default=256)
    args = parser.parse_args()

    train, val = split_photos(args.source)
    total = 0
    for path in train:
        total += _save(load_photo(path, args.side), args.source, path, args.dest, args.quality)
    for path in val[: args.val_count]:
        square = centre_square(load_photo(path, 512), args.val_size)  # as the trainer takes it
        total += _save(square, args.source, path, args.dest, 95)
    print(
        f"{len(train)} training and {min(len(val), args.val_count)} validation photos, "
        f"{total / 2**20:.1f} MiB in {args.dest}"
    )


def _save(rgb, source: Path, path: Path, dest: Path, quality: int) -> int:  # noqa: ANN001
    """Write ``rgb`` as a JPEG under ``dest`` at ``path``'s place relative to ``source``."""
    target = dest / path.relative_to(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(target, "JPEG", quality=quality)
    return target.stat().st_size


if __name__ == "__main__":
    main()
