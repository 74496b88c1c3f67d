"""Give a smooth fill real grain: keep its coarse colours, copy fine detail from the photo.

A learned fill gets the coarse layout right but comes out as a smear. Here every hole pixel
keeps the fill's coarse colour (a 2 px Gaussian) and takes its fine detail from a photo pixel at
one of a few dozen offsets around the hole, the offset whose coarse colours best match the
fill's nearby. Strong edges are limited to the grain's level so no object outline is copied.
"""

from __future__ import annotations

import cv2
import numpy as np

from amethyst.imaging.detail import DETAIL_SIGMA  # fine detail: what this Gaussian removes
from amethyst.imaging.masks import away_from, depth_inside

SCALE = 4  # offsets are chosen on a grid this many times coarser (the colours compared are smooth)
WINDOW = 15  # px: the neighbourhood whose coarse colours must match
GUARD = 4  # px: photo pixels this close to the hole carry some of the fill's blur: not copied
CLIP = 3.0  # copied detail is limited to this many robust standard deviations of the photo's
TAPER = 4.0  # px: over this depth from the border the copied detail fades in
RINGS = (1.5, 2.5, 4.0)  # offset distances, in units of the hole's largest inner distance
DIRECTIONS = 12


def _offsets(mask: np.ndarray) -> list[tuple[int, int]]:
    """Candidate (dy, dx) offsets on the coarse grid (in its cells): rings around each pixel
    that reach past the hole's middle."""
    depth = max(4.0, float(cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5).max()))
    angles = np.arange(DIRECTIONS) * 2 * np.pi / DIRECTIONS
    height, width = (side // SCALE for side in mask.shape)
    offsets = []
    for ring in RINGS:
        for angle in angles:
            reach = ring * depth / SCALE
            dy, dx = round(reach * np.sin(angle)), round(reach * np.cos(angle))
            if abs(dy) < height and abs(dx) < width and (dy, dx) not in offsets:
                offsets.append((dy, dx))
    return offsets


def _shifted(image: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """``out[p] = image[p + (dy, dx)]``, zero where that falls off the image."""
    height, width = image.shape[:2]
    out = np.zeros_like(image)
    out[max(-dy, 0) : height - max(dy, 0), max(-dx, 0) : width - max(dx, 0)] = image[
        max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)
    ]
    return out


def _best_offsets(
    coarse: np.ndarray, source: np.ndarray, offsets: list[tuple[int, int]]
) -> np.ndarray:
    """Per pixel of the coarse grid, the index of the offset whose source pixel is usable and
    whose neighbourhood's colours are closest; -1 where no offset has a usable source."""
    window = max(3, WINDOW // SCALE | 1)
    best = np.full(coarse.shape[:2], np.inf, np.float32)
    choice = np.full(coarse.shape[:2], -1, np.int32)
    for index, (dy, dx) in enumerate(offsets):
        usable = _shifted(source, dy, dx)
        if not usable.any():
            continue
        distance = ((_shifted(coarse, dy, dx) - coarse) ** 2).sum(2)
        cost = np.where(usable, cv2.blur(distance, (window, window)), np.inf)
        better = cost < best
        best[better] = cost[better]
        choice[better] = index
    return choice


def transfer_detail(photo: np.ndarray, mask: np.ndarray, fill: np.ndarray) -> np.ndarray:
    """``fill`` (HxWx3 uint8, ``photo`` with its ``mask`` filled) with the fine detail inside the
    mask copied from the photo around it; the coarse colours stay the fill's, pixels outside the
    mask stay as they are, and the photo's pixels inside the mask are never looked at."""
    mask = mask.astype(bool)
    if not mask.any() or mask.all():
        return fill
    height, width = mask.shape
    whole = np.where(mask[..., None], fill, photo).astype(np.float32)
    base = cv2.GaussianBlur(whole, (0, 0), DETAIL_SIGMA)
    detail = whole - base

    source = away_from(mask, GUARD)
    small = (max(1, width // SCALE), max(1, height // SCALE))
    coarse = cv2.cvtColor(
        cv2.resize(base, small, interpolation=cv2.INTER_AREA) / 255, cv2.COLOR_RGB2LAB
    )
    usable = cv2.resize(source.astype(np.float32), small, interpolation=cv2.INTER_AREA) > 0.99
    offsets = _offsets(mask)
    choice = _best_offsets(coarse, usable, offsets)
    choice = cv2.resize(choice, (width, height), interpolation=cv2.INTER_NEAREST)

    ys, xs = np.nonzero(mask)
    picked = choice[ys, xs]
    table = SCALE * np.array([(0, 0), *offsets], np.int64)[picked + 1]
    sy, sx = ys + table[:, 0], xs + table[:, 1]
    inside = (picked >= 0) & (sy >= 0) & (sy < height) & (sx >= 0) & (sx < width)
    ok = inside.copy()
    ok[inside] = source[sy[inside], sx[inside]]
    copied = detail[ys, xs]
    copied[ok] = detail[sy[ok], sx[ok]]

    ring = cv2.dilate(mask.astype(np.uint8), np.ones((31, 31), np.uint8)).astype(bool) & ~mask
    spread = 1.4826 * float(np.median(np.abs(detail[ring]))) if ring.any() else 0.0
    limit = CLIP * spread + 1e-3
    copied = limit * np.tanh(copied / limit)
    depth = depth_inside(mask)[ys, xs]
    fade = np.clip(depth / TAPER, 0, 1)[:, None]
    copied = fade * copied + (1 - fade) * detail[ys, xs]

    out = fill.copy()
    out[ys, xs] = np.clip(base[ys, xs] + copied + 0.5, 0, 255).astype(np.uint8)
    return out
