"""Grain for fills made at a reduced size: engines fill large crops at their working size, and
the upscaled fill lacks the detail the downscale removed, a soft patch at 100 % in a 12 MP photo.

The photo's own high-frequency layer (of its luminance) is copied into the hole in
overlapping, Hann-windowed tiles. Each tile's source lies near the hole and is chosen, among a
few candidates, as the one whose low-frequency content best matches the upscaled fill there, so
sand gets sand's grain and denim gets denim's.
"""

from __future__ import annotations

import cv2
import numpy as np

from amethyst.imaging.masks import grown

CANDIDATES = 8  # random sources tried per tile, besides the nearest one
MIN_SCALE = 1.5  # below this the upscaled fill keeps almost all of the detail


def _hann(size: int) -> np.ndarray:
    """A 2-D Hann window whose copies, overlapping by half, sum to a constant."""
    window = np.sin(np.pi * (np.arange(size) + 0.5) / size) ** 2
    return np.outer(window, window).astype(np.float32)


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


def _pick_sources(
    low: np.ndarray,
    low_fill: np.ndarray,
    valid: np.ndarray,
    centres: np.ndarray,
    size: int,
    seed: int,
) -> np.ndarray:
    """For each tile centre in ``centres`` (N x 2), the source centre (N x 2) among the nearest
    ``valid`` pixel and ``CANDIDATES`` random ones around it whose low frequencies (``low``, the
    photo) best match the fill's there (``low_fill``)."""
    half, search = size // 2, 4 * size
    height, width = valid.shape
    _, labels = cv2.distanceTransformWithLabels(
        (~valid).astype(np.uint8), cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL
    )
    nearest = np.argwhere(valid)[labels[centres[:, 0], centres[:, 1]] - 1]  # labels: row-major
    jitter = np.random.default_rng(seed).integers(
        -search, search + 1, (len(centres), CANDIDATES, 2)
    )
    candidates = np.concatenate([nearest[:, None], nearest[:, None] + jitter], axis=1)
    candidates[..., 0] = np.clip(candidates[..., 0], half, height - half - 1)
    candidates[..., 1] = np.clip(candidates[..., 1], half, width - half - 1)
    # Compare on a coarse grid of each tile; invalid sources never win.
    grid = np.arange(0, size, max(1, size // 4)) - half
    gy, gx = grid[:, None], grid[None, :]
    source = low[candidates[..., 0, None, None] + gy, candidates[..., 1, None, None] + gx]
    target = low_fill[centres[:, 0, None, None] + gy, centres[:, 1, None, None] + gx]
    cost = ((source - target[:, None]) ** 2).sum(axis=(2, 3))
    cost[~valid[candidates[..., 0], candidates[..., 1]]] = np.inf
    return candidates[np.arange(len(centres)), cost.argmin(axis=1)]


def _overlap_add(
    shape: tuple[int, int], tiles: np.ndarray, ti: np.ndarray, tj: np.ndarray, corner: np.ndarray
) -> np.ndarray:
    """Sum of ``tiles`` (N x size x size) at grid cells (``ti``, ``tj``) of a half-overlapping
    grid whose cell (0, 0) is at ``corner``, on a zero plane of ``shape`` (tiles may overhang
    it by up to a tile). Tiles of one row parity and one column parity never overlap, so each
    of the four families is laid out as one plane and added at once."""
    size = tiles.shape[1]
    plane = np.zeros((shape[0] + 2 * size, shape[1] + 2 * size), np.float32)
    for row_parity in (0, 1):
        for col_parity in (0, 1):
            family = (ti % 2 == row_parity) & (tj % 2 == col_parity)
            if not family.any():
                continue
            slot_i, slot_j = (ti[family] - row_parity) // 2, (tj[family] - col_parity) // 2
            laid = np.zeros((slot_i.max() + 1, slot_j.max() + 1, size, size), np.float32)
            laid[slot_i, slot_j] = tiles[family]
            top = corner[0] + row_parity * size // 2
            left = corner[1] + col_parity * size // 2
            rows, cols = laid.shape[0] * size, laid.shape[1] * size
            plane[top : top + rows, left : left + cols] += laid.swapaxes(1, 2).reshape(rows, cols)
    return plane[: shape[0], : shape[1]]


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
    reach = half + int(np.ceil(2 * sigma))  # sources clear of the hole's blur
    ys, xs = np.nonzero(hole)
    pad = reach + 4 * size + size  # the reach, the candidates' search and a tile
    top, left = max(0, ys.min() - pad), max(0, xs.min() - pad)
    box = np.s_[top : ys.max() + 1 + pad, left : xs.max() + 1 + pad]
    hole_box = hole[box]
    height, width = hole_box.shape
    if height <= size or width <= size:
        return filled
    valid = ~grown(hole_box, reach)
    valid[:half] = valid[height - half :] = False
    valid[:, :half] = valid[:, width - half :] = False
    if not valid.any():
        return filled
    # Grain is carried in luminance only: three times less work, and the eye reads fine
    # detail mostly there (the fill keeps its own colour).
    photo = cv2.cvtColor(crop[box], cv2.COLOR_RGB2GRAY).astype(np.float32)
    low = cv2.GaussianBlur(photo, (0, 0), sigma)
    fill_grey = cv2.cvtColor(filled[box], cv2.COLOR_RGB2GRAY).astype(np.float32)
    low_fill = cv2.GaussianBlur(fill_grey, (0, 0), sigma)
    rows, cols, active = _tile_grid(hole_box, size)
    ti, tj = np.nonzero(active)
    centres = np.stack([rows[ti] + half, cols[tj] + half], axis=1)
    chosen = _pick_sources(low, low_fill, valid, centres, size, seed)
    offsets = np.arange(size) - half
    window = _hann(size)
    high = photo - low
    tiles = high[chosen[:, 0, None, None] + offsets[:, None], chosen[:, 1, None, None] + offsets]
    corner = np.array([rows[0], cols[0]])
    total = _overlap_add((height, width), tiles * window, ti, tj, corner)
    weight = _overlap_add((height, width), np.broadcast_to(window, tiles.shape), ti, tj, corner)
    grain = (total / np.maximum(weight, 1e-3))[..., None]
    grainy = np.clip(grain + filled[box] + 0.5, 0, 255).astype(np.uint8)
    out = filled.copy()
    np.copyto(out[box], grainy, where=hole_box[..., None])
    return out
