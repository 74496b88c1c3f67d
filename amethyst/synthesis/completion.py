"""Multi-scale exemplar completion (Wexler et al. 2007 EM with Barnes et al. 2009 PatchMatch).

The hole is filled coarse to fine on a pyramid built from known pixels only. At each level,
EM alternates a PatchMatch search (patches compared on colour and image gradients, so edges and
grain are matched, not just mean colour) with a vote whose sharp weights favour the best
matches. The field is carried to the next finer level and the level's last vote is made there,
with the finer photo's pixels, so every level starts from real fine texture instead of an
upscaled blur. Every pixel of the fill is copied from the photo itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from amethyst.synthesis import patch_search


@dataclass(frozen=True)
class CompletionSettings:
    """Knobs of the completion, with the values measured best on our validation photos."""

    radius: int = 3  # patches are (2 * radius + 1) squared pixels
    coarsest: int = 8  # the coarsest level's shorter side is at least this, in pixels
    known_fraction: float = 1e-6  # a coarse pixel is known when more of its reach is known
    gradient_weight: float = 0.75  # scale of the grey gradients against colour in the distance
    guide_sigma: float = 3.0  # Gaussian low-pass of the guide and photo, in crop pixels
    iterations: tuple[int, ...] = (1, 2, 3, 4, 5)  # EM iterations, finest level first
    passes: tuple[int, ...] = (1, 2, 2, 2, 2)  # PatchMatch passes per EM iteration, finest first
    spans: tuple[int, ...] = (8, 32)  # random-search radius, finest first; full size beyond
    sharpness: float = 16.0  # vote weights exp(-d / h), h the median distance over this
    hole_penalty: float = 3 * 255.0**2  # distance per source pixel in the hole


SETTINGS = CompletionSettings()


@dataclass
class _Level:
    known: np.ndarray  # float32 HxWx3: the photo averaged over known pixels only
    hole: np.ndarray  # bool HxW
    targets: np.ndarray  # bool HxW: centres of patches that overlap the hole
    valid: np.ndarray  # bool HxW: known centres of patches wholly inside the image
    known_u8: np.ndarray  # uint8 HxW: 1 where the pixel is known (sources' hole pixels cost)
    sources: np.ndarray  # int32 Nx2: the valid centres as a list
    guide_target: np.ndarray  # float32 HxWxG: the low-passed guide (G = 0 without a guide)
    guide_source: np.ndarray  # float32 HxWxG: the low-passed photo


# Binomial-like 6-tap low-pass of one pyramid step (as in PyPatchMatch): wide enough that a
# coarse pixel sees its 2x2 block and two pixels around it.
_DOWN = np.array([1, 5, 10, 10, 5, 1], np.float32) / 32


def _down(image: np.ndarray, weight: np.ndarray, fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """Halve ``image`` (HxWxC) averaging only pixels of ``weight`` 1; returns the image and
    its weight, 0 where no known pixel was in reach (the coarse hole)."""
    total = cv2.sepFilter2D(image * weight[..., None], -1, _DOWN, _DOWN, anchor=(2, 2))
    norm = cv2.sepFilter2D(weight, -1, _DOWN, _DOWN, anchor=(2, 2))
    total, norm = total[::2, ::2], norm[::2, ::2]
    small = total / np.maximum(norm, 1e-6)[..., None]
    return small.astype(np.float32), (norm > fraction).astype(np.float32)


def _pyramid(
    photo: np.ndarray, hole: np.ndarray, coarsest: int, fraction: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(photo, hole) per level, coarsest first, halving the crop until its shorter side is
    below ``2 * coarsest``. A coarse pixel is a hole only when no known pixel is in its reach,
    so the hole shrinks to little or nothing at the coarsest levels and the fill's layout
    grows from there; coarse colours average known pixels only, so no object colour leaks in."""
    levels = [(photo, hole)]
    weight = (~hole).astype(np.float32)
    while min(levels[-1][1].shape) >= 2 * coarsest:
        image, weight = _down(levels[-1][0], weight, fraction)
        levels.append((image, weight < 0.5))
    return levels[::-1]


