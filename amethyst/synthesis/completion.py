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

from amethyst.imaging.blending import membrane
from amethyst.synthesis import patch_search


@dataclass(frozen=True)
class CompletionSettings:
    """Knobs of the completion, with the values measured best on our validation photos."""

    radius: int = 3  # patches are (2 * radius + 1) squared pixels
    coarsest: int = 12  # the coarsest level's shorter side is at least this, in pixels
    gradient_weight: float = 1.5  # scale of the grey gradients against colour in the distance
    guide_sigma: float = 3.0  # Gaussian low-pass of the guide and photo, in crop pixels
    iterations: tuple[int, ...] = (1, 2, 3, 4, 5)  # EM iterations, finest level first
    passes: tuple[int, ...] = (1, 2, 2, 2, 2)  # PatchMatch passes per EM iteration, finest first
    spans: tuple[int, ...] = (8, 32)  # random-search radius, finest first; full size beyond
    sharpness: float = 4.0  # vote weights exp(-d / h), h the median distance over this
    hole_penalty: float = 4800.0  # distance per source pixel in the hole (3 channels x 40^2)
    bands: int = 8  # row bands searched in parallel (fixed, so results ignore thread count)


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


def _shrink(image: np.ndarray, weight: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Area-downscale ``image`` counting only pixels where ``weight`` is 1."""
    num = cv2.resize(image * weight[..., None], size, interpolation=cv2.INTER_AREA)
    den = cv2.resize(weight, size, interpolation=cv2.INTER_AREA)
    return (num / np.maximum(den, 1e-6)[..., None]).astype(np.float32)


def _sizes(height: int, width: int, coarsest: int) -> list[tuple[int, int]]:
    """(width, height) of each level, coarsest first, halving from the full crop."""
    sizes = [(width, height)]
    while min(sizes[-1]) >= 2 * coarsest:
        w, h = sizes[-1]
        sizes.append(((w + 1) // 2, (h + 1) // 2))
    return sizes[::-1]


def _level(
    photo: np.ndarray,
    hole: np.ndarray,
    guides: tuple[np.ndarray, np.ndarray] | None,
    size: tuple[int, int],
    radius: int,
) -> _Level:
    """One pyramid level at ``size``: a coarse pixel is a hole only when none of it is known,
    so the hole shrinks to nothing at the coarsest levels and the fill's layout grows from
    there; a coarse pixel's colour averages its known pixels only, so no object colour leaks
    in."""
    known_weight = (~hole).astype(np.float32)
    if size == (hole.shape[1], hole.shape[0]):
        known, small_hole = photo, hole
    else:
        known = _shrink(photo, known_weight, size)
        small_hole = cv2.resize(known_weight, size, interpolation=cv2.INTER_AREA) < 1e-6
    kernel = np.ones((2 * radius + 1, 2 * radius + 1), np.uint8)
    hole_u8 = small_hole.astype(np.uint8)
    targets = cv2.dilate(hole_u8, kernel).astype(bool)
    inside = np.zeros_like(small_hole)
    inside[radius : size[1] - radius, radius : size[0] - radius] = True
    valid = inside & ~small_hole
    sources = np.argwhere(valid).astype(np.int32)
    if guides is None:
        empty = np.zeros((size[1], size[0], 0), np.float32)
        guide_target, guide_source = empty, empty
    else:
        guide_target = cv2.resize(guides[0], size, interpolation=cv2.INTER_AREA)
        guide_source = cv2.resize(guides[1], size, interpolation=cv2.INTER_AREA)
    known_u8 = (~small_hole).astype(np.uint8)
    return _Level(
        known, small_hole, targets, valid, known_u8, sources, guide_target, guide_source
    )


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
    contrast instead of averaging many mediocre ones."""
    scale = max(float(np.median(cost[targets])), 1e-3) / sharpness
    return np.maximum(np.exp(-cost.astype(np.float64) / scale), 1e-30)


def _low_pass(image: np.ndarray, known: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian low-pass over ``known`` pixels only (normalised convolution)."""
    weight = known.astype(np.float32)
    total = cv2.GaussianBlur(image * weight[..., None], (0, 0), sigma)
    return total / np.maximum(cv2.GaussianBlur(weight, (0, 0), sigma), 1e-6)[..., None]


def _check(rgb: np.ndarray, hole: np.ndarray, guide: np.ndarray | None) -> np.ndarray:
    """Validate the arguments; return the hole as a bool array."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"rgb must be an HxWx3 uint8 array, got {rgb.shape} {rgb.dtype}")
    hole = np.asarray(hole, dtype=bool)
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
    height, width = hole.shape
    radius = settings.radius
    # A crop too small for a patch around any known pixel gets smaller patches.
    while radius > 0 and len(_level(photo, hole, None, (width, height), radius).sources) == 0:
        radius -= 1
    sizes = _sizes(height, width, settings.coarsest)
    levels = [_level(photo, hole, guides, size, radius) for size in sizes]
    first = next(i for i, level in enumerate(levels) if len(level.sources) > 0)
    image = nnf = cost = None
    for index in range(first, len(levels)):
        level = levels[index]
        depth = len(levels) - 1 - index  # 0 at the full crop
        shape = level.hole.shape
        if image is None:
            image = level.known.copy()
            image[level.hole] = membrane(level.known, ~level.hole)[level.hole]
            nnf = np.zeros((*shape, 2), np.int32)
            cost = np.zeros(shape, np.float32)
            patch_search.random_field(level.targets, level.sources, nnf, seed)
        span = settings.spans[depth] if depth < len(settings.spans) else max(shape)
        rounds = settings.iterations[min(depth, len(settings.iterations) - 1)]
        passes = settings.passes[min(depth, len(settings.passes) - 1)]
        for round_ in range(rounds):
            features = _features(image, settings.gradient_weight)
            args = (features, level.known_u8, settings.hole_penalty, level.guide_target, level.guide_source, guide_weight)
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
                settings.bands,
                seed * 1000003 + depth * 101 + round_,
            )
            if round_ == rounds - 1 and depth > 0:
                break
            voted = image.copy()
            weights = _weights(cost, level.targets, settings.sharpness)
            patch_search.vote(level.known, level.known_u8, level.targets, level.hole, nnf, weights, radius, voted)
            image = voted
        if depth > 0:
            # The level's last vote is made one level finer, with the finer photo's pixels.
            finer = levels[index + 1]
            fine_shape = finer.hole.shape
            fine_nnf = np.zeros((*fine_shape, 2), np.int32)
            fine_cost = np.zeros(fine_shape, np.float32)
            patch_search.upsample_field(
                nnf, cost, finer.targets, finer.valid, finer.sources, fine_nnf, fine_cost, seed
            )
            image = finer.known.copy()
            weights = _weights(fine_cost, finer.targets, settings.sharpness)
            patch_search.vote(finer.known, finer.known_u8, finer.targets, finer.hole, fine_nnf, weights, radius, image)
            nnf, cost = fine_nnf, fine_cost
    assert image is not None
    filled = np.clip(image + 0.5, 0, 255).astype(np.uint8)
    return np.where(hole[..., None], filled, rgb)
