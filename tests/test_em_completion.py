"""``em_completion``: our compiled coarse-to-fine PatchMatch completion behind ``auto``."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from amethyst.imaging.em_completion import complete
from tests.test_patchmatch_rows import _hole_error, seaside


def _grain(height: int, width: int, seed: int = 0) -> np.ndarray:
    """A fine, even texture like fur or gravel: blurred colour noise at full contrast."""
    noise = np.random.default_rng(seed).normal(0, 40, (height, width, 3))
    return np.clip(cv2.GaussianBlur(noise, (0, 0), 1.0) * 3 + 128, 0, 255).astype(np.uint8)


def _fine_detail(rgb: np.ndarray, where: np.ndarray) -> float:
    """Mean size of what a 1 px Gaussian removes from the grey image, over ``where``."""
    grey = rgb.astype(np.float64).mean(axis=2)
    return float(np.abs(grey - cv2.GaussianBlur(grey, (0, 0), 1.0))[where].mean())


def test_only_the_hole_changes_and_the_result_is_a_new_uint8_image():
    rgb = _grain(96, 128)
    mask = np.zeros((96, 128), bool)
    mask[30:60, 40:90] = True
    out = complete(rgb, mask)
    assert out.shape == rgb.shape and out.dtype == np.uint8
    assert out is not rgb
    assert (out[~mask] == rgb[~mask]).all()
    assert not (out[mask] == 0).all()


def test_the_same_input_gives_the_same_fill():
    # Two bands of rows are searched on two threads; the fill must not depend on their timing.
    rgb, mask = seaside()
    assert (complete(rgb, mask, row_weight=0.01) == complete(rgb, mask, row_weight=0.01)).all()


def test_a_thin_stroke_through_fine_texture_is_filled_with_texture_not_a_smear():
    # A brush stroke vanishes at the coarse levels, so its first estimate there is a blur; the
    # final level must replace it with copied grain (averaging the votes left a dark smear).
    rgb = _grain(160, 160, seed=1)
    mask = np.zeros((160, 160), np.uint8)
    cv2.line(mask, (20, 30), (140, 130), 1, thickness=7)
    mask = mask.astype(bool)
    out = complete(rgb, mask)
    inside = cv2.erode(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    assert _fine_detail(out, inside) > 0.75 * _fine_detail(rgb, ~mask)
    assert out[mask].std() > 0.8 * rgb[~mask].std()


def test_a_wide_hole_keeps_the_layers_at_their_height_with_the_row_guide():
    rgb, mask = seaside()
    guided = complete(rgb, mask, row_weight=0.01)
    unguided = complete(rgb, mask)
    assert (guided[~mask] == rgb[~mask]).all()
    assert _hole_error(guided, rgb, mask) < 20
    assert _hole_error(guided, rgb, mask) < 0.8 * _hole_error(unguided, rgb, mask)


@pytest.mark.parametrize(
    ("shape", "hole"),
    [
        ((5, 5), (slice(2, 3), slice(2, 3))),  # smaller than one patch
        ((40, 300), (slice(0, 40), slice(140, 160))),  # a hole from edge to edge
        ((64, 64), (slice(0, 10), slice(0, 10))),  # in a corner
    ],
)
def test_small_images_and_holes_at_the_border_are_filled(shape, hole):
    rgb = _grain(*shape, seed=2)
    mask = np.zeros(shape, bool)
    mask[hole] = True
    out = complete(rgb, mask)
    assert (out[~mask] == rgb[~mask]).all()
    # the fill takes its colours from the photo, not from black
    assert abs(float(out[mask].mean()) - float(rgb[~mask].mean())) < 40


def test_no_hole_returns_an_unchanged_copy():
    rgb = _grain(32, 32)
    out = complete(rgb, np.zeros((32, 32), bool))
    assert (out == rgb).all() and out is not rgb
