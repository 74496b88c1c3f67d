"""The high-resolution pipeline: crops around holes, scaling, paste-back, cost."""

import threading
import time

import numpy as np
import pytest
from PIL import Image

import amethyst
from amethyst import api, pipeline
from amethyst.engines import get_engine
from amethyst.engines.base import Engine
from amethyst.pipeline import fill_rgb
from amethyst.regions import Box, find_regions, hole_box
from tests.photos import disc_mask, photo, upscale


class RecordingEngine(Engine):
    """Fills with a flat colour and records the crops it was asked to fill."""

    name = "recording"
    description = "test double"
    working_size = 256
    pad_multiple = 8

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def fill(self, rgb, mask):
        assert rgb.shape[0] % 8 == 0 and rgb.shape[1] % 8 == 0
        assert max(rgb.shape[:2]) <= 256 + 7
        self.calls.append(rgb.shape[:2])
        out = rgb.copy()
        out[mask] = (10, 200, 30)
        return out


@pytest.fixture(scope="module")
def big_photo():
    return upscale(photo("rocket.jpg"), (4000, 3000))


def test_outside_pixels_bit_exact_on_4000x3000_with_small_mask(big_photo):
    mask = disc_mask((4000, 3000), (2100, 1500), 40)
    out = fill_rgb(big_photo, mask, get_engine("telea"))
    assert np.array_equal(out[~mask], big_photo[~mask])
    assert (out[mask] != big_photo[mask]).any()


def test_small_object_in_12mp_costs_its_neighbourhood_not_the_photo(big_photo):
    mask = disc_mask((4000, 3000), (2100, 1500), 40)
    engine = RecordingEngine()
    start = time.perf_counter()
    fill_rgb(big_photo, mask, engine)
    elapsed = time.perf_counter() - start
    ((height, width),) = engine.calls
    assert height * width < 256 * 256
    # Copying and scanning 12 MP takes tens of ms; filling the whole photo would take seconds.
    assert elapsed < 1.0


def test_regions_touching_the_borders(big_photo):
    mask = np.zeros((3000, 4000), bool)
    mask[:30, :50] = True
    mask[-20:, -70:] = True
    out = fill_rgb(big_photo, mask, get_engine("telea"))
    assert np.array_equal(out[~mask], big_photo[~mask])
    assert (out[mask] != big_photo[mask]).any()


def fill_two_far_apart_regions(photo: np.ndarray, engine: RecordingEngine) -> None:
    """Two small discs at opposite corners: each is filled once, only the holes change."""
    mask = disc_mask((4000, 3000), (300, 300), 25) | disc_mask((4000, 3000), (3600, 2600), 25)
    out = fill_rgb(photo, mask, engine)
    assert len(engine.calls) == 2
    assert (out[mask] == (10, 200, 30)).all()
    assert np.array_equal(out[~mask], photo[~mask])


def test_two_far_apart_regions_are_filled_separately(big_photo):
    fill_two_far_apart_regions(big_photo, RecordingEngine())


class MeetingEngine(RecordingEngine):
    """Fills only once two regions are being filled at the same time (or fails after 10 s)."""

    def __init__(self) -> None:
        super().__init__()
        self.meeting = threading.Barrier(2, timeout=10)

    def fill(self, rgb, mask):
        self.meeting.wait()
        return super().fill(rgb, mask)


def test_far_apart_regions_are_filled_at_the_same_time(big_photo, monkeypatch):
    monkeypatch.setattr(pipeline, "cpu_count", lambda: 2)
    fill_two_far_apart_regions(big_photo, MeetingEngine())


@pytest.mark.parametrize("engine", ["patchmatch", "gan", "telea"])
def test_parallel_regions_give_the_pixels_of_regions_filled_in_turn(engine, monkeypatch):
    image = upscale(photo("coffee.jpg"), (900, 600))
    mask = np.zeros((600, 900), bool)
    for centre in ((150, 120), (750, 130), (160, 480), (720, 470)):
        mask |= disc_mask((900, 600), centre, 30)
    assert len(find_regions(mask)) == 4
    monkeypatch.setattr(pipeline, "cpu_count", lambda: 4)
    together = fill_rgb(image, mask, get_engine(engine))
    monkeypatch.setattr(pipeline, "cpu_count", lambda: 1)
    in_turn = fill_rgb(image, mask, get_engine(engine))
    assert np.array_equal(together, in_turn)


