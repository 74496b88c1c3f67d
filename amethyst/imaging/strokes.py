"""Recover the hole from strokes painted into a photo in one colour (the original client's way).

The original Amethyst client flattened opaque magenta strokes into the picture before upload.
Anti-aliasing blends the stroke edges with the photo and JPEG smears colour across 8x8
blocks, so a plain colour match misses the fringes. We use hysteresis: saturated pixels close
to the stroke colour seed the mask, weaker look-alikes join only when they touch a seed, and a
small dilation covers what blending left behind. Isolated look-alike specks are dropped.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

STROKE_COLOR = (255, 0, 255)


def _likeness(rgb: np.ndarray, color: tuple[int, int, int]) -> np.ndarray:
    """Score how strongly each pixel leans toward ``color``: 255 for the colour, ~0 for greys."""
    rgb = rgb.astype(np.int16)
    target = np.asarray(color, dtype=np.int16)
    high = target >= 128
    if high.all() or not high.any():
        # A grey stroke colour has no hue to lean toward: fall back to closeness.
        distance = np.abs(rgb - target).max(axis=2)
        return np.clip(255 - distance, 0, 255).astype(np.uint8)
    # How far the channels that should be high stand above the ones that should be low.
    score = rgb[..., high].min(axis=2) - rgb[..., ~high].max(axis=2)
    return np.clip(score, 0, 255).astype(np.uint8)


def mask_from_strokes(
    image: Image.Image | np.ndarray,
    color: tuple[int, int, int] = STROKE_COLOR,
    *,
    seed_threshold: int = 150,
    grow_threshold: int = 40,
    min_area: int = 12,
    dilate: int = 2,
) -> np.ndarray:
    """Return a boolean HxW mask of the strokes painted into ``image`` in ``color``.

    Parameters
    ----------
    image : PIL image or HxWx3/4 uint8 array, the photo with strokes flattened into it.
    color : the stroke colour, magenta by default.
    seed_threshold : likeness a pixel needs to start a stroke (JPEG keeps pure magenta above it).
    grow_threshold : likeness a fringe pixel needs to join a stroke it touches.
    min_area : seed blobs smaller than this many pixels are taken as part of the photo.
    dilate : pixels added around the strokes to cover blended edges.
    """
    if isinstance(image, Image.Image):
        rgb = np.asarray(image.convert("RGB"))
    else:
        rgb = np.asarray(image)[..., :3]
    score = _likeness(rgb, color)
    seeds = (score >= seed_threshold).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(seeds, connectivity=8)
    keep = np.zeros(count, dtype=bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area
    seeds = keep[labels].astype(np.uint8)
    if not seeds.any():
        return np.zeros(rgb.shape[:2], dtype=bool)
    # Hysteresis: weak pixels join only through a chain of weak pixels touching a seed.
    weak = ((score >= grow_threshold) | (seeds > 0)).astype(np.uint8)
    count, labels = cv2.connectedComponents(weak, connectivity=8)
    seeded = np.zeros(count, dtype=bool)
    seeded[np.unique(labels[seeds > 0])] = True
    seeded[0] = False
    mask = seeded[labels].astype(np.uint8)
    if dilate > 0:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * dilate + 1, 2 * dilate + 1))
        mask = cv2.dilate(mask, kernel)
    return mask.astype(bool)
