"""Gradient-domain blending: make a fill meet the photo at the hole's border without a step."""

from __future__ import annotations

import cv2
import numpy as np


def membrane(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """A smooth interpolation of ``values`` (HxWxC float32) from the pixels where ``known`` is
    True to every other pixel, by a push-pull pyramid (Gortler et al. 1996): a fast stand-in
    for the membrane of a Poisson blend (Farbman et al. 2009)."""
    weight = known.astype(np.float32)
    levels = [(values * weight[..., None], weight)]
    while min(levels[-1][1].shape) > 2:
        v, w = levels[-1]
        size = ((w.shape[1] + 1) // 2, (w.shape[0] + 1) // 2)
        shrunk = cv2.resize(v, size, interpolation=cv2.INTER_AREA)
        levels.append((shrunk.reshape(size[1], size[0], -1), cv2.resize(w, size, cv2.INTER_AREA)))
    v, w = levels[-1]
    filled = v / np.maximum(w, 1e-6)[..., None]
    for v, w in reversed(levels[:-1]):
        up = cv2.resize(filled, (w.shape[1], w.shape[0]), interpolation=cv2.INTER_LINEAR)
        alpha = np.clip(w, 0.0, 1.0)[..., None]
        filled = alpha * (v / np.maximum(w, 1e-6)[..., None]) + (1.0 - alpha) * up.reshape(v.shape)
    return filled


def known_average(photo: np.ndarray, hole: np.ndarray, sigma: float) -> np.ndarray:
    """The photo's Gaussian-weighted local mean over known pixels only (normalised convolution),
    defined inside the hole's border too: what the photo looks like just past its edge."""
    known = (~hole).astype(np.float32)
    total = cv2.GaussianBlur(photo * known[..., None], (0, 0), sigma)
    weight = cv2.GaussianBlur(known, (0, 0), sigma)
    return total / np.maximum(weight, 1e-6)[..., None]


def meet_border(
    photo: np.ndarray, hole: np.ndarray, fill: np.ndarray, ring: float = 3.0, sigma: float = 1.25
) -> np.ndarray:
    """``fill`` (HxWx3 uint8) corrected so that its outer ``ring`` px inside the hole take the
    photo's local mean there, the correction fading smoothly towards the hole's middle; the
    fill's texture stays, only the step at the border goes."""
    photo_f = photo.astype(np.float32)
    fill_f = fill.astype(np.float32)
    inside = cv2.distanceTransform(hole.astype(np.uint8), cv2.DIST_L2, 3)
    border = hole & (inside <= ring)
    mismatch = np.where(border[..., None], known_average(photo_f, hole, sigma) - fill_f, 0.0)
    corrected = fill_f + membrane(mismatch.astype(np.float32), ~hole | border)
    out = np.where(hole[..., None], corrected, fill_f)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)
