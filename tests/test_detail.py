"""Restoring a fill's fine detail: up to the photo's level around the hole, never down."""

from __future__ import annotations

import cv2
import numpy as np

from amethyst.imaging.detail import (
    LARGE_BAND,
    _restore_band,
    restore_contrast,
    restore_detail,
    restore_large_contrast,
)
from tests.photos import FUR_HOLE as MASK
from tests.photos import disc_mask, fur, photo

INSIDE = cv2.erode(MASK.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)


def with_detail_scaled(rgb: np.ndarray, scale: float) -> np.ndarray:
    """``rgb`` with its fine detail (what a 2 px Gaussian removes) scaled inside MASK."""
    pixels = rgb.astype(np.float64)
    base = cv2.GaussianBlur(pixels, (0, 0), 2.0)
    scaled = np.clip(base + scale * (pixels - base) + 0.5, 0, 255).astype(np.uint8)
    return np.where(MASK[..., None], scaled, rgb)


def detail(rgb: np.ndarray) -> np.ndarray:
    grey = rgb.astype(np.float64).mean(2)
    return (grey - cv2.GaussianBlur(grey, (0, 0), 2.0))[INSIDE]


def test_a_softened_fill_gets_the_photos_detail_back() -> None:
    rgb, _ = fur()
    soft = with_detail_scaled(rgb, 0.8)
    restored = restore_detail(rgb, MASK, soft)
    assert detail(soft).std() < 0.85 * detail(rgb).std()
    assert 0.9 < detail(restored).std() / detail(rgb).std() < 1.1


def test_the_gain_is_bounded() -> None:
    rgb, _ = fur()
    flat = with_detail_scaled(rgb, 0.3)
    restored = restore_detail(rgb, MASK, flat, max_gain=1.5)
    assert 1.25 < detail(restored).std() / detail(flat).std() <= 1.5
    base = cv2.GaussianBlur(flat.astype(np.float64), (0, 0), 2.0)
    scaled = np.abs(restored - base)[MASK] - 1.5 * np.abs(flat - base)[MASK]
    assert scaled.max() <= 0.5 + 1e-9  # per pixel: at most 1.5x the detail, up to rounding


def test_a_fill_as_detailed_as_the_photo_is_left_alone() -> None:
    rgb, _ = fur()
    crisp = with_detail_scaled(rgb, 2.0)
    assert (restore_detail(rgb, MASK, crisp) == crisp).all()


def test_only_the_fill_changes_and_the_removed_object_is_never_looked_at() -> None:
    rgb, _ = fur()
    fill = with_detail_scaled(rgb, 0.6)
    with_object = rgb.copy()
    with_object[MASK] = (250, 250, 250)  # a white object where the fill goes
    with_object[MASK & (np.indices(MASK.shape).sum(0) % 2 == 0)] = 0  # with sharp detail
    restored = restore_detail(with_object, MASK, fill)
    assert (restored == restore_detail(rgb, MASK, fill)).all()
    assert (restored[~MASK] == fill[~MASK]).all()
    assert (restored[MASK] != fill[MASK]).any()


def test_a_photo_without_detail_gives_the_fill_back() -> None:
    grey = np.full((128, 128, 3), 90, np.uint8)
    mask = disc_mask((128, 128), (64, 64), 30)
    assert (restore_detail(grey, mask, grey) == grey).all()
    everything = np.ones((128, 128), bool)
    assert (restore_detail(grey, everything, grey) == grey).all()


