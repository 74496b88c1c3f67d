"""The evaluation set: photos with their hole masks, from mask files or a fixed seed.

Generated masks alternate between two families: LaMa's thin/medium/thick strokes, stratified
so every size bin (1-10%, 10-20%, ... 50-60%) gets the same number of photos, and objects
(blobs, person silhouettes, boxes), stratified over 2-10%, 10-20% and 20-30%.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from amethyst.errors import AmethystError
from amethyst.evaluation.masks import generate_mask
from amethyst.evaluation.object_masks import OBJECT_KINDS, generate_object_mask
from amethyst.evaluation.split import list_photos
from amethyst.imaging.io import decode_image
from amethyst.imaging.masks import to_bool_mask
from amethyst.imaging.modes import to_rgb

STROKE_KINDS = ("thin", "medium", "thick")
BIN_EDGES = (0.0, 0.10, 0.20, 0.30, 0.40, 0.50, 0.60, 1.0)
BIN_LABELS = ("1–10%", "10–20%", "20–30%", "30–40%", "40–50%", "50–60%", ">60%")
STROKE_BINS = 6
OBJECT_BIN_EDGES = (0.02, 0.10, 0.20, 0.30)
STROKES, OBJECTS, GIVEN = "strokes", "objects", "given"
FAMILIES = (STROKES, OBJECTS)  # generated cases alternate: strokes, objects, strokes, ...
MASK_SUFFIXES = (".png", ".bmp", ".jpg", ".jpeg", ".webp")


class BenchError(AmethystError):
    """The evaluation set cannot be built (no photos, a missing or mismatched mask)."""


@dataclass(frozen=True)
class EvalCase:
    """One photo and the hole to fill in it."""

    name: str
    photo: Path
    mask_source: str  # a mask file's path, or the generated recipe's name
    family: str = GIVEN  # strokes, objects, or given (a mask file)
    size_bin: int = 0  # the generated hole's size bin, within its family's bins

    def load(self, seed: int, index: int, masks: Path | None) -> tuple[np.ndarray, np.ndarray]:
        """The photo as HxWx3 uint8 RGB and its bool HxW hole mask."""
        rgb = np.asarray(to_rgb(decode_image(self.photo).image))
        if masks is not None:
            mask = to_bool_mask(decode_image(Path(self.mask_source)).image)
            if mask.shape != rgb.shape[:2]:
                raise BenchError(
                    f"mask {self.mask_source} is {mask.shape[1]}x{mask.shape[0]} but photo "
                    f"{self.photo.name} is {rgb.shape[1]}x{rgb.shape[0]}"
                )
            if not mask.any():
                raise BenchError(f"mask {self.mask_source} marks no pixel")
            return rgb, mask
        height, width = rgb.shape[:2]
        make = stratified_object_mask if self.family == OBJECTS else stratified_mask
        return rgb, make(height, width, seed, index, self.mask_source, self.size_bin)


def hole_bin(ratio: float) -> str:
    """The label of the hole-size bin that a hole covering ``ratio`` of the photo falls in."""
    for low, high, label in zip(BIN_EDGES[:-1], BIN_EDGES[1:], BIN_LABELS, strict=True):
        if low <= ratio < high:
            return label
    return BIN_LABELS[-1]


def stratified_mask(
    height: int, width: int, seed: int, index: int, kind: str, size_bin: int
) -> np.ndarray:
    """The generated stroke mask of case ``index``: LaMa strokes of ``kind``, added together
    until the hole falls in ``size_bin`` (0: 1-10%, ... 5: 50-60%). The same arguments always
    give the same mask."""
    rng = np.random.default_rng([seed, index])
    low, high = max(BIN_EDGES[size_bin], 0.01), BIN_EDGES[size_bin + 1]
    for _ in range(200):
        mask = generate_mask(height, width, rng, kind)
        while mask.mean() < low:
            mask |= generate_mask(height, width, rng, kind)
        if mask.mean() < high:
            return mask
    raise BenchError(f"could not draw a {kind} mask covering {low:.0%}-{high:.0%} of the photo")


def stratified_object_mask(
    height: int, width: int, seed: int, index: int, kind: str, size_bin: int
) -> np.ndarray:
    """The generated object mask of case ``index``: one ``kind`` covering 2-10%, 10-20% or
    20-30% of the photo (``size_bin`` 0, 1 or 2). The same arguments always give the same mask."""
    rng = np.random.default_rng([seed, index])
    low, high = OBJECT_BIN_EDGES[size_bin], OBJECT_BIN_EDGES[size_bin + 1]
    try:
        return generate_object_mask(height, width, rng, kind, low, high)
    except ValueError as exc:
        raise BenchError(str(exc)) from None


def generated_recipe(index: int) -> tuple[str, str, int]:
    """``(family, kind, size_bin)`` of generated case ``index``. Families alternate; within a
    family, kinds cycle fastest and size bins next, shifted by one each round: each round of
    as many cases as bins covers every bin, and over the rounds every kind meets every bin."""
    family, slot = FAMILIES[index % len(FAMILIES)], index // len(FAMILIES)
    kinds, bins = (
        (OBJECT_KINDS, len(OBJECT_BIN_EDGES) - 1)
        if family == OBJECTS
        else (STROKE_KINDS, STROKE_BINS)
    )
    return family, kinds[slot % len(kinds)], (slot + slot // bins) % bins


def _find_mask(folder: Path, photo: Path) -> Path | None:
    for suffix in MASK_SUFFIXES:
        for candidate in (folder / f"{photo.stem}{suffix}", folder / f"{photo.stem}_mask{suffix}"):
            if candidate.is_file():
                return candidate
    return None


def build_cases(
    photos: list[Path], root: Path, masks: Path | None, count: int, seed: int
) -> list[EvalCase]:
    """Up to ``count`` of ``photos`` (under folder ``root``), drawn with ``seed``; each gets
    its mask file from the folder ``masks`` or a generated recipe (strokes and objects in turn)."""
    if not photos:
        raise BenchError(f"no PNG, JPEG or WebP photos in {root}")
    if count < 1:
        raise BenchError(f"--count must be at least 1, got {count}")
    if masks is not None and not masks.is_dir():
        raise BenchError(f"{masks} is not a folder of masks")
    chosen = sorted(np.random.default_rng(seed).permutation(len(photos))[:count])
    cases = []
    for index, position in enumerate(chosen):
        photo = photos[position]
        name = photo.relative_to(root).as_posix()
        if masks is None:
            family, kind, size_bin = generated_recipe(index)
            cases.append(EvalCase(name, photo, kind, family, size_bin))
            continue
        found = _find_mask(masks, photo)
        if found is None:
            raise BenchError(f"no mask for {photo.name} in {masks} (expected {photo.stem}.png)")
        cases.append(EvalCase(name, photo, str(found)))
    return cases


def list_folder(folder: Path) -> list[Path]:
    """Every photo in ``folder`` and below, sorted."""
    if not folder.is_dir():
        raise BenchError(f"{folder} is not a folder of photos")
    return list_photos(folder)
