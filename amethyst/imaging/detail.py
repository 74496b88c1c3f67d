"""Give a fill back the local contrast of the photo around it.

Exemplar fills average overlapping copied patches, which softens their fine detail: a fill reads
as a faint smudge beside the photo. This scales a band of the fill (its fine detail, what a 2 px
Gaussian removes; or the coarser contrast between a 2 px and an 8 px Gaussian) up towards the
level of that band in the nearby photo, never down, and by a bounded factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from amethyst.imaging.masks import away_from, depth_inside, shrunk_hole
from amethyst.regions import Box, bounding_box

DETAIL_SIGMA = 2.0  # px: the scale of "fine detail", the part of the fill that is scaled
# px: a band's level (its local standard deviation) is taken over its coarse sigma plus this
LEVEL_EXTRA = 2.0
REACH_SIGMA = 12.0  # px: how far the photo's level is carried into the hole
# At full resolution, after a fill made on a shrunk crop, the level is carried further: as far
# as about 12 working-size px at 12 MP (blind 18 to 1 against 12 px, docs/benchmarks.md).
LARGE_REACH_SIGMA = 48.0
# px: an average over a Gaussian this wide or wider is worked out at a lower resolution, where
# its kernel is WIDE_SIGMA / 2 to WIDE_SIGMA px; such an average varies too slowly to need more.
WIDE_SIGMA = 16.0
GUARD = 4  # px: photo pixels this close to the hole are not trusted as a reference
# restore_contrast's band: what an 8 px Gaussian removes and a 2 px one keeps.
CONTRAST_SIGMA = 8.0
CONTRAST_GUARD = 10  # px: a wider band reaches further, so its reference keeps further away
CONTRAST_TAPER = 8.0  # px: its gain grows from 1 at the hole's edge over this depth


@dataclass(frozen=True)
class Band:
    """What a Gaussian of ``coarse`` px removes and one of ``fine`` px (0: none) keeps, with
    how far from the hole reference pixels must be, over what depth its gain fades in, and how
    far (Gaussian sigma) the photo's level is carried into the hole."""

    fine: float
    coarse: float
    guard: int
    taper: float = 0.0
    reach: float = REACH_SIGMA


# restore_large_contrast's band: restore_contrast's, with the photo's level carried further.
LARGE_BAND = Band(DETAIL_SIGMA, CONTRAST_SIGMA, CONTRAST_GUARD, CONTRAST_TAPER, LARGE_REACH_SIGMA)


@dataclass(frozen=True)
class PhotoLevel:
    """The photo's side of a band's restoration, which does not depend on the fill: the hole's
    box, the window worked on, and there, at the gain's resolution, the hole and the photo's
    level of the band carried into it."""

    holes: Box
    window: Box
    hole: np.ndarray
    wanted: np.ndarray


