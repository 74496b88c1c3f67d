"""Hole quality metrics: what they score, where they look, and that they rank fills sensibly."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from amethyst import inpaint
from amethyst.evaluation.metrics import (
    haze,
    hole_l1,
    hole_psnr,
    hole_ssim,
    seam,
    texture_distance,
)


def _texture(size: int = 96, seed: int = 0) -> np.ndarray:
    """A grainy, striped RGB texture: rich gradients everywhere, like foliage or fabric."""
    rng = np.random.default_rng(seed)
    x = np.arange(size)
    stripes = 60 * np.sin(x / 3.0)[None, :] + 40 * np.sin(x / 5.0)[:, None]
    grain = cv2.GaussianBlur(rng.normal(0, 30, (size, size)), (0, 0), 0.8)
    grey = np.clip(128 + stripes + grain, 0, 255)
    return np.stack([grey, grey * 0.8 + 20, grey * 0.6 + 40], axis=2).astype(np.uint8)


def _square_hole(size: int = 96, top: int = 32, side: int = 32) -> np.ndarray:
    mask = np.zeros((size, size), bool)
    mask[top : top + side, top : top + side] = True
    return mask


def test_an_exact_fill_scores_perfectly():
    image, mask = _texture(), _square_hole()
    assert hole_psnr(image, image, mask) == math.inf
    assert hole_ssim(image, image, mask) == pytest.approx(1.0)
    assert hole_l1(image, image, mask) == 0.0
    assert texture_distance(image, image, mask) == 0.0


def test_psnr_and_l1_of_a_uniform_error_match_their_formulas():
    original, mask = _texture(), _square_hole()
    original = np.clip(original, 0, 200).astype(np.uint8)
    output = original.copy()
    output[mask] += 51
    assert hole_l1(output, original, mask) == pytest.approx(0.2)
    assert hole_psnr(output, original, mask) == pytest.approx(10 * math.log10(255**2 / 51**2))


def test_pixels_far_outside_the_hole_do_not_change_any_score():
    original, mask = _texture(), _square_hole()
    output = original.copy()
    output[mask] = 128
    scores = [f(output, original, mask) for f in (hole_psnr, hole_ssim, hole_l1, texture_distance)]
    output[:16, :16] = 0
    moved = [f(output, original, mask) for f in (hole_psnr, hole_ssim, hole_l1, texture_distance)]
    assert moved == scores


def test_ssim_falls_as_the_fill_gets_noisier():
    original, mask = _texture(), _square_hole()
    rng = np.random.default_rng(1)
    scores = []
    for sigma in (2, 10, 40):
        noisy = np.clip(original + rng.normal(0, sigma, original.shape), 0, 255).astype(np.uint8)
        scores.append(hole_ssim(noisy, original, mask))
    assert scores[0] > scores[1] > scores[2]


def test_a_flat_fill_of_a_textured_hole_is_far_in_texture():
    original, mask = _texture(), _square_hole()
    flat = original.copy()
    flat[mask] = original[mask].mean(axis=0).astype(np.uint8)
    assert texture_distance(flat, original, mask) > 1.0


def test_the_same_texture_from_elsewhere_is_close_in_texture():
    original, mask = _texture(seed=0), _square_hole()
    other = _texture(seed=7)
    assert texture_distance(other, original, mask) < 0.15


def test_texture_distance_ranks_patchmatch_above_a_telea_smear():
    original, mask = _texture(), _square_hole()
    telea = inpaint(original, mask, "telea")
    patchmatch = inpaint(original, mask, "patchmatch")
    assert texture_distance(telea, original, mask) > 2 * texture_distance(
        patchmatch, original, mask
    )


def test_a_copy_of_the_original_has_no_seam_and_no_haze():
    image, mask = _texture(), _square_hole()
    assert seam(image, image, mask) == 0.0
    assert haze(image, image, mask) == 0.0


def test_a_flat_fill_of_a_textured_hole_is_all_haze():
    # A 64 px hole: most of its pixels' 15x15 windows lie wholly inside the flat fill.
    original, mask = _texture(128), _square_hole(128, 32, 64)
    flat = original.copy()
    flat[mask] = original[mask].mean(axis=0).astype(np.uint8)
    assert haze(flat, original, mask) == pytest.approx(1.0, abs=0.02)


def test_a_half_contrast_fill_has_half_haze():
    original, mask = _texture(), _square_hole()
    soft = original.copy()
    mean = original[mask].astype(np.float64).mean(axis=0)
    soft[mask] = np.round(mean + 0.5 * (original[mask] - mean)).astype(np.uint8)
    assert haze(soft, original, mask) == pytest.approx(0.5, abs=0.05)


def test_a_fill_brighter_by_a_constant_leaves_a_seam_but_no_haze():
    original, mask = _texture(), _square_hole()
    original = np.clip(original, 0, 215).astype(np.uint8)
    brighter = original.copy()
    brighter[mask] += 40
    assert seam(brighter, original, mask) > 5.0
    assert haze(brighter, original, mask) < 0.05


def test_seam_grows_with_the_step_at_the_border():
    original, mask = _texture(), _square_hole()
    original = np.clip(original, 0, 200).astype(np.uint8)
    seams = []
    for step in (10, 25, 50):
        output = original.copy()
        output[mask] += step
        seams.append(seam(output, original, mask))
    assert seams[0] < seams[1] < seams[2]


def test_a_smooth_photo_has_no_haze_score():
    flat = np.full((64, 64, 3), 90, np.uint8)
    mask = _square_hole(64, 16, 24)
    assert math.isnan(haze(flat, flat, mask))


def test_seam_and_haze_ignore_pixels_away_from_the_hole():
    original, mask = _texture(), _square_hole()
    output = original.copy()
    output[mask] = 128
    before = (seam(output, original, mask), haze(output, original, mask))
    output[:16, :16] = 0
    assert (seam(output, original, mask), haze(output, original, mask)) == before


def test_haze_ranks_a_telea_smear_above_patchmatch_texture():
    original, mask = _texture(), _square_hole()
    telea = inpaint(original, mask, "telea")
    patchmatch = inpaint(original, mask, "patchmatch")
    assert haze(telea, original, mask) > haze(patchmatch, original, mask) + 0.3


@pytest.mark.parametrize("metric", [hole_psnr, hole_ssim, hole_l1, texture_distance, seam, haze])
def test_an_empty_mask_is_rejected(metric):
    image = _texture()
    with pytest.raises(ValueError, match="empty"):
        metric(image, image, np.zeros(image.shape[:2], bool))


@pytest.mark.parametrize("metric", [hole_psnr, hole_ssim, hole_l1, texture_distance, seam, haze])
def test_images_of_different_shapes_are_rejected(metric):
    image = _texture()
    with pytest.raises(ValueError, match="shape"):
        metric(image[:80], image, _square_hole())
