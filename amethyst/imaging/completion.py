"""Exemplar completion of a hole (Wexler et al. 2007, with PatchMatch's search): from a coarse
copy of the photo up to full size, every patch that overlaps the hole is matched to a patch of
the photo and the hole is redrawn from its matches' pixels, a few times per level.

Two choices make it both faster and cleaner than ``pypatchmatch``'s fill, which it replaces
in ``auto``:
- Only the hole's own patches are searched (no search from the photo's patches back into the
  fill), which halves the work. The search runs on two bands of rows at once.
- Matches and votes lean on what is known: a hole pixel counts less the deeper it lies
  (``CONFIDENCE_DECAY``), so the fill grows inwards from the photo around it instead of
  settling on whatever smooth first guess the coarsest level made (which read as haze).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np

from amethyst.cores import cpu_count
from amethyst.imaging.patch_search import Scene, measure, random_links, search, upsample_links, vote

MIN_LEVEL_SIZE = 10  # px: the coarsest level's shorter side is at least this
MIN_SOURCES = 16  # a coarser level with fewer source patches than this is not built
KNOWN_SHARE = 0.5  # a coarser pixel is known when at least this share of it is
CONFIDENCE_DECAY = 3.0  # a hole pixel's confidence is divided by this per pixel of depth
BORDER_WIDTH = 4  # px: the fill's outer band that is shifted to meet the photo
BORDER_SPREAD = 4  # px: each shifted pixel takes the mean step of the border this near
BAND_MIN_PIXELS = 5_000  # searches over fewer patches than this are not split into bands


@dataclass(frozen=True)
class Level:
    """One pyramid level: the photo (float32, hole pixels meaningless) and its hole."""

    image: np.ndarray
    hole: np.ndarray


@dataclass(frozen=True)
class Schedule:
    """How many EM rounds a level gets and how many PatchMatch passes each round makes."""

    rounds: int
    passes: int


def schedule(level: int) -> Schedule:
    """Coarse levels settle the layout and are cheap, so they get more work (level 0 is full
    size): 1 round of 1 pass at full size, 3 of 2 at half size, 5 of 3 at a quarter..."""
    return Schedule(rounds=1 + 2 * level, passes=min(4, 1 + level))


def complete(
    rgb: np.ndarray,
    hole: np.ndarray,
    *,
    radius: int = 3,
    guide_cost: float = 0.0,
    guide_band: float = 1 / 3,
    seed: int = 0,
) -> np.ndarray:
    """``rgb`` (HxWx3 uint8) with its ``hole`` (HxW bool) filled from the rest of the image.

    Patches are (2 ``radius`` + 1) px square. ``guide_cost`` > 0 makes a source pay, in mean
    squared difference, for lying at another height than the patch it fills, up to the full
    cost ``guide_band`` of the image's height away: layers of a scene then carry on."""
    hole = np.ascontiguousarray(hole, bool)
    if not hole.any():
        return rgb.copy()
    if not _source_centres(hole, radius).any():
        return cv2.inpaint(rgb, hole.astype(np.uint8), 3, cv2.INPAINT_TELEA)
    levels = _pyramid(rgb.astype(np.float32), hole, radius)
    nnf = cost = target = None
    for number in range(len(levels) - 1, -1, -1):
        level = levels[number]
        height, width = level.hole.shape
        domain = cv2.dilate(level.hole.astype(np.uint8), np.ones((2 * radius + 1,) * 2, np.uint8))
        ys, xs = np.nonzero(domain)
        valid = _source_centres(level.hole, radius)
        valid_ys, valid_xs = np.nonzero(valid)
        confidence = _confidence(level.hole, radius)
        norm = cv2.boxFilter(confidence, -1, (2 * radius + 1,) * 2, normalize=False)
        scene = Scene(
            features=_padded(level.image, radius),
            confidence=confidence,
            blocked=cv2.copyMakeBorder(
                level.hole.astype(np.uint8), *(radius,) * 4, cv2.BORDER_CONSTANT, value=1
            ),
            norm=norm[radius:-radius, radius:-radius].astype(np.float64) * 3,
            valid=valid,
            nearest=_nearest(valid, valid_ys, valid_xs),
            radius=radius,
            guide_cost=float(guide_cost),
            guide_band=max(1.0, guide_band * height),
        )
        links = np.full((height, width, 2), -1, np.int64)
        seed_here = seed * 1009 + number
        if nnf is None:
            target = _first_guess(level)
            random_links(valid_ys, valid_xs, links, ys, xs, seed_here)
            cost = np.zeros((height, width), np.float64)
        else:
            upsample_links(nnf, scene.nearest, links, ys, xs)
            coarse = cost
            cost = np.zeros((height, width), np.float64)
            cost[ys, xs] = coarse[
                np.minimum(ys // 2, coarse.shape[0] - 1), np.minimum(xs // 2, coarse.shape[1] - 1)
            ]
            target = _redraw(level, scene, links, cost, ys, xs, best_only=False)
        nnf = links
        plan = schedule(number)
        for round_ in range(plan.rounds):
            scene = scene._replace(features=_padded(target, radius))
            measure(scene, nnf, cost, ys, xs)
            _search_in_bands(scene, nnf, cost, ys, xs, plan.passes, seed_here * 31 + round_)
            best_only = number == 0 and round_ == plan.rounds - 1
            target = _redraw(level, scene, nnf, cost, ys, xs, best_only)
    target = _even_border(target, hole)
    out = rgb.copy()
    out[hole] = np.clip(np.rint(target[hole]), 0, 255).astype(np.uint8)
    return out


def _downsample(level: Level) -> Level:
    """Half size. A pixel is known when at least ``KNOWN_SHARE`` of it is, and then it is the
    mean of its known part: no colour from inside the hole reaches coarser levels."""
    height, width = level.hole.shape
    size = ((width + 1) // 2, (height + 1) // 2)
    known = (~level.hole).astype(np.float32)
    weight = cv2.resize(known, size, interpolation=cv2.INTER_AREA)
    total = cv2.resize(level.image * known[..., None], size, interpolation=cv2.INTER_AREA)
    hole = weight < KNOWN_SHARE
    image = total / np.maximum(weight, 1e-6)[..., None]
    image[hole] = 0
    return Level(image, hole)


def _source_centres(hole: np.ndarray, radius: int) -> np.ndarray:
    """Known pixels at least ``radius`` from the image's edge: the centres of source patches
    (which may hold hole pixels: those count as the largest difference)."""
    valid = ~hole
    valid[:radius] = valid[hole.shape[0] - radius :] = False
    valid[:, :radius] = valid[:, hole.shape[1] - radius :] = False
    return valid


def _pyramid(image: np.ndarray, hole: np.ndarray, radius: int) -> list[Level]:
    levels = [Level(image, hole)]
    while min(levels[-1].hole.shape) // 2 >= MIN_LEVEL_SIZE:
        coarser = _downsample(levels[-1])
        if np.count_nonzero(_source_centres(coarser.hole, radius)) < MIN_SOURCES:
            break
        levels.append(coarser)
    return levels


def _padded(image: np.ndarray, radius: int) -> np.ndarray:
    return cv2.copyMakeBorder(image, *(radius,) * 4, cv2.BORDER_REFLECT_101)


def _confidence(hole: np.ndarray, radius: int) -> np.ndarray:
    """How far each pixel's current value is trusted, padded by ``radius``: 1 where known,
    divided by ``CONFIDENCE_DECAY`` per pixel of depth into the hole (after Wexler et al.)."""
    depth = cv2.distanceTransform(hole.astype(np.uint8), cv2.DIST_L2, 3)
    confidence = np.maximum(np.power(CONFIDENCE_DECAY, -depth), 1e-9).astype(np.float32)
    return _padded(confidence, radius)


def _nearest(valid: np.ndarray, valid_ys: np.ndarray, valid_xs: np.ndarray) -> np.ndarray:
    """For every pixel, the row and column of the nearest valid source centre (HxWx2)."""
    _, labels = cv2.distanceTransformWithLabels(
        (~valid).astype(np.uint8), cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL
    )
    # Labels number the valid pixels in raster order, the order np.nonzero lists them in.
    index = labels - 1
    return np.stack([valid_ys[index], valid_xs[index]], axis=-1)


def _first_guess(level: Level) -> np.ndarray:
    """The coarsest level's hole smoothly filled from its border (Telea)."""
    pixels = np.clip(np.rint(level.image), 0, 255).astype(np.uint8)
    filled = cv2.inpaint(pixels, level.hole.astype(np.uint8), 3, cv2.INPAINT_TELEA)
    target = level.image.copy()
    target[level.hole] = filled[level.hole]
    return target


def _search_in_bands(
    scene: Scene,
    nnf: np.ndarray,
    cost: np.ndarray,
    ys: np.ndarray,
    xs: np.ndarray,
    passes: int,
    seed: int,
) -> None:
    """PatchMatch over the patches (ys, xs), split into bands of rows searched on separate
    cores. Propagation stays inside a band, so the result does not depend on timing."""
    bands = min(cpu_count(), max(1, ys.size // BAND_MIN_PIXELS))
    if bands == 1:
        search(scene, nnf, cost, ys, xs, 0, nnf.shape[0], passes, seed)
        return
    cuts = np.linspace(ys[0], ys[-1] + 1, bands + 1).astype(int)
    starts = np.searchsorted(ys, cuts)
    with ThreadPoolExecutor(max_workers=bands) as pool:
        jobs = [
            pool.submit(
                search, scene, nnf, cost, ys[starts[b] : starts[b + 1]],
                xs[starts[b] : starts[b + 1]], cuts[b], cuts[b + 1], passes, seed + b,
            )  # fmt: skip
            for b in range(bands)
        ]
        for job in jobs:
            job.result()


def _redraw(
    level: Level,
    scene: Scene,
    nnf: np.ndarray,
    cost: np.ndarray,
    ys: np.ndarray,
    xs: np.ndarray,
    best_only: bool,
) -> np.ndarray:
    """The level's image with its hole redrawn from the matched patches' votes."""
    height, width = level.hole.shape
    total = np.zeros((height, width, 3), np.float64)
    weight = np.zeros((height, width), np.float64)
    vote(level.image, scene, nnf, cost, ys, xs, level.hole, best_only, total, weight)
    target = level.image.copy()
    voted = level.hole & (weight > 0)
    target[voted] = (total[voted] / weight[voted][:, None]).astype(np.float32)
    return target


def _window_mean(values: np.ndarray, select: np.ndarray, radius: int) -> np.ndarray:
    """Mean of ``values`` over the ``select`` pixels of the square window around each pixel."""
    size = (2 * radius + 1, 2 * radius + 1)
    weight = cv2.boxFilter(select.astype(np.float32), -1, size, normalize=False)
    total = cv2.boxFilter(values * select[..., None], -1, size, normalize=False)
    return total / np.maximum(weight, 1e-6)[..., None]


def _even_border(target: np.ndarray, hole: np.ndarray) -> np.ndarray:
    """Shift the fill's outer ``BORDER_WIDTH`` px by the colour step between the photo and the
    fill across the hole's edge, fading inwards, so that the two meet without an outline."""
    depth = cv2.distanceTransform(hole.astype(np.uint8), cv2.DIST_C, 3)
    border = depth == 1
    steps = _window_mean(target, ~hole, 1) - _window_mean(target, hole, 1)
    steps[~border] = 0
    shift = _window_mean(steps, border, BORDER_SPREAD)
    fade = np.clip((BORDER_WIDTH + 1 - depth) / BORDER_WIDTH, 0, 1) * hole
    return target + shift * fade[..., None].astype(np.float32)