def _average(values: np.ndarray, valid: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian average of ``values`` over the ``valid`` pixels only, at every pixel; itself
    for ``sigma`` 0. Over a Gaussian of ``WIDE_SIGMA`` px or more it is worked out on values
    and weights shrunk by the factor that brings ``sigma`` to 8-16 px, then brought back up:
    such an average varies too slowly to need more, and its kernel at full size would cost
    more than everything else."""
    if sigma == 0:
        return values
    weight, total = valid.astype(np.float32), np.where(valid, values, 0.0)
    factor = int(sigma // (WIDE_SIGMA / 2)) if sigma >= WIDE_SIGMA else 1
    if factor > 1:
        weight, total = _shrunk(weight, factor), _shrunk(total, factor)
    weight = cv2.GaussianBlur(weight, (0, 0), sigma / factor)
    average = cv2.GaussianBlur(total, (0, 0), sigma / factor) / np.maximum(weight, 1e-6)
    if factor > 1:
        return cv2.resize(average, values.shape[::-1], interpolation=cv2.INTER_LINEAR)
    return average


def _band_level(
    grey: np.ndarray, valid: np.ndarray, fine: float, coarse: float, level_sigma: float
) -> np.ndarray:
    """Local standard deviation (over ``level_sigma``) of what a Gaussian of ``coarse`` px
    removes from a grey image and one of ``fine`` px keeps, from its ``valid`` pixels."""
    values = _average(grey, valid, fine) - _average(grey, valid, coarse)
    mean = _average(values, valid, level_sigma)
    return np.sqrt(np.maximum(_average(values * values, valid, level_sigma) - mean * mean, 0.0))


def restore_detail(
    photo: np.ndarray, mask: np.ndarray, fill: np.ndarray, max_gain: float = 1.5
) -> np.ndarray:
    """``fill`` (HxWx3 uint8, the photo with its ``mask`` filled) with the fine detail inside the
    mask scaled by up to ``max_gain`` so that its level matches the photo's around the hole.
    Pixels outside the mask, and fills already as detailed as the photo, are left as they are;
    the photo's pixels inside the mask (the thing being removed) are never looked at.
    """
    return _restore_band(photo, mask, fill, max_gain, Band(0.0, DETAIL_SIGMA, GUARD))


def restore_contrast(
    photo: np.ndarray, mask: np.ndarray, fill: np.ndarray, max_gain: float = 2.0
) -> np.ndarray:
    """``restore_detail`` for the coarser band between a 2 px and an 8 px Gaussian: the local
    contrast a viewer reads as haze when a fill lacks it. The gain fades in over the hole's
    first 8 px, so the border, where fill and photo meet, is not sharpened into a seam."""
    band = Band(DETAIL_SIGMA, CONTRAST_SIGMA, CONTRAST_GUARD, CONTRAST_TAPER)
    return _restore_band(photo, mask, fill, max_gain, band)


def read_large_contrast(photo: np.ndarray, mask: np.ndarray) -> PhotoLevel | None:
    """What ``restore_large_contrast`` reads from the photo alone (None for an empty mask): the
    pipeline works it out on another core while the engine fills."""
    return _read_level(photo, mask, LARGE_BAND)


def restore_large_contrast(
    photo: np.ndarray,
    mask: np.ndarray,
    fill: np.ndarray,
    max_gain: float = 2.0,
    level: PhotoLevel | None = None,
) -> np.ndarray:
    """``restore_contrast`` for a fill of a large crop at full resolution, worked out at half
    size: the band needs no more (a 2 px Gaussian leaves under 1 % of its input where half size
    cannot follow), and at 12 MP the full-size blurs would cost more than the rest. The photo's
    level is carried 48 px into the hole rather than 12: as far as at the working size.
    ``level``: ``read_large_contrast``'s result for the same photo and mask, if read already."""
    return _restore_band(photo, mask, fill, max_gain, LARGE_BAND, coarsely=True, level=level)


def _step(band: Band) -> int:
    """The gain of a band varies slowly, so it is found at 1/step of the size: a third of the
    band's coarse sigma per pixel."""
    return max(1, int(band.coarse // 3))


def _small_size(shape: tuple[int, ...], step: int) -> tuple[int, int]:
    """(width, height) of an image of ``shape`` at 1/``step`` of its size, rounded up."""
    return -(-shape[1] // step), -(-shape[0] // step)


def _shrunk(image: np.ndarray, step: int) -> np.ndarray:
    """``image`` at 1/``step`` of its size, averaged by area."""
    return cv2.resize(image, _small_size(image.shape, step), interpolation=cv2.INTER_AREA)


def _read_level(photo: np.ndarray, mask: np.ndarray, band: Band) -> PhotoLevel | None:
    """The photo's side of restoring ``band`` inside ``mask``: on a window that holds the hole and
    everything the result depends on (OpenCV's float Gaussian kernels reach 4 sigma), the
    photo's level of the band around the hole, carried into it."""
    mask = mask.astype(bool)
    holes = bounding_box(mask)
    if holes is None:
        return None
    reach = int(np.ceil(4 * (band.reach + band.coarse + LEVEL_EXTRA + band.coarse)))
    window = holes.grown(reach, mask.shape[1], mask.shape[0])
    photo, hole = photo[window.slices], mask[window.slices]
    step = _step(band)
    if step > 1:
        hole = shrunk_hole(hole, _small_size(hole.shape, step))
        photo = _shrunk(photo, step)
    grey = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY).astype(np.float32)
    reference = away_from(hole, -(-band.guard // step))
    fine, coarse = band.fine / step, band.coarse / step
    level = _band_level(grey, ~hole, fine, coarse, (band.coarse + LEVEL_EXTRA) / step)
    wanted = _average(level, reference, band.reach / step)
    return PhotoLevel(holes, window, hole, wanted)


def _restore_band(
    photo: np.ndarray,
    mask: np.ndarray,
    fill: np.ndarray,
    max_gain: float,
    band: Band,
    coarsely: bool = False,
    level: PhotoLevel | None = None,
) -> np.ndarray:
    """Scale ``band`` of ``fill`` inside ``mask`` (``level``: the photo's side, if read already);
    ``coarsely``: the band too at the lower resolution its gain is found at."""
    mask, out = mask.astype(bool), fill.copy()
    if level is None:
        level = _read_level(photo, mask, band)
    if level is None:
        return out
    holes, window = level.holes, level.window
    added = _added(mask[window.slices], fill[window.slices], level, max_gain, band, coarsely)
    fill, mask = fill[holes.slices], mask[holes.slices]
    restored = fill.astype(np.float32) + added[holes.slices_in(window)] + 0.5
    restored = np.clip(restored, 0, 255).astype(np.uint8)
    out[holes.slices] = np.where(mask[..., None], restored, fill)
    return out


def _added(
    mask: np.ndarray,
    fill: np.ndarray,
    level: PhotoLevel,
    max_gain: float,
    band: Band,
    coarsely: bool,
) -> np.ndarray:
    """What scaling ``band`` adds to each pixel of ``fill`` (HxWx3 float32; ``fill`` and
    ``mask`` are ``level.window``'s crops). The gain varies slowly (it is averaged over
    ``band.reach`` px), so for coarse bands it is found at a lower resolution; ``coarsely``, the
    band is scaled there too and what that adds is brought back up."""
    height, width = mask.shape
    step = _step(band)
    small_fill = _shrunk(fill, step) if step > 1 else fill
    gain = _gain(level, small_fill, max_gain, band, step)
    if step > 1 and coarsely:
        small_band = Band(band.fine / step, band.coarse / step, band.guard, band.taper / step)
        added = _scaled(small_fill, level.hole, gain, small_band)
        return cv2.resize(added, (width, height), interpolation=cv2.INTER_LINEAR)
    if step > 1:
        gain = cv2.resize(gain, (width, height), interpolation=cv2.INTER_LINEAR)
    return _scaled(fill, mask, gain, band)


def _scaled(fill: np.ndarray, mask: np.ndarray, gain: np.ndarray, band: Band) -> np.ndarray:
    """What ``gain`` (faded in over ``band.taper`` px of the hole's depth) adds to ``fill``'s
    ``band``."""
    if band.taper > 0:
        gain = 1.0 + (gain - 1.0) * np.clip(depth_inside(mask) / band.taper, 0.0, 1.0)
    pixels = fill.astype(np.float32)
    fine, coarse = (
        cv2.GaussianBlur(pixels, (0, 0), s) if s else pixels for s in (band.fine, band.coarse)
    )
    return (gain - 1.0)[..., None] * (fine - coarse)


def _gain(
    level: PhotoLevel, fill: np.ndarray, max_gain: float, band: Band, step: int
) -> np.ndarray:
    """Per pixel, how much the fill's ``band`` must grow to reach the photo's level; ``fill`` is
    at 1/``step`` of the size the lengths are given in, as ``level.hole`` is."""
    grey = cv2.cvtColor(fill, cv2.COLOR_RGB2GRAY).astype(np.float32)
    everywhere = np.ones_like(level.hole)
    fine, coarse = band.fine / step, band.coarse / step
    present = _band_level(grey, everywhere, fine, coarse, (band.coarse + LEVEL_EXTRA) / step)
    present = _average(present, level.hole, band.reach / step)
    return np.clip(level.wanted / np.maximum(present, 0.5), 1.0, max_gain)
