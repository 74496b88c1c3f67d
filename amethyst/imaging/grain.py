"""Grain for fills made at a reduced size: engines fill large crops at their working size, and
the upscaled fill lacks the detail the downscale removed, a soft patch at 100 % in a 12 MP photo.

The photo's own high-frequency layer is copied into the hole in overlapping, Hann-windowed
tiles. Each tile's source lies near the hole and is chosen, among a few candidates, as the one
whose low-frequency content best matches the upscaled fill there, so sand gets sand's grain and
denim gets denim's.
"""

from __future__ import annotations

import cv2
import numpy as np

CANDIDATES = 8  # random sources tried per tile, besides the nearest one
MIN_SCALE = 1.5  # below this the upscaled fill keeps almost all of the detail


def _hann(size: int) -> np.ndarray:
    """A 2-D Hann window whose copies, overlapping by half, sum to a constant."""
    window = np.sin(np.pi * (np.arange(size) + 0.5) / size) ** 2
    return np.outer(window, window).astype(np.float32)[..., None]


def _tile_grid(hole: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows and columns of the half-overlapping tile grid over the hole's bounding box, and
    which of its tiles touch the hole."""
    half = size // 2
    height, width = hole.shape
    ys, xs = np.nonzero(hole)
    rows = np.arange(max(0, ys.min() - half), min(ys.max() + 1, height - size + 1), half)
    cols = np.arange(max(0, xs.min() - half), min(xs.max() + 1, width - size + 1), half)
    integral = cv2.integral(hole.astype(np.uint8))
    y, x = rows[:, None], cols[None, :]
    count = integral[y + size, x + size] - integral[y, x + size] - integral[y + size, x]
    return rows, cols, count + integral[y, x] > 0


def restore_grain(
    crop: np.ndarray, hole: np.ndarray, filled: np.ndarray, scale: float, seed: int = 0
) -> np.ndarray:
    """``filled`` (HxWx3 uint8: ``crop`` with its ``hole`` filled at 1/``scale`` of its size,
    then upscaled) with the photo's finer detail added inside the hole; pixels outside the hole
    are returned unchanged. A crop with no known area far enough from the hole is returned as is."""
    if scale < MIN_SCALE or not hole.any():
        return filled
    sigma = 0.5 * scale
    size = max(8, 2 * round(3 * scale))
    half = size // 2
    search = 4 * size
    reach = half + int(np.ceil(2 * sigma))  # sources clear of the hole's blur
    ys, xs = np.nonzero(hole)
    pad = reach + search + size
    top, left = max(0, ys.min() - pad), max(0, xs.min() - pad)
    box = np.s_[top : ys.max() + 1 + pad, left : xs.max() + 1 + pad]
    photo, hole_box = crop[box].astype(np.float32), hole[box]
    low = cv2.GaussianBlur(photo, (0, 0), sigma)
    high = photo - low
    low_fill = cv2.GaussianBlur(filled[box].astype(np.float32), (0, 0), sigma)
    height, width = hole_box.shape
    if height <= size or width <= size:
        return filled
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
    valid = ~cv2.dilate(hole_box.astype(np.uint8), kernel).astype(bool)
    valid[:half] = valid[height - half :] = False
    valid[:, :half] = valid[:, width - half :] = False
    if not valid.any():
        return filled
    _, labels = cv2.distanceTransformWithLabels(
        (~valid).astype(np.uint8), cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL
    )
    centres = np.argwhere(valid)  # in row-major order, the order of the labels
    rows, cols, active = _tile_grid(hole_box, size)
    rng = np.random.default_rng(seed)
    grid = np.arange(0, size, max(1, size // 4)) - half  # where tiles are compared
    gy, gx = grid[:, None], grid[None, :]
    offsets = np.arange(size) - half
    window = _hann(size)
    total = np.zeros((height + size, width + 2 * size, 3), np.float32)
    weight = np.zeros((height + size, width + 2 * size, 1), np.float32)
    for i, y in enumerate(rows):  # one row of tiles at a time keeps memory small
        js = np.nonzero(active[i])[0]
        if not len(js):
            continue
        xs = cols[js]
        nearest = centres[labels[y + half, xs + half] - 1]
        jitter = rng.integers(-search, search + 1, (len(js), CANDIDATES, 2))
        candidates = np.concatenate([nearest[:, None], nearest[:, None] + jitter], axis=1)
        candidates[..., 0] = np.clip(candidates[..., 0], half, height - half - 1)
        candidates[..., 1] = np.clip(candidates[..., 1], half, width - half - 1)
        # Compare low frequencies on a coarse grid of each tile; invalid sources never win.
        source = low[candidates[..., 0, None, None] + gy, candidates[..., 1, None, None] + gx]
        target = low_fill[y + half + gy, xs[:, None, None] + half + gx]
        cost = ((source - target[:, None]) ** 2).sum(axis=(2, 3, 4))
        cost[~valid[candidates[..., 0], candidates[..., 1]]] = np.inf
        chosen = candidates[np.arange(len(js)), cost.argmin(axis=1)]
        tiles = high[
            chosen[:, 0, None, None] + offsets[:, None], chosen[:, 1, None, None] + offsets
        ]
        # Tiles of one parity of column never overlap: lay each parity out as one strip.
        for parity in (0, 1):
            picked = js % 2 == parity
            if not picked.any():
                continue
            first = (js[picked][0] - parity) // 2
            slots = (js[picked] - parity) // 2 - first
            strip = np.zeros((slots[-1] + 1, size, size, 3), np.float32)
            strip[slots] = tiles[picked] * window
            mask = np.zeros((slots[-1] + 1, size, size, 1), np.float32)
            mask[slots] = window
            x = cols[parity] + 2 * first * half
            span = (slots[-1] + 1) * size
            total[y : y + size, x : x + span] += strip.transpose(1, 0, 2, 3).reshape(size, span, 3)
            weight[y : y + size, x : x + span] += mask.transpose(1, 0, 2, 3).reshape(size, span, 1)
    grain = total[:height, :width] / np.maximum(weight[:height, :width], 1e-3)
    grainy = np.clip(grain + filled[box] + 0.5, 0, 255).astype(np.uint8)
    out = filled.copy()
    np.copyto(out[box], grainy, where=hole_box[..., None])
    return out
