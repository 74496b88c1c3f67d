"""Carry the photo's own fine texture a few pixels into a fill made on a shrunk crop.

A fill made at the working size and brought back to full resolution meets the photo along the
hole's edge with its texture out of step: at 100 % a 12 MP fill showed a hard line along the
whole edge (the grey-level gradient across it was twice the photo's). Here the fine band of the
hole's outer pixels is taken from the photo itself, mirrored across the edge (a pixel at depth
d reads the photo pixel at distance d - 1 outside, along the smoothed way into the hole), and
cross-faded into the fill's own band over a few working-size pixels' depth, so the photo's
texture runs on into the fill.
"""

from __future__ import annotations

import cv2
import numpy as np

from amethyst.cores import cpu_count, map_on_cores
from amethyst.regions import Box, bounding_box

WIDTH = 1.3  # working-size px: the depth over which the photo's band fades into the fill's
SIGMA = 0.65  # working-size px: the fine band is what a Gaussian of this width removes
TILE = 256  # the hole's edge is worked on in tiles of this size, at once on the cores


def continue_texture(
    photo: np.ndarray,
    mask: np.ndarray,
    filled: np.ndarray,
    scale: float,
    keep_out: np.ndarray | None = None,
) -> np.ndarray:
    """``filled`` (HxWx3 uint8, the fill of ``photo``'s ``mask`` at full resolution, made at
    ``scale`` < 1) with the fine band of the hole's outer pixels taken from the photo mirrored
    across the hole's edge, cross-faded into the fill's own. Pixels outside ``mask`` are
    ``filled``'s, the photo's pixels inside ``mask`` are never looked at, and where the mirror
    falls on ``keep_out`` the fill keeps its own band."""
    holes = bounding_box(mask)
    if holes is None:
        return filled
    width, sigma = WIDTH / scale, SIGMA / scale
    # A tile's pixels read the photo up to twice ``width`` px away, and its blur 3 sigma further.
    reach = int(np.ceil(2 * width + 3 * sigma)) + 2
    out = filled.copy()

    def tile(core: Box) -> None:
        region = core.grown(reach, mask.shape[1], mask.shape[0])
        hole = mask[region.slices]
        # The fill's own band wherever the mirror would fall on kept-out pixels, as in the hole.
        skip = hole if keep_out is None else hole | keep_out[region.slices]
        ys, xs, values = _mirrored(photo[region.slices], hole, skip,
                                   filled[region.slices], width, sigma)  # fmt: skip
        ys, xs = ys + region.y0, xs + region.x0
        keep = (ys >= core.y0) & (ys < core.y1) & (xs >= core.x0) & (xs < core.x1)
        out[ys[keep], xs[keep]] = values[keep]

    map_on_cores(tile, _edge_tiles(mask, holes, int(np.ceil(width))), cpu_count())
    return out


def _edge_tiles(mask: np.ndarray, holes: Box, near: int) -> list[Box]:
    """The tiles of the hole's box that hold hole pixels within ``near`` px of a photo pixel:
    only the hole's edge is worked on, not the inside of a large hole."""
    height, width = mask.shape
    tiles = []
    for y0 in range(holes.y0, holes.y1, TILE):
        for x0 in range(holes.x0, holes.x1, TILE):
            core = Box(x0, y0, min(x0 + TILE, holes.x1), min(y0 + TILE, holes.y1))
            if mask[core.slices].any() and not mask[core.grown(near, width, height).slices].all():
                tiles.append(core)
    return tiles


def _mirrored(
    photo: np.ndarray,
    hole: np.ndarray,
    skip: np.ndarray,
    filled: np.ndarray,
    width: float,
    sigma: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The hole pixels less than ``width`` deep in this crop (rows, columns) and their new
    values (Nx3 uint8); those whose mirror falls on ``skip`` keep the fill's band."""
    # The photo outside the hole, the fill inside: the image whose fine band is mirrored.
    joined = np.array(photo, order="C")
    cv2.copyTo(filled, hole.view(np.uint8), joined)
    fine = cv2.subtract(joined, cv2.GaussianBlur(joined, (0, 0), sigma), dtype=cv2.CV_32F)
    depth = cv2.distanceTransform(hole.view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    ys, xs = np.nonzero(hole & (depth < width))
    if ys.size == 0:
        return ys, xs, np.empty((0, 3), np.uint8)
    # The way into the hole, smoothed so that neighbouring pixels mirror neighbouring spots
    # (the nearest photo pixel's direction jumps between eight, which drew a jagged edge), and
    # the photo pixel as far outside the edge as the pixel lies inside, less one: depth 1 is
    # the pixel next to the photo, which mirrors the photo pixel next to it.
    smooth = cv2.GaussianBlur(depth, (0, 0), 1.0)
    inward_y = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)[ys, xs]
    inward_x = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3)[ys, xs]
    length = np.hypot(inward_y, inward_x)
    step = (2 * depth[ys, xs] - 1) / np.maximum(length, 1e-6)
    row = np.clip(np.rint(ys - inward_y * step).astype(np.int64), 0, hole.shape[0] - 1)
    col = np.clip(np.rint(xs - inward_x * step).astype(np.int64), 0, hole.shape[1] - 1)

    # Cross-faded by depth, scaled so that two unrelated textures keep their contrast. Where
    # the way in is unclear (the middle of a thin hole), or the mirror falls into the hole, the
    # fill keeps its own band.
    fill_share = np.clip((depth[ys, xs] - 0.5) / (width - 0.5), 0.0, 1.0)
    fill_share[(length < 0.2) | skip[row, col]] = 1.0
    norm = np.sqrt(fill_share**2 + (1 - fill_share) ** 2)
    own = fine[ys, xs]
    values = joined[ys, xs] - own
    values += ((1 - fill_share) / norm)[:, None] * fine[row, col]
    values += (fill_share / norm)[:, None] * own
    return ys, xs, np.clip(np.rint(values), 0, 255).astype(np.uint8)