def test_nearby_regions_merge_into_one_crop():
    mask = disc_mask((800, 600), (300, 300), 20) | disc_mask((800, 600), (360, 300), 20)
    assert len(find_regions(mask)) == 1


def test_large_hole_is_downscaled_to_working_size_and_pasted_at_full_size(big_photo):
    mask = disc_mask((4000, 3000), (2000, 1500), 600)
    engine = RecordingEngine()
    out = fill_rgb(big_photo, mask, engine)
    assert max(engine.calls[0]) <= 256 + 7
    assert np.array_equal(out[~mask], big_photo[~mask])
    # Cubic upscaling mixes in known pixels within a couple of low-res pixels of the edge.
    inner = disc_mask((4000, 3000), (2000, 1500), 540)
    assert (np.abs(out[inner].astype(int) - (10, 200, 30)) <= 2).all()


class FinishingEngine(RecordingEngine):
    """Also marks the hole red in its last step at full resolution, recording the crops and
    what it read from each beforehand (the crop's shape and how many of its pixels the hole
    covers)."""

    def __init__(self) -> None:
        super().__init__()
        self.finished: list[tuple[tuple[int, int], object]] = []

    def read_full_size(self, photo, mask):
        return photo.shape, int(mask.sum())

    def finish_full_size(self, photo, mask, filled, read=None):
        self.finished.append((mask.shape, read))
        out = filled.copy()
        out[mask] = (200, 10, 30)
        return out


def test_an_engine_finishes_only_fills_of_shrunk_crops_at_full_size(big_photo):
    engine = FinishingEngine()
    small = disc_mask((4000, 3000), (2000, 1500), 50)
    out = fill_rgb(big_photo, small, engine)
    assert engine.finished == [] and (out[small] == (10, 200, 30)).all()
    large = disc_mask((4000, 3000), (2000, 1500), 600)
    out = fill_rgb(big_photo, large, engine)
    assert len(engine.finished) == 1 and min(engine.finished[0][0]) > 1200
    shape, read = engine.finished[0]
    assert read == ((*shape, 3), int(large.sum()))
    assert (out[large] == (200, 10, 30)).all()
    assert np.array_equal(out[~large], big_photo[~large])


def test_feather_blends_only_inside_the_mask():
    image = np.full((200, 200, 3), 100, np.uint8)
    mask = disc_mask((200, 200), (100, 100), 40)
    hard = fill_rgb(image, mask, RecordingEngine())
    soft = fill_rgb(image, mask, RecordingEngine(), feather=6)
    assert np.array_equal(soft[~mask], image[~mask])
    edge = mask & ~disc_mask((200, 200), (100, 100), 36)
    assert (soft[edge] != hard[edge]).any()
    assert np.array_equal(
        soft[disc_mask((200, 200), (100, 100), 30)], hard[disc_mask((200, 200), (100, 100), 30)]
    )


@pytest.mark.parametrize("seed", range(8))
def test_the_hole_box_crop_finds_the_regions_of_the_whole_frame(seed):
    rng = np.random.default_rng(seed)
    mask = np.zeros((600, 800), bool)
    for _ in range(rng.integers(1, 5)):
        x, y = rng.integers(0, 800), rng.integers(0, 600)
        mask |= disc_mask((800, 600), (int(x), int(y)), int(rng.integers(3, 60)))
    box = hole_box(mask)
    inside = [
        Box(r.x0 + box.x0, r.y0 + box.y0, r.x1 + box.x0, r.y1 + box.y0)
        for r in find_regions(mask[box.slices])
    ]
    assert inside == find_regions(mask)


def test_an_empty_mask_has_no_hole_box():
    assert hole_box(np.zeros((40, 60), bool)) is None


def test_inpaint_works_on_the_crop_around_the_hole_only(big_photo, monkeypatch):
    image = Image.fromarray(big_photo)
    mask = disc_mask((4000, 3000), (2100, 1500), 40)
    seen: list[tuple[int, int]] = []
    real_to_rgb = api.to_rgb
    monkeypatch.setattr(api, "to_rgb", lambda crop: seen.append(crop.size) or real_to_rgb(crop))
    out = amethyst.inpaint(image, mask, engine="telea")
    assert seen and all(w * h < 300 * 300 for w, h in seen)
    pixels = np.asarray(out)
    assert np.array_equal(pixels[~mask], big_photo[~mask])
    assert (pixels[mask] != big_photo[mask]).any()
