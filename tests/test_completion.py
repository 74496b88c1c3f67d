"""Our own exemplar completion (``imaging.completion``) and the engine built on it."""

from __future__ import annotations

import numpy as np
import pytest

from amethyst.engines.patchmatch import PatchMatchFastEngine
from amethyst.evaluation.metrics import haze
from amethyst.imaging import completion
from amethyst.imaging.completion import complete
from tests.test_patchmatch_rows import _hole_error, seaside


def _tiles(height: int = 160, width: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """A grid of dark 4 px lines every 12 px on a noisy warm ground, with a 48 px hole."""
    rng = np.random.default_rng(1)
    rgb = np.full((height, width, 3), (200, 170, 120), np.float64)
    rgb[(np.arange(height) % 12) < 4] = (60, 50, 40)
    rgb[:, (np.arange(width) % 12) < 4] = (60, 50, 40)
    rgb += rng.normal(0, 5, rgb.shape)
    mask = np.zeros((height, width), bool)
    mask[56:104, 76:124] = True
    return np.clip(rgb, 0, 255).astype(np.uint8), mask


def test_a_hole_in_a_regular_pattern_is_filled_with_the_pattern_in_phase():
    rgb, mask = _tiles()
    out = complete(rgb, mask)
    assert out.shape == rgb.shape and out.dtype == np.uint8
    assert (out[~mask] == rgb[~mask]).all()
    # The grid carries on through the hole at the same phase: close to the true pixels
    # (lines against ground differ by ~140 levels) and at the photo's full contrast.
    assert _hole_error(out, rgb, mask) < 15
    assert haze(out, rgb, mask) < 0.1


def test_a_fill_is_the_same_on_every_run_also_when_searched_in_bands(monkeypatch):
    rgb, mask = _tiles(320, 400)
    mask[:] = False
    mask[100:220, 140:260] = True
    first = complete(rgb, mask, guide_cost=200.0)
    monkeypatch.setattr(completion, "BAND_MIN_PIXELS", 1000)  # several bands on every level
    banded = complete(rgb, mask, guide_cost=200.0)
    assert (banded == complete(rgb, mask, guide_cost=200.0)).all()
    assert _hole_error(banded, rgb, mask) < 1.5 * _hole_error(first, rgb, mask) + 1


@pytest.mark.parametrize(
    "box", [(0, 40, 0, 60), (100, 160, 150, 200), (0, 160, 90, 110)], ids=["corner", "edge", "cut"]
)
def test_holes_at_the_frames_edge_are_filled_from_the_photo(box):
    rgb, _ = _tiles()
    mask = np.zeros(rgb.shape[:2], bool)
    top, bottom, left, right = box
    mask[top:bottom, left:right] = True
    out = complete(rgb, mask)
    assert (out[~mask] == rgb[~mask]).all()
    assert _hole_error(out, rgb, mask) < 20  # a flat grey is ~62 levels off, Telea ~50


def test_images_too_small_for_a_patch_fall_back_to_a_smooth_fill():
    rgb = np.random.default_rng(2).integers(0, 255, (6, 5, 3), dtype=np.uint8)
    mask = np.zeros((6, 5), bool)
    mask[2:4, 1:3] = True
    out = complete(rgb, mask)
    assert (out[~mask] == rgb[~mask]).all()
    assert (complete(rgb, np.zeros_like(mask)) == rgb).all()


def test_the_fill_meets_the_photo_without_a_step():
    rgb = np.full((80, 80, 3), 100, np.float32)
    hole = np.zeros((80, 80), bool)
    hole[20:60, 20:60] = True
    target = rgb.copy()
    target[hole] += 30  # a fill 30 levels too bright all over
    evened = completion._even_border(target, hole)
    assert np.allclose(evened[~hole], rgb[~hole])
    assert abs(evened[20, 40, 0] - 100) < 5  # the outer ring meets the photo
    assert abs(evened[40, 40, 0] - 130) < 1e-3  # the inside keeps the fill


def test_the_engine_keeps_a_scenes_layers_through_a_wide_hole():
    rgb, mask = seaside()
    out = PatchMatchFastEngine().fill(rgb, mask)
    assert (out[~mask] == rgb[~mask]).all()
    assert _hole_error(out, rgb, mask) < 12