def _level(
    known: np.ndarray,
    hole: np.ndarray,
    guides: tuple[np.ndarray, np.ndarray] | None,
    radius: int,
) -> _Level:
    """The search domain of one level: targets are centres of patches touching the hole,
    sources known centres of patches inside the image (their hole pixels cost a penalty)."""
    height, width = hole.shape
    kernel = np.ones((2 * radius + 1, 2 * radius + 1), np.uint8)
    targets = cv2.dilate(hole.astype(np.uint8), kernel).astype(bool)
    valid = np.zeros_like(hole)
    valid[radius : height - radius, radius : width - radius] = True
    valid &= ~hole
    sources = np.argwhere(valid).astype(np.int32)
    if guides is None:
        empty = np.zeros((height, width, 0), np.float32)
        guide_target, guide_source = empty, empty
    else:
        size = (width, height)
        guide_target = cv2.resize(guides[0], size, interpolation=cv2.INTER_AREA)
        guide_source = cv2.resize(guides[1], size, interpolation=cv2.INTER_AREA)
    known_u8 = (~hole).astype(np.uint8)
    return _Level(known, hole, targets, valid, known_u8, sources, guide_target, guide_source)


def _features(image: np.ndarray, gradient_weight: float) -> np.ndarray:
    """Per-pixel features compared between patches: RGB, then the grey image's x and y
    gradients (Sobel / 4, in grey levels per pixel) times ``gradient_weight``."""
    grey = image @ np.array([0.299, 0.587, 0.114], np.float32)
    scale = gradient_weight / 4.0
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3, scale=scale)
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3, scale=scale)
    return np.ascontiguousarray(np.dstack([image, gx, gy]), dtype=np.float32)


def _weights(cost: np.ndarray, targets: np.ndarray, sharpness: float) -> np.ndarray:
    """Vote weights exp(-d / h), h the targets' median distance over ``sharpness``: a patch
    that matches much worse than usual barely counts, so the vote keeps the best copies'
    contrast instead of averaging many mediocre ones. A negative cost (no match) weighs 0."""
    counted = targets & (cost >= 0)
    scale = max(float(np.median(cost[counted])) if counted.any() else 1.0, 1e-3) / sharpness
    weights = np.maximum(np.exp(-np.maximum(cost, 0.0).astype(np.float64) / scale), 1e-30)
    return np.where(cost >= 0, weights, 0.0)


