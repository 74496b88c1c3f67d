"""``patchmatch_rows``: PatchMatch that copies from the hole's own height, so layers carry on."""

from __future__ import annotations

import numpy as np

import amethyst
from amethyst.engines.patchmatch import FULL_SIZE_MIN_SHRINK, PatchMatchRowsEngine, row_guide
from amethyst.imaging.tone import match_tone
from tests.photos import disc_mask

TREE_LINE = (30, 60, 40)


def seaside() -> tuple[np.ndarray, np.ndarray]:
    """A layered scene (sky, a 4 px dark tree line on the horizon, rippled sea, sand) and a
    hole 140 px wide and 160 px tall across all of it, as when a figure is painted out."""
    height, width = 192, 256
    rows = np.arange(height, dtype=np.float32)[:, None, None]
    rgb = np.broadcast_to(
        np.array([110, 160, 230]) + rows / 60 * np.array([40, 30, 10]), (height, width, 3)
    ).copy()
    rgb[60:64] = TREE_LINE
    rgb[64:130] = (np.array([40, 100, 150]) + 25 * np.sin(rows * 1.3))[64:130]
    rgb[130:] = (215, 195, 150)
    rgb += np.random.default_rng(0).normal(0, 6, rgb.shape)
    mask = np.zeros((height, width), bool)
    mask[20:180, 58:198] = True
    return np.clip(rgb, 0, 255).astype(np.uint8), mask


def _hole_error(out: np.ndarray, rgb: np.ndarray, mask: np.ndarray) -> float:
    return float(np.abs(out[mask].astype(float) - rgb[mask]).mean())


def test_the_layers_stay_at_their_height_through_a_wide_hole():
    rgb, mask = seaside()
    guided = PatchMatchRowsEngine()
    unguided = PatchMatchRowsEngine()
    unguided.guide_weight = 0.0  # the same search without the preference for the same height
    out = guided.fill(rgb, mask)
    assert out.shape == rgb.shape and out.dtype == np.uint8
    assert (out[~mask] == rgb[~mask]).all()
    # Without the guide PatchMatch drops sky and sea into the wrong heights (error ~25 levels).
    assert _hole_error(out, rgb, mask) < 20
    assert _hole_error(out, rgb, mask) < 0.8 * _hole_error(unguided.fill(rgb, mask), rgb, mask)


def test_the_guide_is_each_rows_height_within_one_cycle():
    guide = row_guide(100, 7)
    assert guide.shape == (100, 7, 3) and guide.dtype == np.float32
    assert (guide[:, 0] == guide[:, 6]).all()  # one value per row
    assert (np.diff(guide[:, 0, 0]) > 0).all()  # rising from top to bottom
    # pypatchmatch reads guide values cyclically (period 1): stay well inside one period.
    assert guide[0, 0, 0] >= 0.2 and guide[-1, 0, 0] < 0.5
    assert (guide[..., 1:] == guide[0, 0, 1]).all()


def test_the_contrast_is_restored_again_only_in_fills_of_crops_shrunk_enough():
    """Fills of crops shrunk less than ``FULL_SIZE_MIN_SHRINK`` times keep the working size's
    restoration alone (their tone alone is matched at full size); more, the hole's local
    contrast is raised at full size too."""
    engine = PatchMatchRowsEngine()
    rng = np.random.default_rng(1)
    for times, restored in ((FULL_SIZE_MIN_SHRINK - 0.5, False), (FULL_SIZE_MIN_SHRINK, True)):
        side = round(times * engine.working_size)
        photo = rng.integers(60, 200, (side, side, 3), dtype=np.uint8)
        mask = disc_mask((side, side), (side // 2, side // 2), side // 5)
        hazy = photo.copy()
        hazy[mask] = 128 + (photo[mask].astype(int) - 128) // 3
        out = engine.finish_full_size(photo, mask, hazy, engine.read_full_size(photo, mask))
        assert (out[~mask] == hazy[~mask]).all()
        changed = np.abs(out.astype(int) - match_tone(photo, mask, hazy))[mask].mean()
        assert changed > 1.0 if restored else changed == 0


def test_a_hole_in_a_sky_lit_from_one_side_is_not_filled_with_the_darker_sky():
    """In a crop shrunk to the working size, sources along the hole's rows reach the darker
    side of the frame; the fill must still take the light of the sky around the hole."""
    height, width = 768, 1152  # shrunk 2.25x
    light = np.linspace(40.0, 0.0, width)[None, :, None]  # brighter on the left
    grain = np.random.default_rng(0).normal(0, 2, (height, width, 3))
    sky = np.clip(np.array([60.0, 80.0, 140.0]) + light + grain, 0, 255).astype(np.uint8)
    rows, cols = np.mgrid[:height, :width]
    mask = ((cols - 330) / 230) ** 2 + ((rows - 384) / 190) ** 2 <= 1  # left of the middle
    out = np.asarray(amethyst.inpaint(sky, mask, "patchmatch_rows"))
    # Per row, the fill's mean against the sky's there: the tone, not the grain.
    drift = [out[r, mask[r]].mean() - sky[r, mask[r]].mean() for r in range(200, 568)]
    assert np.abs(drift).mean() < 2.0
