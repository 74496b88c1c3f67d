"""The fixed train/validation split of a photo folder, decided by file name alone.

A photo is in validation when a hash of its path relative to the folder falls in the
``val_percent`` bucket, so the split never changes when photos are added or reordered and
training (``amethyst train``) and the bench (``amethyst bench``) always agree.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "photos"
VAL_PERCENT = 10


def list_photos(root: str | Path) -> list[Path]:
    """Every photo under ``root`` (recursively), sorted for a stable order."""
    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES)


def is_validation(path: Path, root: Path, val_percent: int = VAL_PERCENT) -> bool:
    """Whether ``path`` belongs to the validation split of the folder ``root``."""
    key = path.relative_to(root).as_posix().encode()
    return int(hashlib.sha1(key).hexdigest(), 16) % 100 < val_percent


def split_photos(root: str | Path, val_percent: int = VAL_PERCENT) -> tuple[list[Path], list[Path]]:
    """``(train, validation)`` lists of the photos under ``root``."""
    root = Path(root)
    photos = list_photos(root)
    val = [p for p in photos if is_validation(p, root, val_percent)]
    train = [p for p in photos if not is_validation(p, root, val_percent)]
    return train, val
