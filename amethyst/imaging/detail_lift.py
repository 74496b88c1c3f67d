"""Give an exemplar fill made on a downscaled crop the photo's own full-resolution detail.

A PatchMatch fill is a mosaic of pieces of the photo, but when the crop was shrunk to the
engine's working size and the fill upscaled back, every piece is soft at 100 %. Here each hole
pixel's source is found again at the working size (the known patch that its neighbourhood in
the fill matches best), and the fine detail of that source, read from the photo at full
resolution, is laid over the upscaled fill: the fill keeps its layout and gets its texture back.
"""

from __future__ import annotations

import cv2
import numpy as np

from amethyst.imaging.masks import away_from

RADIUS = 2  # working-size px: patches of 5x5 are matched
DIMENSIONS = 8  # the patches are compared on this many principal components
CHECKS = 16  # FLANN's search effort per query
STRIDE = 2  # sources are searched on this grid; other pixels take the best of their neighbours'
SIGMA = 1.0  # working-size px: the detail laid over is what a Gaussian of this width removes
TAPER = 2.0  # working-size px: over this depth from the hole's edge the detail fades in


def _projected_patches(fill: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Per pixel, its (2 RADIUS + 1)^2 neighbourhood in Lab projected on the ``DIMENSIONS``
    principal components of the usable pixels' neighbourhoods (HxWxDIMENSIONS float32). The
    projection is a sum of small filters, so no pixel's whole patch is ever stored."""
    lab = cv2.cvtColor(fill, cv2.COLOR_RGB2LAB).astype(np.float32)
    height, width = usable.shape
    side = 2 * RADIUS + 1
    sy, sx = np.nonzero(usable)
    step = max(1, sy.size // 4000)
    sy, sx = sy[::step], sx[::step]
    sample = np.concatenate(
        [lab[sy + dy - RADIUS, sx + dx - RADIUS] for dy in range(side) for dx in range(side)],
        axis=1,
    )
    mean = sample.mean(axis=0)
    centred = sample - mean
    axes = np.linalg.eigh(centred.T @ centred)[1][:, ::-1][:, :DIMENSIONS].astype(np.float32)
    kernels = axes.reshape(side, side, 3, DIMENSIONS)
    projected = np.empty((height, width, DIMENSIONS), np.float32)
    for d in range(DIMENSIONS):
        projected[..., d] = sum(
            cv2.filter2D(lab[..., c], -1, kernels[..., c, d], borderType=cv2.BORDER_REFLECT)
            for c in range(3)
        ) - float(mean @ axes[:, d])
    return projected


def source_offsets(fill: np.ndarray, hole: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel of ``fill`` (HxWx3 uint8, the hole filled), the (dy, dx) HxW int32 arrays to
    the known pixel whose patch best matches its own; (0, 0) outside ``hole`` and where no
    source exists. Sources lie wholly outside the hole and inside the image."""
    height, width = hole.shape
    dy, dx = np.zeros(hole.shape, np.int32), np.zeros(hole.shape, np.int32)
    usable = away_from(hole, RADIUS + 1)
    usable[:RADIUS], usable[height - RADIUS :] = False, False
    usable[:, :RADIUS], usable[:, width - RADIUS :] = False, False
    if usable.sum() < 2 or not hole.any():
        return dy, dx
    projected = _projected_patches(fill, usable)
    sy, sx = np.nonzero(usable)

    grid = hole.copy()
    grid[1::STRIDE] = False
    grid[:, 1::STRIDE] = False
    gy, gx = np.nonzero(grid)
    # FLANN's randomised k-d tree draws from OpenCV's per-thread generator: seed it, so the
    # same fill always finds the same sources.
    cv2.setRNGSeed(0)
    index = cv2.flann_Index(np.ascontiguousarray(projected[sy, sx]), {"algorithm": 1, "trees": 1})
    found, _ = index.knnSearch(
        np.ascontiguousarray(projected[gy, gx]), 1, params={"checks": CHECKS}
    )
    dy[gy, gx] = sy[found[:, 0]] - gy
    dx[gy, gx] = sx[found[:, 0]] - gx
    _spread_from_grid(projected, hole, grid, usable, dy, dx)
    return dy, dx


def _spread_from_grid(
    projected: np.ndarray,
    hole: np.ndarray,
    grid: np.ndarray,
    usable: np.ndarray,
    dy: np.ndarray,
    dx: np.ndarray,
) -> None:
    """Give each hole pixel off the grid (in place) the offset, among those of the grid pixels
    around it, whose source matches it best."""
    height, width = hole.shape
    ys, xs = np.nonzero(hole & ~grid)
    if ys.size == 0:
        return
    best = np.full(ys.size, np.inf, np.float32)
    chosen_y, chosen_x = np.zeros(ys.size, np.int32), np.zeros(ys.size, np.int32)
    for step_y in (0, 1):
        for step_x in (0, 1):
            ny = np.clip(ys - ys % STRIDE + step_y * STRIDE, 0, height - 1)
            nx = np.clip(xs - xs % STRIDE + step_x * STRIDE, 0, width - 1)
            on_grid = grid[ny, nx]
            oy, ox = dy[ny, nx], dx[ny, nx]
            ty, tx = np.clip(ys + oy, 0, height - 1), np.clip(xs + ox, 0, width - 1)
            valid = on_grid & usable[ty, tx]
            cost = ((projected[ys, xs] - projected[ty, tx]) ** 2).sum(axis=1)
            better = valid & (cost < best)
            best[better] = cost[better]
            chosen_y[better], chosen_x[better] = oy[better], ox[better]
    dy[ys, xs], dx[ys, xs] = chosen_y, chosen_x


def lift_detail(
    photo: np.ndarray,
    mask: np.ndarray,
    small_fill: np.ndarray,
    small_hole: np.ndarray,
    upscaled: np.ndarray,
) -> np.ndarray:
    """``upscaled`` (HxWx3 uint8, ``small_fill`` resized to ``photo``'s size) with, inside
    ``mask``, the full-resolution detail of each pixel's source in ``photo`` added. The photo's
    pixels inside ``mask`` (what is being removed) are never looked at."""
    mask = mask.astype(bool)
    height, width = mask.shape
    scale = small_hole.shape[1] / width
    offset_y, offset_x = source_offsets(small_fill, small_hole)

    ys, xs = np.nonzero(mask)
    small_y = np.minimum(((ys + 0.5) * scale).astype(np.int64), small_hole.shape[0] - 1)
    small_x = np.minimum(((xs + 0.5) * scale).astype(np.int64), small_hole.shape[1] - 1)
    picked = small_hole[small_y, small_x]
    source_y = ys + np.rint(offset_y[small_y, small_x] / scale).astype(np.int64)
    source_x = xs + np.rint(offset_x[small_y, small_x] / scale).astype(np.int64)

    sigma = SIGMA / scale
    clean = np.array(photo, order="C")
    cv2.copyTo(upscaled, mask.view(np.uint8), clean)
    blurred = cv2.GaussianBlur(clean, (0, 0), sigma)
    trusted = away_from(mask, int(np.ceil(3 * sigma)))  # their blur never reached the hole
    inside = (source_y >= 0) & (source_y < height) & (source_x >= 0) & (source_x < width)
    ok = picked & inside
    ok[ok] = trusted[source_y[ok], source_x[ok]]

    depth = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 3)[ys[ok], xs[ok]]
    fade = np.clip(depth * scale / TAPER, 0.0, 1.0)[:, None]
    sources, targets = (source_y[ok], source_x[ok]), (ys[ok], xs[ok])
    detail = clean[sources].astype(np.float32) - blurred[sources]
    own = upscaled[targets].astype(np.float32) - blurred[targets]
    values = blurred[targets] + fade * detail + (1.0 - fade) * own
    out = upscaled.copy()
    out[ys[ok], xs[ok]] = np.clip(values + 0.5, 0, 255).astype(np.uint8)
    return out
