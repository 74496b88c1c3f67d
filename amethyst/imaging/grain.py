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

CANDIDATES = 12  # random sources tried per tile, besides the nearest one
MIN_SCALE = 1.5  # below this the upscaled fill keeps almost all of the detail


def _hann(size: int) -> np.ndarray:
    """A 2-D Hann window whose copies, overlapping by half, sum to a constant."""
    window = np.sin(np.pi * (np.arange(size) + 0.5) / size) ** 2
    return np.outer(window, window).astype(np.float32)[..., None]


def _tile_origins(hole: np.ndarray, size: int) -> np.ndarray:
    """Top-left corners (N x 2) of the half-overlapping tiles that touch the hole."""
    half = size // 2
    height, width = hole.shape
    ys, xs = np.nonzero(hole)
    rows = np.arange(max(0, ys.min() - half), min(ys.max() + 1, height - size + 1), half)
    cols = np.arange(max(0, xs.min() - half), min(xs.max() + 1, width - size + 1), half)
    grid = np.stack(np.meshgrid(rows, cols, indexing="ij"), -1).reshape(-1, 2)
    integral = cv2.integral(hole.astype(np.uint8))
    y, x = grid[:, 0], grid[:, 1]
    count = (
        integral[y + size, x + size]
        - integral[y, x + size]
        - integral[y + size, x]
        + integral[y, x]
    )
    return grid[count > 0]


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
    origins = _tile_origins(hole_box, size)
    nearest = centres[labels[origins[:, 0] + half, origins[:, 1] + half] - 1]
    rng = np.random.default_rng(seed)
    jitter = rng.integers(-search, search + 1, (len(origins), CANDIDATES, 2))
    candidates = np.concatenate([nearest[:, None], nearest[:, None] + jitter], axis=1)
    candidates[..., 0] = np.clip(candidates[..., 0], half, height - half - 1)
    candidates[..., 1] = np.clip(candidates[..., 1], half, width - half - 1)
    # Compare low-frequency content on a coarse grid of each tile; invalid sources never win.
    grid = np.arange(0, size, max(1, size // 8)) - half
    gy, gx = grid[:, None], grid[None, :]
    source = low[candidates[..., 0, None, None] + gy, candidates[..., 1, None, None] + gx]
    target = low_fill[origins[:, 0, None, None] + half + gy, origins[:, 1, None, None] + half + gx]
    cost = ((source - target[:, None]) ** 2).sum(axis=(2, 3, 4))
    cost[~valid[candidates[..., 0], candidates[..., 1]]] = np.inf
    chosen = candidates[np.arange(len(origins)), cost.argmin(axis=1)]
    window = _hann(size)
    total = np.zeros((height, width, 3), np.float32)
    weight = np.zeros((height, width, 1), np.float32)
    for (y, x), (sy, sx) in zip(origins, chosen, strict=True):
        total[y : y + size, x : x + size] += (
            high[sy - half : sy + half, sx - half : sx + half] * window
        )
        weight[y : y + size, x : x + size] += window
    grain = total / np.maximum(weight, 1e-3)
    out = filled.copy()
    region = out[box]
    region[hole_box] = np.clip(region[hole_box] + grain[hole_box] + 0.5, 0, 255).astype(np.uint8)
    return out
