"""Give a fill back the local contrast of the photo around it.

Exemplar fills average overlapping copied patches, which softens their fine detail: a fill reads
as a faint smudge beside the photo. This scales the fill's fine detail (what a 2 px Gaussian
removes) up towards the detail level of the nearby photo, never down, and by a bounded factor.
"""

from __future__ import annotations

import cv2
import numpy as np

from amethyst.imaging.masks import away_from

DETAIL_SIGMA = 2.0  # px: the scale of "fine detail", the part of the fill that is scaled
LEVEL_SIGMA = 4.0  # px: the window over which a detail level (its standard deviation) is taken
REACH_SIGMA = 12.0  # px: how far the photo's detail level is carried into the hole
GUARD = 4  # px: photo pixels this close to the hole are not trusted as a reference
# How far a hole pixel's result can look: OpenCV's float Gaussian kernels reach 4 sigma.
REACH = 4 * (REACH_SIGMA + LEVEL_SIGMA + DETAIL_SIGMA)


def _average(values: np.ndarray, valid: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian average of ``values`` over the ``valid`` pixels only, at every pixel."""
    weight = cv2.GaussianBlur(valid.astype(np.float64), (0, 0), sigma)
    total = cv2.GaussianBlur(np.where(valid, values, 0.0), (0, 0), sigma)
    return total / np.maximum(weight, 1e-6)


def _detail_level(grey: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Local standard deviation of the fine detail of a grey image, from its ``valid`` pixels."""
    detail = grey - _average(grey, valid, DETAIL_SIGMA)
    mean = _average(detail, valid, LEVEL_SIGMA)
    return np.sqrt(np.maximum(_average(detail * detail, valid, LEVEL_SIGMA) - mean * mean, 0.0))


def restore_detail(
    photo: np.ndarray, mask: np.ndarray, fill: np.ndarray, max_gain: float = 1.5
) -> np.ndarray:
    """``fill`` (HxWx3 uint8, the photo with its ``mask`` filled) with the fine detail inside the
    mask scaled by up to ``max_gain`` so that its level matches the photo's around the hole.
    Pixels outside the mask, and fills already as detailed as the photo, are left as they are;
    the photo's pixels inside the mask (the thing being removed) are never looked at.
    """
    mask = mask.astype(bool)
    out = fill.copy()
    if not mask.any():
        return out
    ys, xs = np.nonzero(mask)
    reach = int(np.ceil(REACH))
    window = np.s_[
        max(ys.min() - reach, 0) : ys.max() + reach + 1,
        max(xs.min() - reach, 0) : xs.max() + reach + 1,
    ]
    out[window] = _restore(photo[window], mask[window], fill[window], max_gain)
    return out


def _restore(photo: np.ndarray, mask: np.ndarray, fill: np.ndarray, max_gain: float) -> np.ndarray:
    """``restore_detail`` on a window that holds the hole and everything its result depends on."""
    grey_photo = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY).astype(np.float64)
    grey_fill = cv2.cvtColor(fill, cv2.COLOR_RGB2GRAY).astype(np.float64)
    reference = away_from(mask, GUARD)
    known, everywhere = ~mask, np.ones_like(mask)
    wanted = _average(_detail_level(grey_photo, known), reference, REACH_SIGMA)
    present = _average(_detail_level(grey_fill, everywhere), mask, REACH_SIGMA)
    gain = np.clip(wanted / np.maximum(present, 0.5), 1.0, max_gain)[..., None]

    pixels = fill.astype(np.float64)
    base = cv2.GaussianBlur(pixels, (0, 0), DETAIL_SIGMA)
    restored = np.clip(base + gain * (pixels - base) + 0.5, 0, 255).astype(np.uint8)
    return np.where(mask[..., None], restored, fill)
