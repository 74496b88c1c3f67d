"""Exemplar completion, coarse to fine: a PatchMatch search and patch votes at every level.

The method of Barnes et al. (2009, sec. 3.2) with the two-way votes of Simakov et al. (2008),
in the form Xavier Philippeau published and pypatchmatch implements: each level's fill is
rebuilt from the patches that best match it (coherence) and from the known patches around the
hole where they fit best in it (completeness), votes weighted by a steep function of the patch
distance, which counts colours and their gradients. The last votes of a level are cast at the
next level's size from that level's known pixels, so the fill does not blur with upscaling.

What differs from pypatchmatch is the work, not the method: only the patches that touch the
hole are searched, a patch distance stops as soon as it cannot win, the optional row guide is
one comparison per patch, and each search runs as two bands of rows on two threads. The bands
meet at a row they read from a copy taken before the sweep, so fills are deterministic.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cache

import cv2
import numba as nb
import numpy as np

# A patch pixel's squared differences (3 channels, value and two gradients) at most.
PIXEL_SCALE = 9 * 255 * 255
# Patch distances are integers up to this (the worst possible patch).
DISTANCE_SCALE = 65535
# Random targets tried for a link that starts with no valid patch.
MAX_RETRY = 20
# How a vote's weight falls with its patch distance (as a share of DISTANCE_SCALE): about
# 1 up to 0.02, a half near 0.037, nearly nothing from 0.06 on. Steep, so that only patches
# that really fit shape the fill.
SIMILARITY_HALF = 0.037
SIMILARITY_POWER = 4.5
# Levels with fewer patches to search than this run on one thread.
PARALLEL_FROM = 256
# The finest level's fill copies each pixel from its best-matching patch from this depth
# into the hole (in pixels), blending in over ``SHARP_RAMP`` more; nearer the border, and on
# every coarser level, a pixel is the weighted mean of its votes. The mean blurs where the
# votes disagree (a brush stroke through fur became a dark smear); the best vote alone left
# a step at the border (seam 2.14 against 1.25, on 12 bench photos).
SHARP_FROM = 1.0
SHARP_RAMP = 4.0
LOW_SIGMA = 0.0


@cache
def _similarity() -> np.ndarray:
    """The vote weight of every patch distance."""
    share = np.arange(DISTANCE_SCALE + 1) / DISTANCE_SCALE
    weight = np.exp(-np.log(2) * (share / SIMILARITY_HALF) ** SIMILARITY_POWER)
    weight[weight < 1e-4] = 0.0
    return weight


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="amethyst-em")


@nb.njit(cache=True, nogil=True)
def _next_random(state: np.ndarray, n: int) -> int:
    """A uniform integer in [0, n) from a xorshift64* generator kept in ``state[0]``."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    return int(((x * np.uint64(2685821657736338717)) >> np.uint64(33)) % np.uint64(n))