def test_a_hole_is_restored_from_its_neighbourhood_only() -> None:
    """Work is limited to a window around the hole; the result is the same as on a crop."""
    rgb = np.asarray(photo("astronaut.png")).copy()
    mask = np.zeros(rgb.shape[:2], bool)
    mask[300:340, 200:260] = True
    pixels = rgb.astype(np.float64)
    blurred = cv2.GaussianBlur(pixels, (0, 0), 2.0)
    soft = np.where(mask[..., None], (blurred + 0.6 * (pixels - blurred)).astype(np.uint8), rgb)
    whole = restore_detail(rgb, mask, soft)
    crop = np.s_[300 - 100 : 340 + 100, 200 - 100 : 260 + 100]
    assert (whole[crop] == restore_detail(rgb[crop], mask[crop], soft[crop])).all()
    assert (whole[mask] != soft[mask]).any()


def with_band_scaled(rgb: np.ndarray, scale: float) -> np.ndarray:
    """``rgb`` with its contrast between a 2 px and an 8 px Gaussian scaled inside MASK: a hazy
    fill whose fine detail is intact."""
    pixels = rgb.astype(np.float64)
    fine, coarse = (cv2.GaussianBlur(pixels, (0, 0), s) for s in (2.0, 8.0))
    scaled = coarse + scale * (fine - coarse) + (pixels - fine)
    return np.where(MASK[..., None], np.clip(scaled + 0.5, 0, 255).astype(np.uint8), rgb)


def local_contrast(rgb: np.ndarray, where: np.ndarray) -> float:
    grey = rgb.astype(np.float64).mean(2)
    band = cv2.GaussianBlur(grey, (0, 0), 2.0) - cv2.GaussianBlur(grey, (0, 0), 8.0)
    return float(band[where].std())


def test_a_hazy_fill_gets_the_photos_local_contrast_back() -> None:
    rgb, _ = fur()
    hazy = with_band_scaled(rgb, 0.6)
    restored = restore_contrast(rgb, MASK, hazy)
    before, after = (
        local_contrast(x, INSIDE) / local_contrast(rgb, INSIDE) for x in (hazy, restored)
    )
    assert before < 0.8  # the fade over the hole's first 8 px keeps some of the haze there
    assert after > before + 0.08 and 0.85 < after < 1.1
    assert detail(restored).std() < 1.05 * detail(hazy).std()  # the fine detail stays put
    assert (restored[~MASK] == hazy[~MASK]).all()


def test_contrast_fades_in_from_the_holes_edge() -> None:
    rgb, _ = fur()
    hazy = with_band_scaled(rgb, 0.5)
    change = np.abs(restore_contrast(rgb, MASK, hazy).astype(int) - hazy).max(2)
    depth = cv2.distanceTransform(MASK.astype(np.uint8), cv2.DIST_L2, 3)
    edge, deep = MASK & (depth <= 1.5), depth >= 8
    assert change[edge].mean() < 0.35 * change[deep].mean()


def test_contrast_never_looks_at_the_removed_object() -> None:
    rgb, _ = fur()
    hazy = with_band_scaled(rgb, 0.6)
    with_object = rgb.copy()
    with_object[MASK] = (250, 250, 250)
    with_object[MASK & (np.indices(MASK.shape).sum(0) % 2 == 0)] = 0
    assert (restore_contrast(with_object, MASK, hazy) == restore_contrast(rgb, MASK, hazy)).all()


def test_large_fills_get_the_same_contrast_back_worked_out_at_half_size() -> None:
    """``restore_large_contrast`` scales the band at half size: nearly the pixels of the same
    restoration at full size, and the same guarantees outside the hole and on the object."""
    rgb, _ = fur()
    hazy = with_band_scaled(rgb, 0.6)
    full = _restore_band(rgb, MASK, hazy, 2.0, LARGE_BAND)
    half = restore_large_contrast(rgb, MASK, hazy)
    assert local_contrast(half, INSIDE) > 1.1 * local_contrast(hazy, INSIDE)
    assert np.abs(full.astype(int) - half)[MASK].mean() < 0.5
    assert (half[~MASK] == hazy[~MASK]).all()
    with_object = rgb.copy()
    with_object[MASK] = (250, 250, 250)
    assert (restore_large_contrast(with_object, MASK, hazy) == half).all()
