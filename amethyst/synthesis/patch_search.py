"""PatchMatch kernels (Barnes et al. 2009) and Wexler et al. (2007) voting, compiled by numba.

A nearest-neighbour field (NNF) maps every patch centre that overlaps the hole (a *target*) to the
centre of a patch inside the image whose centre is known (a *source*; its hole pixels add a
penalty). Patches are compared over per-pixel features (colour and scaled image gradients) and,
optionally, a guide term that compares one array at the target with another at the source.
Random numbers come from a hashed seed and xorshift, so a seed gives the same fill everywhere.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_MASK32 = 0xFFFFFFFF


@njit(cache=True, nogil=True)
def _hash(a: int, b: int, c: int, d: int) -> int:
    """A 32-bit odd hash of four integers: the seed of a random stream."""
    h = (a * 73856093) ^ (b * 19349663) ^ (c * 83492791) ^ (d * 2654435761)
    h &= _MASK32
    h ^= h >> 16
    h = (h * 0x7FEB352D) & _MASK32
    h ^= h >> 15
    h = (h * 0x846CA68B) & _MASK32
    h ^= h >> 16
    return h | 1


@njit(cache=True, nogil=True)
def _next(state: int) -> int:
    """One xorshift32 step: the next state of a random stream (never 0)."""
    state ^= (state << 13) & _MASK32
    state ^= state >> 17
    state ^= (state << 5) & _MASK32
    return state


@njit(cache=True, nogil=True)
def _distance(
    features: np.ndarray,
    known: np.ndarray,
    penalty: float,
    guide_target: np.ndarray,
    guide_source: np.ndarray,
    guide_weight: float,
    ty: int,
    tx: int,
    sy: int,
    sx: int,
    radius: int,
    limit: float,
) -> float:
    """Sum of squared feature differences between target (ty, tx) and source (sy, sx), plus the
    weighted guide term; target pixels outside the image are skipped; stops early past ``limit``."""
    height, width, channels = features.shape
    total = 0.0
    for dy in range(-radius, radius + 1):
        y = ty + dy
        if y < 0 or y >= height:
            continue
        for dx in range(-radius, radius + 1):
            x = tx + dx
            if x < 0 or x >= width:
                continue
            if not known[sy + dy, sx + dx]:
                total += penalty
                continue
            for c in range(channels):
                d = features[y, x, c] - features[sy + dy, sx + dx, c]
                total += d * d
            if guide_weight > 0.0:
                for c in range(guide_target.shape[2]):
                    d = guide_target[y, x, c] - guide_source[sy + dy, sx + dx, c]
                    total += guide_weight * d * d
        if total > limit:
            return total
    return total


@njit(cache=True, nogil=True)
def field_cost(
    features: np.ndarray,
    known: np.ndarray,
    penalty: float,
    guide_target: np.ndarray,
    guide_source: np.ndarray,
    guide_weight: float,
    targets: np.ndarray,
    nnf: np.ndarray,
    cost: np.ndarray,
    radius: int,
) -> None:
    """The patch distance of every target to its current source, into ``cost``."""
    height, width = targets.shape
    for y in range(height):
        for x in range(width):
            if targets[y, x]:
                cost[y, x] = _distance(
                    features,
                    known,
                    penalty,
                    guide_target,
                    guide_source,
                    guide_weight,
                    y,
                    x,
                    nnf[y, x, 0],
                    nnf[y, x, 1],
                    radius,
                    1e30,
                )


@njit(cache=True, nogil=True)
def improve_field(
    features: np.ndarray,
    known: np.ndarray,
    penalty: float,
    guide_target: np.ndarray,
    guide_source: np.ndarray,
    guide_weight: float,
    targets: np.ndarray,
    valid: np.ndarray,
    nnf: np.ndarray,
    cost: np.ndarray,
    radius: int,
    span: int,
    passes: int,
    seed: int,
) -> None:
    """PatchMatch passes over the targets (``cost`` must hold their current distances): each
    target tries its scan-order neighbours' sources shifted by one pixel (propagation), then
    random sources around its best at radii halving from ``span`` to 1 (random search); the
    scan order reverses every pass."""
    height, width = targets.shape
    state = _hash(seed, passes, span, 7919)
    for p in range(passes):
        step = 1 if p % 2 == 0 else -1
        y = 0 if step == 1 else height - 1
        for _ in range(height):
            x = 0 if step == 1 else width - 1
            for _ in range(width):
                if targets[y, x]:
                    best_y, best_x, best = nnf[y, x, 0], nnf[y, x, 1], cost[y, x]
                    # Propagation from the neighbours already visited in this pass.
                    ny = y - step
                    if 0 <= ny < height and targets[ny, x]:
                        sy, sx = nnf[ny, x, 0] + step, nnf[ny, x, 1]
                        fresh = sy != best_y or sx != best_x
                        if 0 <= sy < height and valid[sy, sx] and fresh:
                            d = _distance(
                                features,
                                known,
                                penalty,
                                guide_target,
                                guide_source,
                                guide_weight,
                                y,
                                x,
                                sy,
                                sx,
                                radius,
                                best,
                            )
                            if d < best:
                                best_y, best_x, best = sy, sx, d
                    nx = x - step
                    if 0 <= nx < width and targets[y, nx]:
                        sy, sx = nnf[y, nx, 0], nnf[y, nx, 1] + step
                        fresh = sy != best_y or sx != best_x
                        if 0 <= sx < width and valid[sy, sx] and fresh:
                            d = _distance(
                                features,
                                known,
                                penalty,
                                guide_target,
                                guide_source,
                                guide_weight,
                                y,
                                x,
                                sy,
                                sx,
                                radius,
                                best,
                            )
                            if d < best:
                                best_y, best_x, best = sy, sx, d
                    # Random search around the best source, the window halving each time.
                    r = span
                    while r >= 1:
                        state = _next(state)
                        sy = best_y + (state % (2 * r + 1)) - r
                        state = _next(state)
                        sx = best_x + (state % (2 * r + 1)) - r
                        if 0 <= sy < height and 0 <= sx < width and valid[sy, sx]:
                            d = _distance(
                                features,
                                known,
                                penalty,
                                guide_target,
                                guide_source,
                                guide_weight,
                                y,
                                x,
                                sy,
                                sx,
                                radius,
                                best,
                            )
                            if d < best:
                                best_y, best_x, best = sy, sx, d
                        r //= 2
                    nnf[y, x, 0], nnf[y, x, 1], cost[y, x] = best_y, best_x, best
                x += step
            y += step


@njit(cache=True, nogil=True)
def random_field(targets: np.ndarray, sources: np.ndarray, nnf: np.ndarray, seed: int) -> None:
    """Point every target at a random source (``sources`` lists the valid centres, Nx2)."""
    height, width = targets.shape
    state = _hash(seed, 1, 2, 3)
    for y in range(height):
        for x in range(width):
            if targets[y, x]:
                state = _next(state)
                k = state % sources.shape[0]
                nnf[y, x, 0] = sources[k, 0]
                nnf[y, x, 1] = sources[k, 1]


@njit(cache=True, nogil=True)
def upsample_field(
    coarse: np.ndarray,
    coarse_cost: np.ndarray,
    coarse_targets: np.ndarray,
    targets: np.ndarray,
    valid: np.ndarray,
    sources: np.ndarray,
    nnf: np.ndarray,
    cost: np.ndarray,
    seed: int,
) -> None:
    """The field of one level finer (scale 2) from ``coarse``: each fine target takes its coarse
    parent's source, doubled, plus its own offset inside the parent; a source that is not valid
    at the fine level moves to the nearest valid one within 3 pixels. A target whose parent had
    no source (it was not a coarse target) or whose source found no valid one takes a random
    source with ``cost`` -1 (no say in the first vote); other targets take their parent's
    cost, for the first vote's weights."""
    height, width = targets.shape
    ch, cw = coarse.shape[:2]
    for y in range(height):
        for x in range(width):
            if not targets[y, x]:
                continue
            cy, cx = min(y // 2, ch - 1), min(x // 2, cw - 1)
            cost[y, x] = coarse_cost[cy, cx]
            wy = 2 * coarse[cy, cx, 0] + (y - 2 * cy)
            wx = 2 * coarse[cy, cx, 1] + (x - 2 * cx)
            sy, sx, near = -1, -1, 1 << 30
            if not coarse_targets[cy, cx]:
                near = -1  # no parent match: skip the search
            for oy in range(-3, 4):
                for ox in range(-3, 4):
                    qy, qx = wy + oy, wx + ox
                    d = oy * oy + ox * ox
                    if d < near and 0 <= qy < height and 0 <= qx < width and valid[qy, qx]:
                        sy, sx, near = qy, qx, d
            if sy < 0:
                k = _hash(seed, y, x, 11) % sources.shape[0]
                sy, sx = sources[k, 0], sources[k, 1]
                cost[y, x] = -1.0
            nnf[y, x, 0] = sy
            nnf[y, x, 1] = sx


@njit(cache=True, nogil=True)
def vote(
    colour: np.ndarray,
    known: np.ndarray,
    targets: np.ndarray,
    region: np.ndarray,
    nnf: np.ndarray,
    weight: np.ndarray,
    radius: int,
    out: np.ndarray,
) -> None:
    """Rebuild every ``region`` pixel of ``out`` as the weighted mean of the source pixels that
    the target patches covering it would put there (Wexler et al.'s expectation step)."""
    height, width = region.shape
    channels = colour.shape[2]
    for y in range(height):
        acc = np.zeros(channels, dtype=np.float64)
        for x in range(width):
            if not region[y, x]:
                continue
            acc[:] = 0.0
            total = 0.0
            for dy in range(-radius, radius + 1):
                ty = y - dy
                if ty < 0 or ty >= height:
                    continue
                for dx in range(-radius, radius + 1):
                    tx = x - dx
                    if tx < 0 or tx >= width or not targets[ty, tx]:
                        continue
                    w = weight[ty, tx]
                    sy, sx = nnf[ty, tx, 0] + dy, nnf[ty, tx, 1] + dx
                    if not known[sy, sx]:
                        continue
                    total += w
                    for c in range(channels):
                        acc[c] += w * colour[sy, sx, c]
            if total > 0.0:
                for c in range(channels):
                    out[y, x, c] = acc[c] / total
