"""Thin holes across large regions (wires, scratches) are filled in tiles near full resolution."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from amethyst import pipeline
from amethyst.engines import get_engine
from amethyst.pipeline import fill_rgb
from amethyst.tiles import HOLE_BUDGET, MAX_TILES, plan_tiles
from tests.photos import disc_mask


def wires(height: int, width: int, thickness: int = 10) -> np.ndarray:
    """Two crossing wires from edge to edge, as a user paints over power lines."""
    mask = np.zeros((height, width), np.uint8)
    cv2.line(mask, (0, int(height * 0.3)), (width - 1, int(height * 0.45)), 1, thickness)
    cv2.line(mask, (int(width * 0.2), 0), (int(width * 0.25), height - 1), 1, thickness // 2 + 1)
    return mask.astype(bool)


def grain(height: int, width: int) -> np.ndarray:
    """Fine colour texture at full contrast (like gravel or fur): shrunk, it is lost."""
    noise = np.random.default_rng(3).normal(0, 40, (height, width, 3)).astype(np.float32)
    return np.clip(cv2.GaussianBlur(noise, (0, 0), 1.0) * 3 + 128, 0, 255).astype(np.uint8)


def _cores_and_phases(mask: np.ndarray, working_size: int = 512):
    phases = plan_tiles(mask, working_size)
    assert phases is not None
    return phases


def test_wires_across_12_megapixels_are_cut_into_full_resolution_tiles():
    mask = wires(3000, 4000)
    phases = _cores_and_phases(mask)
    covered = np.zeros(mask.shape, np.uint8)
    for tile in [*phases[0], *phases[1]]:
        covered[tile.core.slices] += 1
        # the core lies inside the crop, with context on every side away from the frame
        assert tile.crop.x0 <= tile.core.x0 and tile.core.x1 <= tile.crop.x1
        assert tile.crop.y0 <= tile.core.y0 and tile.core.y1 <= tile.crop.y1
        # at full resolution: the engine gets the crop unshrunk
        assert max(tile.crop.width, tile.crop.height) <= 512
        assert mask[tile.core.slices].any()
    assert (covered[mask] == 1).all()  # every hole pixel is filled by exactly one tile
    # Tiles of one phase never share an edge, so each edge is filled against a finished side.
    for phase in phases:
        for a in phase:
            for b in phase:
                if a is not b:
                    touching_x = a.core.x1 == b.core.x0 or b.core.x1 == a.core.x0
                    touching_y = a.core.y1 == b.core.y0 or b.core.y1 == a.core.y0
                    overlap_x = a.core.x0 < b.core.x1 and b.core.x0 < a.core.x1
                    overlap_y = a.core.y0 < b.core.y1 and b.core.y0 < a.core.y1
                    assert not (touching_x and overlap_y) and not (touching_y and overlap_x)


def test_a_long_thin_scribble_is_tiled_at_a_reduced_scale_in_few_enough_tiles():
    mask = np.zeros((3000, 4000), np.uint8)
    for y in range(200, 2900, 150):
        cv2.line(mask, (100, y), (3900, y + 60), 1, 6)
    mask = mask.astype(bool)
    assert np.count_nonzero(mask) > HOLE_BUDGET
    phases = _cores_and_phases(mask)
    sides = {max(t.crop.width, t.crop.height) for t in [*phases[0], *phases[1]]}
    # shrunk less than the whole region would be (4000 px to 512), more than not at all
    assert 512 < max(sides) < 4000 / 1.5
    # each tile costs pypatchmatch a fixed time: a long hole gets larger tiles, not more
    assert len(phases[0]) + len(phases[1]) <= MAX_TILES


@pytest.mark.parametrize(
    "mask",
    [
        wires(500, 500),  # the region fits the working size: nothing to gain
        disc_mask((4000, 3000), (2000, 1500), 400),  # a large object: tiles would be all hole
        np.zeros((3000, 4000), bool),
    ],
    ids=["fits", "blob", "empty"],
)
def test_regions_that_tiles_would_not_help_are_filled_whole(mask):
    assert plan_tiles(mask, 512) is None


@pytest.fixture(scope="module")
def wire_case():
    height, width = 1500, 2400
    return grain(height, width), wires(height, width, thickness=8)


def _fine_detail(rgb: np.ndarray, where: np.ndarray) -> float:
    grey = rgb.astype(np.float32).mean(axis=2)
    return float(np.abs(grey - cv2.GaussianBlur(grey, (0, 0), 1.0))[where].mean())


def test_a_wire_through_fine_texture_is_filled_with_the_texture_not_a_smear(wire_case, monkeypatch):
    image, mask = wire_case
    engine = get_engine("patchmatch_rows")
    tiled = fill_rgb(image, mask, engine)
    assert np.array_equal(tiled[~mask], image[~mask])
    monkeypatch.setattr(pipeline, "plan_tiles", lambda mask, working_size: None)
    # The photo's texture carried across the hole's edge (border_texture) reaches 6 px into a
    # fill shrunk this much, the whole width of this wire: left out to see the shrunk fill itself.
    monkeypatch.setattr(
        pipeline, "continue_texture", lambda photo, mask, filled, scale, keep_out=None: filled
    )
    whole = fill_rgb(image, mask, engine)
    inside = cv2.erode(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    # Shrunk 4.7x, the region's fill is a smooth band (a ghost of the wire at 100 %).
    assert _fine_detail(whole, inside) < 0.5 * _fine_detail(image, ~mask)
    assert _fine_detail(tiled, inside) > 0.75 * _fine_detail(image, ~mask)


def test_tiles_filled_at_once_give_the_pixels_of_tiles_filled_in_turn(wire_case, monkeypatch):
    image, mask = wire_case
    engine = get_engine("telea")
    monkeypatch.setattr(pipeline, "cpu_count", lambda: 4)
    together = fill_rgb(image, mask, engine)
    monkeypatch.setattr(pipeline, "cpu_count", lambda: 1)
    assert np.array_equal(together, fill_rgb(image, mask, engine))


def test_feathering_blends_at_the_wires_edge_only(wire_case):
    image, mask = wire_case
    hard = fill_rgb(image, mask, get_engine("telea"))
    soft = fill_rgb(image, mask, get_engine("telea"), feather=3)
    assert np.array_equal(soft[~mask], image[~mask])
    deep = cv2.erode(mask.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    assert np.array_equal(soft[deep], hard[deep])
    assert not np.array_equal(soft[mask & ~deep], hard[mask & ~deep])


def test_a_straight_wires_tiles_see_a_band_around_it_not_squares():
    mask = np.zeros((3000, 4000), np.uint8)
    mask[1400:1410] = 1  # a level wire 10 px thick: each core is 10 px tall
    phases = _cores_and_phases(mask.astype(bool))
    for tile in [*phases[0], *phases[1]]:
        assert tile.core.height == 10
        assert tile.crop.height < 512 / 2  # the wire and its context, not a square of 512
