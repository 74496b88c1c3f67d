"""Fills made on a shrunk crop meet the photo without a line along the hole's edge."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from amethyst.evaluation.metrics import seam
from amethyst.imaging import border_texture
from amethyst.imaging.border_texture import continue_texture
from tests.test_detail_lift import copied_in, fine, fur_field, lifted_copy

SCALE = 0.125  # a 12 MP photo's crop filled at 512 px


@pytest.fixture(scope="module")
def lifted_12mp() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A fur photo, a disc hole, and a copy of the fur made at an eighth of the size with its
    detail lifted back: the full-resolution fill that 12 MP photos get."""
    photo, mask, _, lifted = lifted_copy(2048, 400)
    return photo, mask, lifted


def _composite(photo: np.ndarray, mask: np.ndarray, filled: np.ndarray) -> np.ndarray:
    out = photo.copy()
    out[mask] = filled[mask]
    return out


def test_the_fill_meets_the_photo_without_a_line(lifted_12mp) -> None:
    photo, mask, lifted = lifted_12mp
    before = seam(_composite(photo, mask, lifted), photo, mask)
    continued = continue_texture(photo, mask, lifted, SCALE)
    after = seam(_composite(photo, mask, continued), photo, mask)
    # Measured: 7.2 without the photo's texture carried in, 2.4 with it.
    assert after < 0.5 * before


def test_the_band_keeps_the_photos_level_of_detail(lifted_12mp) -> None:
    photo, mask, lifted = lifted_12mp
    continued = continue_texture(photo, mask, lifted, SCALE)
    depth = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)
    band = mask & (depth > 2) & (depth < border_texture.WIDTH / SCALE - 1)
    ring = cv2.dilate(mask.astype(np.uint8), np.ones((41, 41), np.uint8)).astype(bool) & ~mask
    photo_level = fine(photo)[ring].std()
    # The lift fades its detail in from the edge, so its outer band was soft (0.41 measured).
    assert fine(lifted)[band].std() < 0.6 * photo_level
    assert 0.8 < fine(continued)[band].std() / photo_level < 1.25


def test_only_the_holes_outer_band_changes_and_the_hole_is_never_read(lifted_12mp) -> None:
    photo, mask, lifted = lifted_12mp
    continued = continue_texture(photo, mask, lifted, SCALE)
    depth = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)
    changed = (continued != lifted).any(axis=2)
    assert changed.any()
    assert not changed[~mask].any()
    assert not changed[depth >= border_texture.WIDTH / SCALE].any()
    noisy = photo.copy()
    noisy[mask] = np.random.default_rng(0).integers(0, 256, (int(mask.sum()), 3))
    assert np.array_equal(continue_texture(noisy, mask, lifted, SCALE), continued)


def test_tiles_give_the_pixels_of_the_whole_box(lifted_12mp, monkeypatch) -> None:
    photo, mask, lifted = lifted_12mp
    tiled = continue_texture(photo, mask, lifted, SCALE)
    monkeypatch.setattr(border_texture, "TILE", 10**6)
    assert np.array_equal(continue_texture(photo, mask, lifted, SCALE), tiled)


def test_an_empty_mask_or_a_hole_at_the_frame_edge_is_handled() -> None:
    photo = fur_field(256)
    empty = np.zeros((256, 256), bool)
    assert continue_texture(photo, empty, photo, SCALE) is photo
    mask = np.zeros((256, 256), bool)
    mask[:, :80] = True  # runs off three sides of the frame
    filled = copied_in(photo, mask, 0, 120)
    out = continue_texture(photo, mask, filled, 0.5)
    assert np.array_equal(out[~mask], filled[~mask])


def test_no_texture_is_mirrored_in_from_kept_out_pixels(lifted_12mp) -> None:
    """Where the photo beside the hole is kept out of the fill (``keep_out``), the fill's outer
    band keeps its own texture instead of the photo's mirrored one."""
    photo, mask, lifted = lifted_12mp
    keep_out = ~mask & (np.arange(mask.shape[1]) < mask.shape[1] // 2)[None, :]
    continued = continue_texture(photo, mask, lifted, SCALE)
    kept = continue_texture(photo, mask, lifted, SCALE, keep_out)
    left = mask & (np.arange(mask.shape[1]) < mask.shape[1] // 2 - 40)[None, :]
    right = mask & (np.arange(mask.shape[1]) > mask.shape[1] // 2 + 40)[None, :]
    assert (continued[left] != lifted[left]).any()  # the band changes there without keep_out
    assert np.array_equal(kept[left], lifted[left])  # with it, the fill is left as it was
    assert np.array_equal(kept[right], continued[right])  # and the other side is unchanged
