"""Recover the hole from strokes painted into a photo in one colour (the original client's way).

The original Amethyst client flattened opaque magenta strokes into the picture before upload.
Anti-aliasing blends the stroke edges with the photo and JPEG smears colour across 8x8
blocks, so a plain colour match misses the fringes. We use hysteresis: saturated pixels close
to the stroke colour seed the mask, weaker look-alikes join only when they touch a seed, and a
small dilation covers what blending left behind. Isolated look-alike specks are dropped.

Lossy compression (JPEG, lossy WebP) also spreads the stroke's colour over the blocks it
touches: 8x8 pixels, 16x16 for subsampled chroma. Left outside the hole, that faint tint
reads as a pink fringe once the hole is filled, and it seeps into the fill itself. When the
strokes no longer hold their exact colour (the sign of lossy compression), the mask also takes
in every pixel within the blocks' reach that leans towards the stroke colour more than the
photo just beyond that reach does, and the ringing's troughs beside those.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from amethyst.imaging.masks import grown

STROKE_COLOR = (255, 0, 255)
# How far compression can carry a stroke's colour: across a 16x16 block of subsampled chroma.
RINGING_REACH = 16
# The photo's own lean is read on a ring this wide beyond the reach, and spread inward over
# pixels (Gaussian sigma) where the ring is far, as inside a stroke's bend.
RING_WIDTH = 4
WIDE_SPREAD = 12
# The ringing's crests and troughs alternate within a block, about this many pixels apart.
TROUGH_WIDTH = 4
# Just inside a stroke's blended edge, over 90 % of the pixels keep the exact colour in a
# lossless file and under 5 % after JPEG, even at quality 100.
LOSSLESS_EXACT_SHARE = 0.5


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


def _lean(rgb: np.ndarray, color: tuple[int, int, int]) -> np.ndarray | None:
    """How far each pixel leans toward ``color``'s hue (mean high minus mean low channels)."""
    high = np.asarray(color) >= 128
    if high.all() or not high.any():
        return None
    weights = np.where(high, 1 / high.sum(), -1 / (~high).sum()).astype(np.float32)
    return rgb.astype(np.float32) @ weights


def _spread(values: np.ndarray, where: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """``values`` known ``where`` spread around by a Gaussian: (estimate, weight behind it)."""
    weight = cv2.GaussianBlur(where, (0, 0), sigma)
    return cv2.GaussianBlur(values * where, (0, 0), sigma) / np.maximum(weight, 1e-6), weight


def _ringing(
    rgb: np.ndarray, strokes: np.ndarray, color: tuple[int, int, int], threshold: float
) -> np.ndarray:
    """Pixels near ``strokes`` that lossy compression tinted toward ``color`` or away from it.

    The photo's own lean is read from a ring just beyond ``RINGING_REACH`` and spread inward
    (normalised convolution); pixels inside the reach that lean more by ``threshold`` are
    tinted, and so is the reach within ``TROUGH_WIDTH`` of them.
    """
    tinted = np.zeros(strokes.shape, dtype=bool)
    # Only the strokes' surroundings matter: the reach, the ring and the wide spread's kernel.
    x, y, width, height = cv2.boundingRect(strokes.astype(np.uint8))
    margin = RINGING_REACH + RING_WIDTH + 4 * WIDE_SPREAD
    box = np.s_[max(y - margin, 0) : y + height + margin, max(x - margin, 0) : x + width + margin]
    lean = _lean(rgb[box], color)
    if lean is None:
        return tinted
    distance = cv2.distanceTransform((~strokes[box]).astype(np.uint8), cv2.DIST_L2, 5)
    reach = distance <= RINGING_REACH
    ring = (~reach & (distance <= RINGING_REACH + RING_WIDTH)).astype(np.float32)
    near, near_weight = _spread(lean, ring, 4)
    far, far_weight = _spread(lean, ring, WIDE_SPREAD)
    photo_lean = np.where(near_weight > 1e-2, near, far)
    known = far_weight > 1e-3  # pixels with no ring in sight have no reference: left alone
    crests = reach & known & (lean - photo_lean > threshold)
    # The troughs beside each crest lean away from the colour (green around magenta) and
    # would tint the fill from the hole's edge. Searching for them directly marks too much
    # of a photo whose colour changes near the strokes, so the crests' surroundings go.
    tinted[box] = grown(crests, TROUGH_WIDTH) & reach
    return tinted


def _lossless(rgb: np.ndarray, strokes: np.ndarray, color: tuple[int, int, int]) -> bool:
    """Whether the strokes kept their exact colour just inside their edge (no lossy codec).

    Deeper inside, JPEG can clip a thick stroke back to the exact colour, so only the pixels
    1-3 px inside the edge are read (all of a stroke too thin to have them).
    """
    inside = cv2.distanceTransform(strokes.astype(np.uint8), cv2.DIST_L2, 5)
    rim = strokes & (inside > 1) & (inside <= 3)
    sample = rgb[rim] if rim.any() else rgb[strokes]
    return bool((sample == color).all(axis=1).mean() >= LOSSLESS_EXACT_SHARE)


def mask_from_strokes(
    image: Image.Image | np.ndarray,
    color: tuple[int, int, int] = STROKE_COLOR,
    *,
    seed_threshold: int = 150,
    grow_threshold: int = 40,
    min_area: int = 12,
    dilate: int = 2,
    tint_threshold: float = 4,
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
    tint_threshold : lean toward ``color`` above the photo's own that marks a pixel within
        ``RINGING_REACH`` of strokes blurred by lossy compression as tinted by them.
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
    strokes = seeded[labels]
    mask = grown(strokes, dilate)
    if _lossless(rgb, strokes, color):
        return mask
    return mask | _ringing(rgb, strokes, color, tint_threshold)
