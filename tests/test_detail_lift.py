"""Fills made on a downscaled crop get their sources' full-resolution detail back."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import amethyst
from amethyst.engines.patchmatch import PatchMatchEngine
from amethyst.imaging import detail_lift
from amethyst.imaging.detail_lift import SourcePatches, lift_detail
from amethyst.imaging.masks import shrunk_hole
from tests.photos import disc_mask, fur


def fur_field(side: int) -> np.ndarray:
    """A ``side`` x ``side`` photo of real fur, full of fine detail: the test photo's fur
    mirrored into tiles (mirroring keeps the tiles' edges seamless)."""
    tile, _ = fur()
    row = np.concatenate([tile, tile[:, ::-1]], axis=1)
    block = np.concatenate([row, row[::-1]], axis=0)
    reps = -(-side // block.shape[0])
    return np.ascontiguousarray(np.tile(block, (reps, reps, 1))[:side, :side])


def fine(rgb: np.ndarray) -> np.ndarray:
    """Grey levels minus a 1 px Gaussian: the detail that an upscaled fill lacks."""
    grey = rgb.astype(np.float64).mean(axis=2)
    return grey - cv2.GaussianBlur(grey, (0, 0), 1.0)


def copied_in(rgb: np.ndarray, hole: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """``rgb`` whose hole holds the pixels (dy, dx) away: what an exemplar fill looks like."""
    out = rgb.copy()
    ys, xs = np.nonzero(hole)
    out[ys, xs] = rgb[ys + dy, xs + dx]
    return out


def test_each_pixel_finds_the_patch_it_was_copied_from() -> None:
    image = fur_field(512)
    hole = disc_mask((512, 512), (256, 256), 60)
    filled = copied_in(image, hole, 0, 150)
    offset_y, offset_x = SourcePatches(filled, hole).offsets(filled)
    inner = cv2.erode(hole.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    found = (offset_y[inner] == 0) & (offset_x[inner] == 150)
    assert found.mean() > 0.9
    assert not offset_y[~hole].any() and not offset_x[~hole].any()


def test_the_source_search_split_over_cores_finds_the_same_sources(monkeypatch) -> None:
    image = fur_field(512)
    hole = disc_mask((512, 512), (256, 256), 100)  # about 7,800 grid queries
    filled = copied_in(image, hole, 0, 150)
    monkeypatch.setattr(detail_lift, "cpu_count", lambda: 4)
    monkeypatch.setattr(detail_lift, "MIN_QUERIES_PER_CORE", 10**9)
    alone = SourcePatches(filled, hole).offsets(filled)
    monkeypatch.setattr(detail_lift, "MIN_QUERIES_PER_CORE", 1000)
    split = SourcePatches(filled, hole).offsets(filled)
    assert (alone[0] == split[0]).all() and (alone[1] == split[1]).all()


def lifted_copy(side: int, radius: int) -> tuple[np.ndarray, ...]:
    """A ``side`` px fur photo, a centred disc hole of ``radius``, a fill copied at 256 px, its
    upscale and its lift."""
    photo = fur_field(side)
    mask = disc_mask((side, side), (side // 2, side // 2), radius)
    small = cv2.resize(photo, (256, 256), interpolation=cv2.INTER_AREA)
    small_hole = shrunk_hole(mask, (256, 256))
    small_fill = copied_in(small, small_hole, 0, 75)
    upscaled = cv2.resize(small_fill, (side, side), interpolation=cv2.INTER_CUBIC)
    return photo, mask, upscaled, lift_detail(photo, mask, small_fill, small_hole, upscaled)


@pytest.fixture(scope="module")
def lifted_case() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A 1024 px photo's fill copied at a quarter size, its upscale and its lift."""
    return lifted_copy(1024, 120)


def test_the_lift_restores_the_sources_fine_detail(lifted_case) -> None:
    photo, mask, upscaled, lifted = lifted_case
    inner = cv2.erode(mask.astype(np.uint8), np.ones((17, 17), np.uint8)).astype(bool)
    truth = fine(copied_in(photo, mask, 0, 300))[inner]  # the same copy made at full size
    assert fine(upscaled)[inner].std() < 0.3 * truth.std()
    assert 0.9 < fine(lifted)[inner].std() / truth.std() < 1.1
    assert np.corrcoef(fine(lifted)[inner], truth)[0, 1] > 0.9


def test_the_lift_changes_only_the_hole_and_never_reads_it(lifted_case) -> None:
    photo, mask, upscaled, lifted = lifted_case
    assert np.array_equal(lifted[~mask], upscaled[~mask])
    noisy = photo.copy()
    noisy[mask] = np.random.default_rng(0).integers(0, 256, (int(mask.sum()), 3))
    small_fill = cv2.resize(upscaled, (256, 256), interpolation=cv2.INTER_AREA)
    small_hole = shrunk_hole(mask, (256, 256))
    assert np.array_equal(
        lift_detail(photo, mask, small_fill, small_hole, upscaled),
        lift_detail(noisy, mask, small_fill, small_hole, upscaled),
    )


def test_patchmatch_fills_of_large_photos_are_sharp(monkeypatch) -> None:
    """Through the pipeline: the crop around this hole is filled at 512 px, about 2.7x smaller;
    without the lift the upscaled fill has a fraction of the photo's finest detail."""
    photo = fur_field(2048)
    mask = disc_mask((2048, 2048), (1024, 1024), 340)
    inner = cv2.erode(mask.astype(np.uint8), np.ones((17, 17), np.uint8)).astype(bool)
    ring = cv2.dilate(mask.astype(np.uint8), np.ones((61, 61), np.uint8)).astype(bool) & ~mask
    level = fine(photo)[ring].std()
    lifted = fine(np.asarray(amethyst.inpaint(photo, mask, engine="patchmatch")))[inner].std()
    monkeypatch.setattr(PatchMatchEngine, "copies_photo", False)
    soft = fine(np.asarray(amethyst.inpaint(photo, mask, engine="patchmatch")))[inner].std()
    assert soft < 0.5 * level
    assert 0.8 * level < lifted < 1.3 * level


def test_sources_indexed_before_the_fill_are_the_ones_found_after_it() -> None:
    """The pipeline indexes the known patches while the engine fills: they must be the same."""
    image = fur_field(512)
    hole = disc_mask((512, 512), (256, 256), 60)
    blanked = image.copy()
    blanked[hole] = 0
    filled = copied_in(image, hole, 0, 150)
    before = SourcePatches(blanked, hole).offsets(filled)
    after = SourcePatches(filled, hole).offsets(filled)
    assert np.array_equal(before[0], after[0]) and np.array_equal(before[1], after[1])


def test_the_photo_read_before_the_fill_gives_the_same_lift(lifted_case) -> None:
    """The pipeline reads the photo's side (its blur with the hole blanked, the indexed
    sources) while the engine fills; the fill's own blur is then taken on the hole's box only.
    Neither may change a pixel against blurring the whole photo with the fill pasted in."""
    photo, mask, upscaled, lifted = lifted_case
    small_hole = shrunk_hole(mask, (256, 256))
    small = cv2.resize(photo, (256, 256), interpolation=cv2.INTER_AREA)
    small[small_hole] = 0
    small_fill = copied_in(
        cv2.resize(photo, (256, 256), interpolation=cv2.INTER_AREA), small_hole, 0, 75
    )
    side = detail_lift.read_photo(photo, mask, small, small_hole)
    assert np.array_equal(lift_detail(photo, mask, small_fill, small_hole, upscaled, side), lifted)
    sigma = 4.0
    whole = photo.copy()
    whole[mask] = upscaled[mask]
    boxed = detail_lift._blurred_fill(photo, mask, upscaled, side.holes, sigma)
    assert np.array_equal(boxed, cv2.GaussianBlur(whole, (0, 0), sigma)[side.holes.slices])


def _step_excess(rgb: np.ndarray, photo: np.ndarray, inner: np.ndarray, cell: int) -> float:
    """How much larger the grey step between neighbouring pixels is across the borders of
    ``cell``-px blocks than within them, in ``rgb`` beyond ``photo``'s own ratio (over ``inner``,
    along rows and columns, the larger)."""

    def ratios(image: np.ndarray) -> list[float]:
        grey = image.astype(np.float32).mean(axis=2)
        found = []
        for axis in (0, 1):
            steps = np.abs(np.diff(grey, axis=axis))
            inside = inner[1:] & inner[:-1] if axis == 0 else inner[:, 1:] & inner[:, :-1]
            at_border = (np.arange(steps.shape[axis]) + 1) % cell == 0
            at_border = at_border[:, None] if axis == 0 else at_border[None, :]
            found.append(steps[at_border & inside].mean() / steps[~at_border & inside].mean())
        return found

    return max(a - b for a, b in zip(ratios(rgb), ratios(photo), strict=True))


def test_a_fill_shrunk_eight_times_gets_its_detail_without_a_grid_of_blocks() -> None:
    """At 12 MP a working-size pixel covers about 8x8 photo pixels. Giving each block the
    detail of one source left a visible grid where neighbouring sources differ; blending the
    four nearest sources leaves block borders as smooth as the photo's own pixels."""
    photo = fur_field(2048)
    mask = disc_mask((2048, 2048), (1024, 1024), 400)
    small = cv2.resize(photo, (256, 256), interpolation=cv2.INTER_AREA)
    small_hole = shrunk_hole(mask, (256, 256))
    small[small_hole] = 0
    small_fill = PatchMatchEngine().fill(small, small_hole)
    upscaled = cv2.resize(small_fill, (2048, 2048), interpolation=cv2.INTER_CUBIC)
    lifted = lift_detail(photo, mask, small_fill, small_hole, upscaled)
    inner = cv2.erode(mask.astype(np.uint8), np.ones((21, 21), np.uint8)).astype(bool)
    # One source per block measured 0.045 here; the photo itself 0.
    assert _step_excess(lifted, photo, inner, 8) < 0.02
    # The blend keeps the sources' contrast: as much fine detail as the photo around the hole.
    ring = cv2.dilate(mask.astype(np.uint8), np.ones((61, 61), np.uint8)).astype(bool) & ~mask
    assert 0.8 < fine(lifted)[inner].std() / fine(photo)[ring].std() < 1.25