@nb.njit(cache=True, nogil=True)
def _pack(image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's colour and half central differences (offset by 128) down and across, nine
    numbers side by side; and which pixels a patch may not use: masked ones and the outermost
    rows and columns, which have no differences."""
    h, w, _ = image.shape
    packed = np.zeros((h, w, 9), np.int32)
    invalid = mask.copy()
    for y in range(h):
        for x in range(w):
            for c in range(3):
                packed[y, x, c] = image[y, x, c]
            if y == 0 or x == 0 or y == h - 1 or x == w - 1:
                invalid[y, x] = True
                continue
            for c in range(3):
                packed[y, x, 3 + c] = image[y + 1, x, c] // 2 - image[y - 1, x, c] // 2 + 128
                packed[y, x, 6 + c] = image[y, x + 1, c] // 2 - image[y, x - 1, c] // 2 + 128
    return packed, invalid


@nb.njit(cache=True, nogil=True)
def _distance(a, ia, b, ib, ya, xa, yb, xb, radius, rows, weight, bound) -> int:
    """Patch distance from packed image ``a`` at (ya, xa) to ``b`` at (yb, xb), or
    ``DISTANCE_SCALE`` as soon as it cannot come out below ``bound``.

    Pixels outside either image or invalid in either (``ia``, ``ib``) count as the worst
    difference. ``rows`` maps each row to its guide height; ``weight`` mixes the guide in.
    """
    ha, wa = ia.shape
    hb, wb = ib.shape
    side = 2 * radius + 1
    count = side * side
    guide = 0.0
    if weight > 0.0:
        guide = min(1.0, abs(rows[ya] - rows[yb]) / 0.707) * DISTANCE_SCALE
    # the largest sum of squares whose distance still comes out below the bound
    limit = ((bound * (1.0 + weight) - weight * guide) + 1.0) * PIXEL_SCALE * count
    limit /= DISTANCE_SCALE
    total = 0
    for dy in range(-radius, radius + 1):
        ys = ya + dy
        yt = yb + dy
        if ys < 0 or ys >= ha or yt < 0 or yt >= hb:
            total += PIXEL_SCALE * side
        else:
            for dx in range(-radius, radius + 1):
                xs = xa + dx
                xt = xb + dx
                if xs < 0 or xs >= wa or xt < 0 or xt >= wb or ia[ys, xs] or ib[yt, xt]:
                    total += PIXEL_SCALE
                else:
                    ssd = 0
                    for c in range(9):
                        d = a[ys, xs, c] - b[yt, xt, c]
                        ssd += d * d
                    total += ssd
        if total >= limit:
            return DISTANCE_SCALE
    plain = int(DISTANCE_SCALE * (total / PIXEL_SCALE) / count)
    if plain > DISTANCE_SCALE:
        plain = DISTANCE_SCALE
    if weight <= 0.0:
        return plain
    score = (guide * weight + plain) / (1.0 + weight)
    if score >= DISTANCE_SCALE:
        return DISTANCE_SCALE
    return int(score)


@nb.njit(cache=True, nogil=True)
def _measure(nnf, active, dead, top, bottom, a, ia, b, ib, radius, rows, weight):
    """Measure the distance of every live link in the rows [top, bottom) again, against the
    current images."""
    w = active.shape[1]
    for y in range(top, bottom):
        for x in range(w):
            if not active[y, x]:
                continue
            if dead[y, x]:
                nnf[y, x, 2] = DISTANCE_SCALE
            else:
                nnf[y, x, 2] = _distance(
                    a,
                    ia,
                    b,
                    ib,
                    y,
                    x,
                    nnf[y, x, 0],
                    nnf[y, x, 1],
                    radius,
                    rows,
                    weight,
                    DISTANCE_SCALE,
                )


@nb.njit(cache=True, nogil=True)
def _randomize(nnf, active, dead, top, bottom, a, ia, b, ib, radius, rows, weight, state):
    """Give every active link in the rows [top, bottom) without a valid patch random targets
    until one is valid."""
    w = active.shape[1]
    hb, wb = ib.shape
    for y in range(top, bottom):
        for x in range(w):
            if not active[y, x] or nnf[y, x, 2] < DISTANCE_SCALE:
                continue
            ty = _next_random(state, hb)
            tx = _next_random(state, wb)
            d = DISTANCE_SCALE
            if not dead[y, x]:
                for _ in range(MAX_RETRY):
                    d = _distance(
                        a,
                        ia,
                        b,
                        ib,
                        y,
                        x,
                        ty,
                        tx,
                        radius,
                        rows,
                        weight,
                        DISTANCE_SCALE,
                    )
                    if d < DISTANCE_SCALE:
                        break
                    ty = _next_random(state, hb)
                    tx = _next_random(state, wb)
            nnf[y, x, 0] = ty
            nnf[y, x, 1] = tx
            nnf[y, x, 2] = d


@nb.njit(cache=True, nogil=True)
def _sweep(
    nnf, before, active, dead, top, bottom, direction, a, ia, b, ib, radius, rows, weight, state
):
    """One PatchMatch pass over the rows [top, bottom): propagation from the previous pixel in
    the scan, then a random search at halving radii. Rows outside the band are read from
    ``before``, the field as it was when the pass began."""
    h, w = active.shape
    hb, wb = ib.shape
    reach = (min(hb, wb) - 1) // 2
    for k in range(bottom - top):
        y = top + k if direction > 0 else bottom - 1 - k
        for m in range(w):
            x = m if direction > 0 else w - 1 - m
            if not active[y, x] or dead[y, x] or nnf[y, x, 2] <= 0:
                continue
            yn = y - direction
            if 0 <= yn < h:
                field = nnf if top <= yn < bottom else before
                ty = min(max(field[yn, x, 0] + direction, 0), hb - 1)
                tx = field[yn, x, 1]
                d = _distance(a, ia, b, ib, y, x, ty, tx, radius, rows, weight, nnf[y, x, 2])
                if d < nnf[y, x, 2]:
                    nnf[y, x, 0] = ty
                    nnf[y, x, 1] = tx
                    nnf[y, x, 2] = d
            xn = x - direction
            if 0 <= xn < w:
                ty = nnf[y, xn, 0]
                tx = min(max(nnf[y, xn, 1] + direction, 0), wb - 1)
                d = _distance(a, ia, b, ib, y, x, ty, tx, radius, rows, weight, nnf[y, x, 2])
                if d < nnf[y, x, 2]:
                    nnf[y, x, 0] = ty
                    nnf[y, x, 1] = tx
                    nnf[y, x, 2] = d
            scale = reach
            while scale > 0:
                ty = nnf[y, x, 0] + _next_random(state, 2 * scale + 1) - scale
                tx = nnf[y, x, 1] + _next_random(state, 2 * scale + 1) - scale
                ty = min(max(ty, 0), hb - 1)
                tx = min(max(tx, 0), wb - 1)
                d = _distance(a, ia, b, ib, y, x, ty, tx, radius, rows, weight, nnf[y, x, 2])
                if d < nnf[y, x, 2]:
                    nnf[y, x, 0] = ty
                    nnf[y, x, 1] = tx
                    nnf[y, x, 2] = d
                scale //= 2


@nb.njit(cache=True, nogil=True)
def _search_band(
    fields,
    befores,
    actives,
    deads,
    images,
    top,
    bottom,
    radius,
    rows,
    weight,
    states,
    passes,
    fresh,
):
    """Measure, (when ``fresh``) randomise and improve both fields' links in the rows
    [top, bottom), reading rows outside the band from the fields as they were before."""
    for f in range(2):
        a, ia, b, ib = images[f]
        _measure(fields[f], actives[f], deads[f], top, bottom, a, ia, b, ib, radius, rows, weight)
        if fresh:
            _randomize(
                fields[f],
                actives[f],
                deads[f],
                top,
                bottom,
                a,
                ia,
                b,
                ib,
                radius,
                rows,
                weight,
                states[f],
            )
        for _ in range(passes):
            for direction in (1, -1):
                _sweep(
                    fields[f],
                    befores[f],
                    actives[f],
                    deads[f],
                    top,
                    bottom,
                    direction,
                    a,
                    ia,
                    b,
                    ib,
                    radius,
                    rows,
                    weight,
                    states[f],
                )


@nb.njit(cache=True, nogil=True)
def _vote(
    nnf,
    coherence,
    top,
    bottom,
    left,
    right,
    known,
    known_mask,
    votes,
    upscaled,
    radius,
    similarity,
    best,
):
    """Add the votes of the links whose pixels lie in the given box to ``votes``: each link's
    patch of ``known`` pixels (at twice the size when ``upscaled``), weighted by its distance.

    A completeness link (``coherence`` False) runs from a photo patch to where it fits in the
    fill; a coherence link from a fill patch to the photo patch it copies."""
    h, w = nnf.shape[:2]
    hv, wv = known_mask.shape
    for i in range(top, bottom):
        for j in range(left, right):
            yp = nnf[i, j, 0]
            xp = nnf[i, j, 1]
            dist = nnf[i, j, 2]
            weight = similarity[dist]
            if weight <= 0.0:
                continue
            for di in range(-radius, radius + 1):
                for dj in range(-radius, radius + 1):
                    ys = i + di
                    xs = j + dj
                    yt = yp + di
                    xt = xp + dj
                    if ys < 0 or ys >= h or xs < 0 or xs >= w:
                        continue
                    if yt < 0 or yt >= h or xt < 0 or xt >= w:
                        continue
                    if coherence:
                        ys, yt = yt, ys
                        xs, xt = xt, xs
                    span = 2 if upscaled else 1
                    for uy in range(span):
                        for ux in range(span):
                            sy = span * ys + uy
                            sx = span * xs + ux
                            vy = span * yt + uy
                            vx = span * xt + ux
                            if sy >= hv or sx >= wv or vy >= hv or vx >= wv:
                                continue
                            if known_mask[sy, sx]:
                                continue
                            if best:
                                # keep the vote of the closest patch; stored like a sum
                                if weight > votes[vy, vx, 3]:
                                    for c in range(3):
                                        votes[vy, vx, c] = weight * known[sy, sx, c]
                                    votes[vy, vx, 3] = weight
                                continue
                            for c in range(3):
                                votes[vy, vx, c] += weight * known[sy, sx, c]
                            votes[vy, vx, 3] += weight


@nb.njit(cache=True, nogil=True)
def _downsample(image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Half size with a 6x6 binomial kernel over known pixels; a pixel is unknown when its
    whole kernel is."""
    kernel = np.array([1, 5, 10, 10, 5, 1])
    h, w = mask.shape
    out = np.zeros((h // 2, w // 2, 3), np.int32)
    out_mask = np.zeros((h // 2, w // 2), np.bool_)
    for y in range(0, h - 1, 2):
        for x in range(0, w - 1, 2):
            r = 0
            g = 0
            b = 0
            total = 0
            for dy in range(-2, 4):
                for dx in range(-2, 4):
                    yy = y + dy
                    xx = x + dx
                    if 0 <= yy < h and 0 <= xx < w and not mask[yy, xx]:
                        k = kernel[dy + 2] * kernel[dx + 2]
                        r += image[yy, xx, 0] * k
                        g += image[yy, xx, 1] * k
                        b += image[yy, xx, 2] * k
                        total += k
            if total > 0:
                out[y // 2, x // 2, 0] = r // total
                out[y // 2, x // 2, 1] = g // total
                out[y // 2, x // 2, 2] = b // total
            else:
                out_mask[y // 2, x // 2] = True
    return out, out_mask


def _touches(mask: np.ndarray, radius: int) -> np.ndarray:
    """Pixels whose patch holds a hole pixel."""
    kernel = np.ones((2 * radius + 1, 2 * radius + 1), np.uint8)
    return cv2.dilate(mask.astype(np.uint8), kernel).astype(bool)


def _blind(mask: np.ndarray, radius: int) -> np.ndarray:
    """Pixels whose patch holds no known pixel: their links can never be valid."""
    kernel = np.ones((2 * radius + 1, 2 * radius + 1), np.uint8)
    return cv2.erode(mask.astype(np.uint8), kernel, borderValue=1).astype(bool)


@nb.njit(cache=True, nogil=True)
def _identity_outside(links: np.ndarray, active: np.ndarray) -> None:
    """Links of patches that touch no hole point at themselves, at distance 0."""
    h, w = active.shape
    for y in range(h):
        for x in range(w):
            if not active[y, x]:
                links[y, x, 0] = y
                links[y, x, 1] = x
                links[y, x, 2] = 0


def _bands(active: np.ndarray) -> list[tuple[int, int]]:
    """The rows in one band, or in two holding about the same number of active pixels when
    there is enough work to share."""
    per_row = np.cumsum(active.sum(axis=1))
    if per_row[-1] < PARALLEL_FROM:
        return [(0, active.shape[0])]
    middle = int(np.searchsorted(per_row, per_row[-1] / 2))
    middle = min(max(middle, 1), active.shape[0] - 1)
    return [(0, middle), (middle, active.shape[0])]


def _box(mask: np.ndarray, margin: int) -> tuple[int, int, int, int]:
    """The bounding box of ``mask`` grown by ``margin``, clipped to the image."""
    ys, xs = np.nonzero(mask)
    h, w = mask.shape
    if ys.size == 0:
        return 0, 0, 0, 0
    return (
        max(int(ys.min()) - margin, 0),
        min(int(ys.max()) + margin + 1, h),
        max(int(xs.min()) - margin, 0),
        min(int(xs.max()) + margin + 1, w),
    )


class _Field:
    """A nearest-neighbour field from the patches of image ``a`` to those of image ``b``."""

    def __init__(self, shape: tuple[int, int], seed: int) -> None:
        self.links = np.zeros((*shape, 3), np.int32)
        self.states = [np.array([seed * 2 + k + 1], np.uint64) for k in range(2)]

    def resized_from(self, coarse: _Field, shape: tuple[int, int], target: tuple[int, int]):
        """Initialise from the field one level coarser, keeping offsets within a coarse pixel."""
        h, w = shape
        ch, cw = coarse.links.shape[:2]
        fy, fx = h / ch, w / cw
        yy = np.minimum((np.arange(h) / fy).astype(int), ch - 1)
        xx = np.minimum((np.arange(w) / fx).astype(int), cw - 1)
        old = coarse.links[yy[:, None], xx[None, :]]
        self.links[..., 0] = np.clip(
            (old[..., 0] * fy + (np.arange(h) - yy * fy)[:, None]).astype(int), 0, target[0] - 1
        )
        self.links[..., 1] = np.clip(
            (old[..., 1] * fx + (np.arange(w) - xx * fx)[None, :]).astype(int), 0, target[1] - 1
        )
        self.states = coarse.states


def complete(
    rgb: np.ndarray,
    mask: np.ndarray,
    *,
    radius: int = 3,
    row_weight: float = 0.0,
    row_span: float = 0.3,
    seed: int = 0,
) -> np.ndarray:
    """Fill ``mask``'s pixels (HxW bool) of ``rgb`` (HxWx3 uint8) with patches of the rest.

    ``radius`` is the patch's half side (3: 7x7 patches). ``row_weight`` > 0 prefers sources
    at the same height: a patch ``row_span`` of the photo's height away pays its full penalty.
    Returns a new uint8 array; known pixels are returned unchanged.
    """
    mask = np.asarray(mask, bool)
    out = np.array(rgb, np.uint8, copy=True)
    if not mask.any():
        return out
    full_height = mask.shape[0]
    pyramid = [(np.ascontiguousarray(rgb, np.int32), mask)]
    while min(pyramid[-1][1].shape) > radius:
        pyramid.append(_downsample(*pyramid[-1]))
    similarity = _similarity()

    fill = None
    forward = backward = None
    for level in range(len(pyramid) - 1, -1, -1):
        known, hole = pyramid[level]
        shape = hole.shape
        if fill is None:
            fill = known.copy()
            forward, backward = _Field(shape, seed), _Field(shape, seed + 7)
        else:
            forward_next, backward_next = _Field(shape, seed), _Field(shape, seed)
            forward_next.resized_from(forward, shape, shape)
            backward_next.resized_from(backward, shape, shape)
            forward, backward = forward_next, backward_next
        rows = (
            row_span
            * np.minimum(np.arange(shape[0]) * full_height // shape[0], full_height - 1).astype(
                np.float64
            )
            / full_height
        )
        fill = _em_level(
            pyramid,
            level,
            fill,
            hole,
            known,
            forward,
            backward,
            radius,
            rows,
            row_weight,
            similarity,
        )
    out[mask] = np.clip(fill, 0, 255).astype(np.uint8)[mask]
    return out


def _em_level(
    pyramid, level, fill, hole, known, forward, backward, radius, rows, weight, similarity
):
    """Search and vote at one level; returns the fill at the next finer level's size (or at
    this size for the finest)."""
    active = _touches(hole, radius)
    dead = _blind(hole, radius)
    no_dead = np.zeros_like(dead)
    known_packed = _pack(known, hole)
    no_mask = np.zeros_like(hole)
    iterations = 1 + 2 * level
    passes = min(7, 1 + level)
    bands = _bands(active)
    for iteration in range(iterations):
        fill_packed = _pack(fill, no_mask)
        # completeness: photo patch -> fill; coherence: fill patch -> photo
        images = ((*known_packed, *fill_packed), (*fill_packed, *known_packed))
        fields = (forward.links, backward.links)
        for links in fields:
            _identity_outside(links, active)
        befores = (forward.links.copy(), backward.links.copy())
        run = (fields, befores, (active, active), (dead, no_dead), images)
        tail = (radius, rows, weight)
        if len(bands) == 1:
            _search_band(
                *run,
                *bands[0],
                *tail,
                (forward.states[0], backward.states[0]),
                passes,
                iteration == 0,
            )
        else:
            jobs = [
                _pool().submit(
                    _search_band,
                    *run,
                    top,
                    bottom,
                    *tail,
                    (forward.states[k], backward.states[k]),
                    passes,
                    iteration == 0,
                )
                for k, (top, bottom) in enumerate(bands)
            ]
            for job in jobs:
                job.result()
        upscaled = level >= 1 and iteration == iterations - 1
        new_level = level - 1 if upscaled else level
        new_known, new_hole = pyramid[new_level]
        if upscaled:
            coarse = fill
            h, w = new_hole.shape
            yy = np.arange(h) * coarse.shape[0] // h
            xx = np.arange(w) * coarse.shape[1] // w
            new_fill = coarse[yy[:, None], xx[None, :]].copy()
        else:
            new_fill = fill.copy()
        fill = _vote_and_maximize(
            (forward, backward),
            new_fill,
            new_known,
            new_hole,
            upscaled,
            radius,
            similarity,
            _box(active, 2 * radius + 1),
            keep_known=new_level <= 1,
            sharp=new_level == 0 and iteration == iterations - 1,
        )
    return fill


def _vote_and_maximize(
    fields, fill, known, hole, upscaled, radius, similarity, box, keep_known, sharp
):
    """The next fill from both fields' votes: their weighted mean, or (when ``sharp``) the
    closest patch's pixel inside the hole, blended into the mean near its border."""
    means = _votes(fields, known, hole, upscaled, radius, similarity, box, best=False)
    reach = _touches(hole, 4 * radius + 4)
    out = _maximize(fill, means, known, hole, reach, keep_known)
    if not sharp:
        return out
    best = _votes(fields, known, hole, upscaled, radius, similarity, box, best=True)
    copied = _maximize(fill, best, known, hole, reach, keep_known)
    depth = cv2.distanceTransform(hole.astype(np.uint8), cv2.DIST_L2, 3)
    mix = np.clip((depth - SHARP_FROM) / SHARP_RAMP, 0, 1)[..., None]
    if LOW_SIGMA > 0:

        def low(z):
            return cv2.GaussianBlur(z.astype(np.float32), (0, 0), LOW_SIGMA)

        return np.rint(copied + (1 - mix) * (low(out) - low(copied))).astype(np.int32)
    return np.rint(mix * copied + (1 - mix) * out).astype(np.int32)


def _votes(fields, known, hole, upscaled, radius, similarity, box, best):
    """Both fields' votes for each pixel at ``hole``'s size: sums of weighted colours and
    their weights, or the closest patch's colour alone. The box's two halves of rows vote on
    two threads into arrays of their own, merged at the end."""
    top, bottom, left, right = box
    middle = (top + bottom) // 2
    halves = [(top, middle), (middle, bottom)] if bottom - top >= 64 else [(top, bottom)]

    def vote(rows):
        votes = np.zeros((*hole.shape, 4), np.float64)
        for field, coherence in zip(fields, (False, True), strict=True):
            _vote(
                field.links,
                coherence,
                *rows,
                left,
                right,
                known,
                hole,
                votes,
                upscaled,
                radius,
                similarity,
                best,
            )
        return votes

    parts = list(_pool().map(vote, halves)) if len(halves) > 1 else [vote(halves[0])]
    votes = parts[0]
    for other in parts[1:]:
        if best:
            closer = other[..., 3] > votes[..., 3]
            votes[closer] = other[closer]
        else:
            votes += other
    return votes


@nb.njit(cache=True, nogil=True)
def _maximize(fill, votes, known, hole, reach, keep_known):
    """Each voted pixel takes its votes' weighted mean; known pixels keep the photo's values
    on the two finest levels and everywhere outside the votes' ``reach``; a pixel no vote
    reached keeps its value in ``fill``."""
    h, w = hole.shape
    out = np.empty((h, w, 3), np.int32)
    for y in range(h):
        for x in range(w):
            if not hole[y, x] and (keep_known or not reach[y, x]):
                for c in range(3):
                    out[y, x, c] = known[y, x, c]
            elif votes[y, x, 3] > 0:
                for c in range(3):
                    value = np.rint(votes[y, x, c] / votes[y, x, 3])
                    out[y, x, c] = min(max(int(value), 0), 255)
            else:
                for c in range(3):
                    out[y, x, c] = fill[y, x, c]
    return out
