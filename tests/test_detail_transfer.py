"""Copying the photo's fine detail into a smooth fill, keeping the fill's coarse colours."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from amethyst.evaluation.metrics import texture_distance
from amethyst.imaging.detail_transfer import transfer_detail
from tests.photos import FUR_HOLE as MASK
from tests.photos import fur, photo


def smeared(rgb: np.ndarray) -> np.ndarray:
    """What a smooth fill looks like: the hole blurred away, as a learned fill smears it."""
    blurred = cv2.GaussianBlur(rgb, (0, 0), 6)
    return np.where(MASK[..., None], blurred, rgb)


def coarse(rgb: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(rgb.astype(np.float64), (0, 0), 4)[MASK]


def test_a_smooth_fill_gets_grain_and_keeps_its_colours() -> None:
    rgb, _ = fur()
    smooth = smeared(rgb)
    out = transfer_detail(rgb, MASK, smooth)
    assert texture_distance(out, rgb, MASK) < 0.5 * texture_distance(smooth, rgb, MASK)
    assert np.abs(coarse(out) - coarse(smooth)).mean() < 3


def test_only_the_hole_changes_and_the_removed_object_is_never_looked_at() -> None:
    rgb, _ = fur()
    smooth = smeared(rgb)
    with_object = rgb.copy()
    with_object[MASK] = (250, 250, 250)
    with_object[MASK & (np.indices(MASK.shape).sum(0) % 2 == 0)] = 0
    out = transfer_detail(with_object, MASK, smooth)
    assert (out == transfer_detail(rgb, MASK, smooth)).all()
    assert (out[~MASK] == smooth[~MASK]).all()
    assert (out[MASK] != smooth[MASK]).any()


def test_strong_edges_are_limited_to_the_grains_level() -> None:
    rng = np.random.default_rng(0)
    rgb = np.clip(rng.normal(120, 4, (256, 256, 3)), 0, 255).astype(np.uint8)  # faint grain
    rgb[::11] = 255  # and white lines, close enough that every source holds some
    smooth = np.where(MASK[..., None], np.uint8(120), rgb)
    out = transfer_detail(rgb, MASK, smooth).astype(int)
    inner = cv2.erode(MASK.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    assert np.abs(out[inner] - 120).max() < 60  # copied whole, the lines would add 110
    assert out[inner].std() > 2  # but the grain is there


@pytest.mark.parametrize(
    "mask",
    [
        np.zeros((64, 48), bool),
        np.ones((64, 48), bool),
        np.pad(np.ones((20, 30), bool), ((0, 44), (0, 18))),  # a hole in the frame's corner
        np.pad(np.ones((60, 44), bool), 2),  # a hole with a 2 px rim of photo
    ],
    ids=["empty", "everything", "corner", "thin-rim"],
)
def test_awkward_holes_give_a_complete_fill(mask: np.ndarray) -> None:
    rgb = np.asarray(photo("coffee.jpg"))[:64, :48].copy()
    fill = np.where(mask[..., None], np.uint8(128), rgb)
    out = transfer_detail(rgb, mask, fill)
    assert out.shape == rgb.shape and out.dtype == np.uint8
    assert (out[~mask] == rgb[~mask]).all()
    assert (transfer_detail(rgb, mask, fill) == out).all()
