"""Tests of amethyst.synthesis.complete: our multi-scale PatchMatch completion."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from amethyst.synthesis import complete


def _noisy(shape: tuple[int, int], colour: tuple[int, int, int], seed: int) -> np.ndarray:
    """A flat colour with Gaussian grain (sigma 8)."""
    rng = np.random.default_rng(seed)
    base = np.broadcast_to(np.array(colour, np.float32), (*shape, 3))
    return np.clip(base + rng.normal(0, 8, (*shape, 3)), 0, 255).astype(np.uint8)


def _texture(size: int, seed: int) -> np.ndarray:
    """A stationary texture: blurred noise at two scales, strong local contrast everywhere."""
    rng = np.random.default_rng(seed)
    coarse = cv2.GaussianBlur(rng.normal(0, 1, (size, size)).astype(np.float32), (0, 0), 2.0)
    fine = rng.normal(0, 1, (size, size)).astype(np.float32)
    grey = 128 + 40 * coarse / coarse.std() + 12 * fine
    return np.clip(np.dstack([grey, 0.8 * grey, 0.6 * grey]), 0, 255).astype(np.uint8)


def _local_std(image: np.ndarray) -> np.ndarray:
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    mean = cv2.blur(grey, (9, 9))
    return np.sqrt(np.maximum(cv2.blur(grey * grey, (9, 9)) - mean * mean, 0))


def _square_hole(size: int, top: int, side: int) -> np.ndarray:
    hole = np.zeros((size, size), bool)
    hole[top : top + side, top : top + side] = True
    return hole


def test_outside_pixels_unchanged_and_shape_kept() -> None:
    rgb = _texture(80, 0)
    hole = _square_hole(80, 25, 30)
    out = complete(rgb, hole)
    assert out.shape == rgb.shape and out.dtype == np.uint8
    np.testing.assert_array_equal(out[~hole], rgb[~hole])
    assert not np.array_equal(out[hole], rgb[hole] * 0)


def test_deterministic_for_a_seed() -> None:
    rgb = _texture(72, 1)
    hole = _square_hole(72, 20, 28)
    np.testing.assert_array_equal(complete(rgb, hole, seed=3), complete(rgb, hole, seed=3))


def test_stationary_texture_keeps_its_local_contrast() -> None:
    """Not hazy: the fill's local contrast is close to the photo's (haze-like ratio)."""
    rgb = _texture(128, 2)
    hole = _square_hole(128, 40, 48)
    out = complete(rgb, hole)
    inner = _square_hole(128, 46, 36)
    ratio = np.median(_local_std(out)[inner]) / np.median(_local_std(rgb)[inner])
    assert 0.8 < ratio < 1.25
    # Copied texture, not noise: the fill's mean stays the texture's.
    assert abs(out[hole].mean() - rgb[~hole].mean()) < 10


def test_two_colour_border_continues_straight_through_the_hole() -> None:
    size = 96
    rgb = _noisy((size, size), (200, 60, 40), 4)
    rgb[:, 48:] = _noisy((size, 48), (40, 80, 200), 5)
    hole = _square_hole(size, 28, 40)
    out = complete(rgb, hole).astype(np.float32)
    blue = out[..., 2] > out[..., 0]
    for y in range(28, 68):
        row = blue[y, 28:68]
        # Red up to the border at x = 48, blue after it, within 2 px.
        assert not row[: 48 - 28 - 2].any() and row[48 - 28 + 2 :].all(), y


def test_guide_steers_the_fill() -> None:
    """A guide asking for blue inside the hole of a half red, half blue photo gets blue."""
    size = 96
    rgb = _noisy((size, size), (200, 60, 40), 6)
    rgb[:, 48:] = _noisy((size, 48), (40, 80, 200), 7)
    hole = np.zeros((size, size), bool)
    hole[30:66, 10:46] = True
    guide = rgb.copy()
    guide[hole] = (40, 80, 200)
    plain = complete(rgb, hole)
    guided = complete(rgb, hole, guide=guide, guide_weight=4.0)
    np.testing.assert_array_equal(guided[~hole], rgb[~hole])
    assert (plain[hole][:, 2] > plain[hole][:, 0]).mean() < 0.2
    assert (guided[hole][:, 2] > guided[hole][:, 0]).mean() > 0.8


def test_guide_is_off_by_default_and_at_weight_zero() -> None:
    rgb = _texture(64, 10)
    hole = _square_hole(64, 18, 26)
    guide = np.full_like(rgb, 255)
    plain = complete(rgb, hole)
    np.testing.assert_array_equal(complete(rgb, hole, guide=guide), plain)
    np.testing.assert_array_equal(complete(rgb, hole, guide=guide, guide_weight=0.0), plain)


def test_tiny_image_uses_smaller_patches() -> None:
    rgb = _texture(10, 8)
    hole = np.ones((10, 10), bool)
    hole[0, 0] = False
    out = complete(rgb, hole)
    np.testing.assert_array_equal(out[0, 0], rgb[0, 0])
    assert out.shape == rgb.shape


def test_empty_hole_returns_a_copy() -> None:
    rgb = _texture(16, 9)
    out = complete(rgb, np.zeros((16, 16), bool))
    np.testing.assert_array_equal(out, rgb)
    assert out is not rgb


@pytest.mark.parametrize(
    ("rgb", "hole", "guide", "message"),
    [
        (np.zeros((8, 8, 3), np.uint8), np.ones((8, 8), bool), None, "covers the whole"),
        (np.zeros((8, 8, 3), np.uint8), np.zeros((8, 9), bool), None, "does not match"),
        (np.zeros((8, 8), np.uint8), np.zeros((8, 8), bool), None, "HxWx3 uint8"),
        (np.zeros((8, 8, 3), np.float32), np.zeros((8, 8), bool), None, "HxWx3 uint8"),
        (
            np.zeros((8, 8, 3), np.uint8),
            np.zeros((8, 8), bool),
            np.zeros((8, 9, 3), np.uint8),
            "guide shape",
        ),
    ],
)
def test_invalid_arguments_raise_value_error(
    rgb: np.ndarray, hole: np.ndarray, guide: np.ndarray | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        complete(rgb, hole, guide=guide, guide_weight=1.0)