def _low_pass(image: np.ndarray, known: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian low-pass over ``known`` pixels only (normalised convolution)."""
    weight = known.astype(np.float32)
    total = cv2.GaussianBlur(image * weight[..., None], (0, 0), sigma)
    return total / np.maximum(cv2.GaussianBlur(weight, (0, 0), sigma), 1e-6)[..., None]


def _smooth_fill(image: np.ndarray, hole: np.ndarray) -> np.ndarray:
    """The coarsest level's first guess: the hole diffused in from its border (Telea 2004);
    the hole is a few pixels there at most, so this is cheap and its blur is voted away."""
    u8 = np.clip(image + 0.5, 0, 255).astype(np.uint8)
    return cv2.inpaint(u8, hole.astype(np.uint8), 3, cv2.INPAINT_TELEA).astype(np.float32)


def _check(rgb: np.ndarray, hole: np.ndarray, guide: np.ndarray | None) -> np.ndarray:
    """Validate the arguments; return the hole as a bool array."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"rgb must be an HxWx3 uint8 array, got {rgb.shape} {rgb.dtype}")
    hole = np.ascontiguousarray(hole, dtype=bool)
    if hole.shape != rgb.shape[:2]:
        raise ValueError(f"hole shape {hole.shape} does not match the image's {rgb.shape[:2]}")
    if guide is not None and guide.shape != rgb.shape:
        raise ValueError(f"guide shape {guide.shape} does not match the image's {rgb.shape}")
    if hole.all():
        raise ValueError("the hole covers the whole image: there is nothing to copy from")
    return hole


def complete(
    rgb: np.ndarray,
    hole: np.ndarray,
    guide: np.ndarray | None = None,
    guide_weight: float = 0.0,
    seed: int = 0,
    settings: CompletionSettings = SETTINGS,
) -> np.ndarray:
    """Fill ``hole`` (HxW bool) of ``rgb`` (HxWx3 uint8) with patches copied from the photo;
    pixels outside the hole are returned unchanged and a given ``seed`` gives the same fill.

    With ``guide`` (HxWx3 uint8, e.g. another engine's fill) and ``guide_weight`` > 0, patches
    are also chosen so that the photo's low-passed colour at the source matches the guide's
    low-passed colour at the target, which lets the guide decide the fill's layout.
    """
    hole = _check(rgb, hole, guide)
    if not hole.any():
        return rgb.copy()
    photo = rgb.astype(np.float32)
    guides = None
    if guide is not None and guide_weight > 0:
        composite = np.where(hole[..., None], guide.astype(np.float32), photo)
        guides = (
            cv2.GaussianBlur(composite, (0, 0), settings.guide_sigma),
            _low_pass(photo, ~hole, settings.guide_sigma),
        )
    radius = settings.radius
    # A crop too small for a patch around any known pixel gets smaller patches.
    while radius > 0 and len(_level(photo, hole, None, radius).sources) == 0:
        radius -= 1
    pyramid = _pyramid(photo, hole, settings.coarsest, settings.known_fraction)
    levels = [_level(known, small, guides, radius) for known, small in pyramid]
    first = next(i for i, level in enumerate(levels) if len(level.sources) > 0)
    image = nnf = cost = None
    for index in range(first, len(levels)):
        level = levels[index]
        depth = len(levels) - 1 - index  # 0 at the full crop
        shape = level.hole.shape
        if image is None:
            image = level.known.copy()
            image[level.hole] = _smooth_fill(level.known, level.hole)[level.hole]
            nnf = np.zeros((*shape, 2), np.int32)
            cost = np.zeros(shape, np.float32)
            patch_search.random_field(level.targets, level.sources, nnf, seed)
        span = settings.spans[depth] if depth < len(settings.spans) else max(shape)
        rounds = settings.iterations[min(depth, len(settings.iterations) - 1)]
        passes = settings.passes[min(depth, len(settings.passes) - 1)]
        for round_ in range(rounds):
            features = _features(image, settings.gradient_weight)
            guides_here = (level.guide_target, level.guide_source, guide_weight)
            args = (features, level.known_u8, settings.hole_penalty, *guides_here)
            patch_search.field_cost(*args, level.targets, nnf, cost, radius)
            patch_search.improve_field(
                *args,
                level.targets,
                level.valid,
                nnf,
                cost,
                radius,
                span,
                passes,
                seed * 1000003 + depth * 101 + round_,
            )
            if round_ == rounds - 1 and depth > 0:
                break
            voted = image.copy()
            weights = _weights(cost, level.targets, settings.sharpness)
            patch_search.vote(
                level.known, level.known_u8, level.targets, level.hole, nnf, weights, radius, voted
            )
            image = voted
        if depth > 0:
            # The level's last vote is made one level finer, with the finer photo's pixels.
            finer = levels[index + 1]
            fine_shape = finer.hole.shape
            fine_nnf = np.zeros((*fine_shape, 2), np.int32)
            fine_cost = np.zeros(fine_shape, np.float32)
            patch_search.upsample_field(
                nnf,
                cost,
                level.targets,
                finer.targets,
                finer.valid,
                finer.sources,
                fine_nnf,
                fine_cost,
                seed,
            )
            # Pixels that no patch reaches keep the upscaled coarse fill.
            upscaled = cv2.resize(image, (fine_shape[1], fine_shape[0]))
            image = finer.known.copy()
            image[finer.hole] = upscaled[finer.hole]
            weights = _weights(fine_cost, finer.targets, settings.sharpness)
            patch_search.vote(
                finer.known,
                finer.known_u8,
                finer.targets,
                finer.hole,
                fine_nnf,
                weights,
                radius,
                image,
            )
            nnf, cost = fine_nnf, fine_cost
    assert image is not None
    filled = np.clip(image + 0.5, 0, 255).astype(np.uint8)
    return np.where(hole[..., None], filled, rgb)
