"""Grain restored into fills made at a reduced size (amethyst.imaging.grain)."""

from __future__ import annotations

import cv2
import numpy as np

from amethyst.evaluation.metrics import haze, hole_psnr
from amethyst.imaging.grain import restore_grain
from tests.photos import disc_mask, photo, upscale


def _upscaled_fill(crop: np.ndarray, hole: np.ndarray, factor: int) -> np.ndarray:
    """The crop with its hole filled at 1/factor size by Telea, then upscaled: what the
    pipeline hands over for a crop larger than the engine's working size."""
    height, width = hole.shape
    size = (width // factor, height // factor)
    small = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
    small_hole = cv2.resize(hole.astype(np.float32), size, interpolation=cv2.INTER_AREA) > 0
    filled = cv2.inpaint(small, small_hole.astype(np.uint8) * 255, 3, cv2.INPAINT_TELEA)
    up = cv2.resize(filled, (width, height), interpolation=cv2.INTER_CUBIC)
    return np.where(hole[..., None], up, crop)


def _textured_crop() -> tuple[np.ndarray, np.ndarray]:
    crop = upscale(photo("chelsea.jpg"), (1200, 900))
    noise = np.random.default_rng(0).normal(0, 12, crop.shape[:2])[..., None]
    crop = np.clip(crop + noise, 0, 255).astype(np.uint8)  # a grainy 'phone photo'
    return crop, disc_mask((1200, 900), (600, 450), 120)


def test_grain_brings_back_the_lost_contrast_and_keeps_the_rest():
    crop, hole = _textured_crop()
    soft = _upscaled_fill(crop, hole, 4)
    grainy = restore_grain(crop, hole, soft, 4.0)
    assert np.array_equal(grainy[~hole], soft[~hole])
    assert haze(soft, crop, hole) > 0.4
    assert haze(grainy, crop, hole) < haze(soft, crop, hole) - 0.3
    assert hole_psnr(grainy, crop, hole) > hole_psnr(soft, crop, hole) - 1.5


def test_grain_is_deterministic_and_skips_small_scales():
    crop, hole = _textured_crop()
    soft = _upscaled_fill(crop, hole, 4)
    assert np.array_equal(
        restore_grain(crop, hole, soft, 4.0), restore_grain(crop, hole, soft, 4.0)
    )
    assert restore_grain(crop, hole, soft, 1.2) is soft


def test_a_flat_photo_gets_no_grain():
    crop = np.full((400, 400, 3), 90, np.uint8)
    hole = disc_mask((400, 400), (200, 200), 60)
    soft = crop.copy()
    assert np.array_equal(restore_grain(crop, hole, soft, 3.0), soft)


def test_a_hole_with_no_known_surroundings_is_left_as_is():
    crop, _ = _textured_crop()
    hole = np.ones(crop.shape[:2], bool)
    hole[:4] = False
    soft = crop.copy()
    assert restore_grain(crop, hole, soft, 4.0) is soft
