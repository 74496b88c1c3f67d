"""Keep a copied fill in the tone of the photo around it.

A patch search that copies from far away carries the tone of another part of the photo into
the hole: with sources on the hole's own rows, a hole in the bright middle of a sky darkened
at the frame's edge fills with the edge's darker sky, a blob the eye finds at once. Patches
of 3 px cannot see a gradient that spans the frame, so the search has no reason to avoid it.

Here each fill pixel's low frequencies are moved toward the tone of the photo around the hole
where the photo has a *similar colour*, nearer border pixels weighing more (Shepard's inverse
squared distance, times a Gaussian of the difference in colour and, more loosely, in
brightness): sky takes the tone of the sky on the border, water that of the water, and a
copied thing with nothing like it on the border keeps its own. The shift is worked out on a
coarse grid, so it moves tones and not texture.
"""

from __future__ import annotations

import cv2
import numpy as np

from amethyst.imaging.masks import depth_inside

# px: the hole's longer side on the coarse grid where the shift is worked out (a smaller hole
# is worked on at its own size).
GRID_SIDE = 96
# px on the coarse grid: the photo's ring read around the hole, and the smoothing of both the
# photo's and the fill's tones there (so that single pixels of grain do not count).
RING = 3
SMOOTH = 1.0
# A border pixel this far in brightness (luma, grey levels) or in colour (the two chroma
# channels of YCbCr together) from the fill pixel weighs e^-1/2 as much as one alike: light
# across a frame changes brightness much more than colour, another thing changes colour.
LUMA_SIGMA = 24.0
CHROMA_SIGMA = 8.0
# RGB to luma and chroma (ITU-R BT.601), each divided by its sigma.
_LOOKS = np.array(
    [[0.299, 0.587, 0.114], [-0.169, -0.331, 0.5], [0.5, -0.419, -0.081]], np.float32
).T / np.array([LUMA_SIGMA, CHROMA_SIGMA, CHROMA_SIGMA], np.float32)
# How much of the nearby border must look like the fill pixel for its whole shift to apply;
# less, and the shift scales down with it.
CONFIDENT = 0.3
MAX_SHIFT = 24.0  # grey levels: the most a pixel's tone is moved
MAX_RING = 320  # border pixels compared at most (evenly spaced along the ring when more)
# Coarse-grid px over which the shift fades in from the hole's edge: there the fill already
# meets the photo (its texture is carried across the edge), and a full shift would draw a step.
TAPER = 2.0


def _squared_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Every row of ``a`` against every row of ``b``: squared Euclidean distances."""
    return np.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None] - 2 * a @ b.T, 0)


def _smoothed(values: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``values`` averaged over ``SMOOTH`` px, counting each pixel by ``weight``."""
    total = cv2.GaussianBlur(values * weight[..., None], (0, 0), SMOOTH)
    return total / np.maximum(cv2.GaussianBlur(weight, (0, 0), SMOOTH), 1e-6)[..., None]


def _window(mask: np.ndarray) -> tuple[slice, slice, float] | None:
    """The part of the photo that the tones are read from (the hole's box with the ring and
    the smoothing around it) and the coarse grid's scale; None for an empty mask."""
    left, top, box_width, box_height = cv2.boundingRect(mask.view(np.uint8))
    if box_width == 0:
        return None
    scale = min(1.0, GRID_SIDE / max(box_width, box_height))
    margin = int(np.ceil((RING + 3 * SMOOTH + 2) / scale))
    height, width = mask.shape
    rows = slice(max(0, top - margin), min(height, top + box_height + margin))
    cols = slice(max(0, left - margin), min(width, left + box_width + margin))
    return rows, cols, scale


def match_tone(photo: np.ndarray, mask: np.ndarray, fill: np.ndarray) -> np.ndarray:
    """``fill`` (HxWx3 uint8, the photo with its ``mask`` pixels filled) with the low
    frequencies of its hole moved toward the tone of similar-coloured photo around the hole;
    pixels outside ``mask`` are returned unchanged. ``photo``'s hole pixels are not read."""
    window = _window(mask)
    if window is None:
        return fill
    rows, cols, scale = window
    hole_full = mask[rows, cols].view(np.uint8)
    known = 1 - hole_full
    height, width = hole_full.shape
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    known_small = cv2.resize(known.astype(np.float32), size, interpolation=cv2.INTER_AREA)
    photo_known = cv2.bitwise_and(photo[rows, cols], photo[rows, cols], mask=known)
    photo_small = cv2.resize(photo_known.astype(np.float32), size, interpolation=cv2.INTER_AREA)
    photo_tone = _smoothed(photo_small / np.maximum(known_small, 1e-6)[..., None], known_small)
    fill_float = fill[rows, cols].astype(np.float32)
    fill_tone = _smoothed(
        cv2.resize(fill_float, size, interpolation=cv2.INTER_AREA),
        np.ones(size[::-1], np.float32),
    )
    hole = known_small < 0.5
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * RING + 1, 2 * RING + 1))
    ring = (known_small > 0.99) & cv2.dilate(hole.view(np.uint8), disc).astype(bool)
    ring_rows, ring_cols = np.nonzero(ring)
    if ring_rows.size == 0:
        return fill
    if ring_rows.size > MAX_RING:
        pick = np.linspace(0, ring_rows.size - 1, MAX_RING).round().astype(int)
        ring_rows, ring_cols = ring_rows[pick], ring_cols[pick]
    hole_rows, hole_cols = np.nonzero(hole)
    near = (
        _squared_distances(
            np.stack([hole_rows, hole_cols], 1).astype(np.float32),
            np.stack([ring_rows, ring_cols], 1).astype(np.float32),
        )
        + 1.0
    ) ** -1.0
    border, inside = photo_tone[ring_rows, ring_cols], fill_tone[hole_rows, hole_cols]
    alike = near * np.exp(-_squared_distances(inside @ _LOOKS, border @ _LOOKS) / 2)
    weight = alike.sum(1)
    wanted = alike @ border / np.maximum(weight, 1e-12)[:, None]
    trust = np.clip(weight / near.sum(1) / CONFIDENT, 0, 1)[:, None]
    shift = np.zeros_like(fill_tone)
    shift[hole_rows, hole_cols] = np.clip(trust * (wanted - inside), -MAX_SHIFT, MAX_SHIFT)
    shift = _smoothed(shift, hole.astype(np.float32))
    fade = np.clip(depth_inside(hole_full) * (scale / TAPER), 0, 1)[..., None]
    fill_float += cv2.resize(shift, (width, height), interpolation=cv2.INTER_LINEAR) * fade
    shifted = np.clip(fill_float + 0.5, 0, 255).astype(np.uint8)
    out = fill.copy()
    np.copyto(out[rows, cols], shifted, where=hole_full.view(bool)[..., None])
    return out
