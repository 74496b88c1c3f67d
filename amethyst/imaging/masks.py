"""Turn whatever a caller passes as a mask into a boolean HxW array and check it."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from amethyst.errors import InvalidMask

MaskLike = "Image.Image | np.ndarray"


def to_bool_mask(mask: Image.Image | np.ndarray) -> np.ndarray:
    """Return ``mask`` as a boolean HxW array where True marks pixels to remove.

    Nonzero means remove. For masks with an alpha channel a pixel counts only where it is
    also opaque, so strokes drawn on a transparent canvas work as expected.
    """
    if isinstance(mask, Image.Image):
        if mask.mode == "1":
            return np.asarray(mask, dtype=bool)
        if "A" in mask.getbands():
            alpha = np.asarray(mask.getchannel("A")) > 0
            return alpha & (np.asarray(mask.convert("L")) > 0)
        if mask.mode in ("L", "I;16", "I", "F"):
            return np.asarray(mask) != 0
        return np.asarray(mask.convert("L")) > 0
    if isinstance(mask, np.ndarray):
        if mask.ndim == 3 and mask.shape[2] in (1, 3, 4):
            mask = mask[..., :3].max(axis=2) if mask.shape[2] > 1 else mask[..., 0]
        if mask.ndim != 2:
            raise InvalidMask(f"mask must be HxW, got an array of shape {mask.shape}")
        return mask.astype(bool, copy=False)
    raise InvalidMask(f"mask must be a PIL image or a numpy array, got {type(mask).__name__}")


def check_mask(mask: np.ndarray, size: tuple[int, int], name: str = "mask") -> None:
    """Raise ``InvalidMask`` unless ``mask`` matches ``size`` (width, height) and leaves context.

    An empty mask is valid (nothing to do); a full mask is not (nothing to fill from). ``name``
    is what the messages call it.
    """
    height, width = mask.shape
    if (width, height) != tuple(size):
        raise InvalidMask(
            f"{name} is {width}x{height} but the image is {size[0]}x{size[1]}; they must match"
        )
    if mask.all():
        raise InvalidMask(f"{name} covers the whole image: nothing is left to fill the hole from")


def keep_out_mask(keep_out: np.ndarray | None, holes: np.ndarray) -> np.ndarray | None:
    """The bool ``keep_out`` mask (already checked to be ``holes``' size, ``check_mask``) less
    the holes, which win where the two overlap; None when nothing is kept out. Raises
    ``InvalidMask`` when the two leave nothing to copy from."""
    if keep_out is None:
        return None
    kept = keep_out & ~holes
    if (kept | holes).all():
        raise InvalidMask("mask and keep_out cover the whole image: nothing is left to copy")
    return kept if kept.any() else None


def grown(mask: np.ndarray, radius: int) -> np.ndarray:
    """Bool ``mask`` grown by a disc of ``radius`` pixels."""
    if radius <= 0:
        return mask
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    return cv2.dilate(mask.astype(np.uint8), kernel) > 0


def away_from(mask: np.ndarray, distance: int) -> np.ndarray:
    """Bool array of the pixels more than ``distance`` px (along rows, columns or diagonals)
    from every pixel of ``mask``: known pixels that a fill near the hole cannot have touched."""
    size = 2 * distance + 1
    return ~cv2.dilate(mask.astype(np.uint8), np.ones((size, size), np.uint8)).astype(bool)


def depth_inside(mask: np.ndarray) -> np.ndarray:
    """Each pixel's distance (float32, OpenCV's 3x3 L2 approximation) to the nearest pixel
    outside ``mask``; 0 outside it. Fades and "inside the hole" tests are measured with it."""
    source = mask.view(np.uint8) if mask.dtype == bool else mask.astype(np.uint8)
    return cv2.distanceTransform(source, cv2.DIST_L2, 3)


def shrunk_hole(mask: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``mask`` resized to ``size`` (width, height) by area: a low-res pixel is part of the hole
    if any of the pixels it covers is, so nothing of what is removed counts as known there."""
    return cv2.resize(mask.astype(np.float32), size, interpolation=cv2.INTER_AREA) > 0
