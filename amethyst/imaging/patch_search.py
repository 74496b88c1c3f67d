"""Compiled kernels of exemplar completion: PatchMatch's search for each hole patch's nearest
known patch (Barnes et al. 2009) and the vote that turns those matches into pixels.

Only the patches that overlap the hole are searched, only hole pixels are voted, and the
random numbers come from a seeded generator, so a fill is the same on every run. Every kernel
releases the GIL. Costs are mean squared differences per pixel and channel (0-65025),
weighted by how far each target pixel is trusted, the same at every pyramid level.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

# A patch's vote weight falls from 1 to 0 around this mean squared difference (an RMS
# difference of about 50 grey levels), over about this width: near-uniform for good matches.
SIMILARITY_MIDPOINT = 2400.0
SIMILARITY_WIDTH = 250.0
# What a source pixel inside the hole adds to the distance, per channel: the largest difference.
HOLE_PENALTY = 65025.0


class Scene(NamedTuple):
    """What the search reads at one pyramid level (HxW unless said; "padded" adds the patch
    radius on every side)."""

    features: np.ndarray  # padded HxWxC float32: what patches are compared on
    confidence: np.ndarray  # padded float32: how far each pixel's value is trusted
    blocked: np.ndarray  # padded uint8: hole pixels, which a source patch should not hold
    norm: np.ndarray  # float64: each target patch's summed confidence times C
    valid: np.ndarray  # bool: centres of source patches
    nearest: np.ndarray  # HxWx2 int64: the nearest valid centre to each pixel
    radius: int
    guide_cost: float  # what a source pays for lying at another height, at full penalty
    guide_band: float  # rows away at which that penalty is full


@njit(nogil=True, cache=True)
def _random(state: np.ndarray) -> int:
    """The next 31-bit number of a linear congruential generator kept in ``state[0]``."""
    state[0] = state[0] * 6364136223846793005 + 1442695040888963407
    return (state[0] >> 33) & 0x7FFFFFFF


@njit(nogil=True, cache=True)
def _distance(scene, py, px, qy, qx, limit):
    """Confidence-weighted sum of squared differences between the target patch at (py, px)
    and the source patch at (qy, qx); a source pixel in the hole counts as the largest
    difference. It stops counting once it passes ``limit``."""
    features, confidence, blocked = scene.features, scene.confidence, scene.blocked
    total = 0.0
    width = 2 * scene.radius + 1
    channels = features.shape[2]
    for dy in range(width):
        for dx in range(width):
            if blocked[qy + dy, qx + dx]:
                pixel = HOLE_PENALTY * channels
            else:
                pixel = 0.0
                for c in range(channels):
                    diff = features[py + dy, px + dx, c] - features[qy + dy, qx + dx, c]
                    pixel += diff * diff
            total += pixel * confidence[py + dy, px + dx]
        if total >= limit:
            return total
    return total


@njit(nogil=True, cache=True)
def _guide_cost(scene, py, qy):
    """What a source ``qy - py`` rows away pays for its height."""
    if scene.guide_cost == 0.0:
        return 0.0
    return scene.guide_cost * min(abs(qy - py) / scene.guide_band, 1.0)


@njit(nogil=True, cache=True)
def _try(scene, nnf, cost, py, px, qy, qx):
    """Link (py, px) to the source patch (qy, qx) if that is valid and closer."""
    h, w = scene.valid.shape
    if qy < 0 or qy >= h or qx < 0 or qx >= w or not scene.valid[qy, qx]:
        return
    if nnf[py, px, 0] == qy and nnf[py, px, 1] == qx:
        return
    penalty = _guide_cost(scene, py, qy)
    limit = (cost[py, px] - penalty) * scene.norm[py, px]
    if limit <= 0.0:
        return
    distance = _distance(scene, py, px, qy, qx, limit)
    if distance < limit:
        nnf[py, px, 0] = qy
        nnf[py, px, 1] = qx
        cost[py, px] = distance / scene.norm[py, px] + penalty


@njit(nogil=True, cache=True)
def measure(scene, nnf, cost, ys, xs):
    """Set ``cost`` of the links of the pixels (ys, xs) against the current target."""
    for i in range(ys.size):
        py, px = ys[i], xs[i]
        qy, qx = nnf[py, px, 0], nnf[py, px, 1]
        distance = _distance(scene, py, px, qy, qx, np.inf)
        cost[py, px] = distance / scene.norm[py, px] + _guide_cost(scene, py, qy)


@njit(nogil=True, cache=True)
def search(scene, nnf, cost, ys, xs, top, bottom, passes, seed):
    """PatchMatch passes over the pixels (ys, xs), in raster order, all in rows ``top`` to
    ``bottom`` (exclusive): each tries its neighbours' links shifted by one pixel
    (propagation, from those rows only, so that bands of rows can be searched at once), then
    random sources at halving distances around its own. ``nnf`` (HxWx2 source rows and
    columns) and ``cost`` are updated in place."""
    h, w = scene.valid.shape
    state = np.array([seed], np.int64)
    n = ys.size
    for number in range(passes):
        step = 1 if number % 2 == 0 else -1
        for k in range(n):
            i = k if step == 1 else n - 1 - k
            py, px = ys[i], xs[i]
            ny = py - step
            if top <= ny < bottom and nnf[ny, px, 0] >= 0:
                _try(scene, nnf, cost, py, px, nnf[ny, px, 0] + step, nnf[ny, px, 1])
            nx = px - step
            if 0 <= nx < w and nnf[py, nx, 0] >= 0:
                _try(scene, nnf, cost, py, px, nnf[py, nx, 0], nnf[py, nx, 1] + step)
            reach = max(h, w)
            while reach >= 1:
                qy = nnf[py, px, 0] + _random(state) % (2 * reach + 1) - reach
                qx = nnf[py, px, 1] + _random(state) % (2 * reach + 1) - reach
                qy = min(max(qy, 0), h - 1)
                qx = min(max(qx, 0), w - 1)
                _try(scene, nnf, cost, py, px, scene.nearest[qy, qx, 0], scene.nearest[qy, qx, 1])
                reach //= 2


@njit(nogil=True, cache=True)
def vote(source, scene, nnf, cost, ys, xs, hole, best_only, total, weight):
    """Every searched patch gives its source's known pixels to the hole pixels it covers.

    ``best_only`` False: ``total`` (HxWx3) and ``weight`` (HxW) sum the votes, weighted by
    the patch's similarity and its centre's confidence. True: each pixel keeps the vote of its
    most similar patch (near ties go to the patch centred closest), which keeps a fill as sharp
    as its sources."""
    h, w = hole.shape
    radius = scene.radius
    for i in range(ys.size):
        py, px = ys[i], xs[i]
        qy, qx = nnf[py, px, 0], nnf[py, px, 1]
        similarity = scene.confidence[py + radius, px + radius] / (
            1.0 + np.exp((cost[py, px] - SIMILARITY_MIDPOINT) / SIMILARITY_WIDTH)
        )
        for dy in range(-radius, radius + 1):
            y = py + dy
            if y < 0 or y >= h:
                continue
            for dx in range(-radius, radius + 1):
                x = px + dx
                if x < 0 or x >= w or not hole[y, x] or hole[qy + dy, qx + dx]:
                    continue
                if best_only:
                    nearness = similarity * (1.0 - 1e-5 * (dy * dy + dx * dx))
                    if nearness > weight[y, x]:
                        weight[y, x] = nearness
                        for c in range(3):
                            total[y, x, c] = source[qy + dy, qx + dx, c] * nearness
                else:
                    weight[y, x] += similarity
                    for c in range(3):
                        total[y, x, c] += source[qy + dy, qx + dx, c] * similarity


@njit(nogil=True, cache=True)
def random_links(valid_ys, valid_xs, nnf, ys, xs, seed):
    """Link each pixel (ys, xs) to a random valid source."""
    state = np.array([seed], np.int64)
    for i in range(ys.size):
        j = _random(state) % valid_ys.size
        nnf[ys[i], xs[i], 0] = valid_ys[j]
        nnf[ys[i], xs[i], 1] = valid_xs[j]


@njit(nogil=True, cache=True)
def upsample_links(coarse, nearest, nnf, ys, xs):
    """Links of the finer level's pixels (ys, xs) from the coarser level's field ``coarse``:
    the coarse link doubled plus the pixel's offset inside its coarse pixel, moved to the
    nearest valid source (``nearest``: HxWx2) where it lands on none."""
    h, w = nearest.shape[0], nearest.shape[1]
    ch, cw = coarse.shape[0], coarse.shape[1]
    for i in range(ys.size):
        py, px = ys[i], xs[i]
        cy, cx = min(py // 2, ch - 1), min(px // 2, cw - 1)
        qy, qx = py, px
        if coarse[cy, cx, 0] >= 0:
            qy = 2 * coarse[cy, cx, 0] + py - 2 * cy
            qx = 2 * coarse[cy, cx, 1] + px - 2 * cx
        qy = min(max(qy, 0), h - 1)
        qx = min(max(qx, 0), w - 1)
        nnf[py, px, 0] = nearest[qy, qx, 0]
        nnf[py, px, 1] = nearest[qy, qx, 1]
