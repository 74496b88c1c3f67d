"""Random user-like hole masks, strokes and objects: shape, coverage, recipes, determinism."""

import cv2
import numpy as np
import pytest

from amethyst.evaluation.masks import MASK_KINDS, generate_mask
from amethyst.evaluation.object_masks import OBJECT_KINDS, generate_object_mask


@pytest.mark.parametrize("kind", [*MASK_KINDS, None])
def test_every_recipe_gives_a_bool_mask_covering_1_to_60_percent(kind):
    rng = np.random.default_rng(0)
    for _ in range(50):
        mask = generate_mask(96, 128, rng, kind)
        assert mask.shape == (96, 128) and mask.dtype == bool
        assert 0.01 <= mask.mean() <= 0.60


def test_same_generator_state_gives_the_same_mask():
    first = generate_mask(80, 80, np.random.default_rng(7))
    second = generate_mask(80, 80, np.random.default_rng(7))
    assert np.array_equal(first, second)


def test_random_recipes_span_small_and_large_holes():
    rng = np.random.default_rng(1)
    ratios = np.array([generate_mask(128, 128, rng).mean() for _ in range(300)])
    assert ratios.min() < 0.05 and ratios.max() > 0.45


def test_unknown_kind_is_rejected():
    with pytest.raises(ValueError, match="unknown mask kind"):
        generate_mask(64, 64, np.random.default_rng(0), "spray")


def _touches_border(mask: np.ndarray) -> bool:
    return bool(mask[0].any() or mask[-1].any() or mask[:, 0].any() or mask[:, -1].any())


@pytest.mark.parametrize("kind", [*OBJECT_KINDS, None])
def test_every_object_is_one_shape_covering_2_to_30_percent(kind):
    rng = np.random.default_rng(0)
    for _ in range(30):
        mask = generate_object_mask(120, 160, rng, kind)
        assert mask.shape == (120, 160) and mask.dtype == bool
        assert 0.02 <= mask.mean() < 0.30
        assert cv2.connectedComponents(mask.astype(np.uint8))[0] == 2  # background + one


@pytest.mark.parametrize("kind", OBJECT_KINDS)
def test_objects_keep_to_the_asked_size_band(kind):
    rng = np.random.default_rng(2)
    for low, high in ((0.02, 0.10), (0.10, 0.20), (0.20, 0.30)):
        for _ in range(10):
            assert low <= generate_object_mask(90, 140, rng, kind, low, high).mean() < high


@pytest.mark.parametrize("kind", OBJECT_KINDS)
def test_some_objects_run_off_the_frame_and_some_do_not(kind):
    rng = np.random.default_rng(3)
    touching = sum(_touches_border(generate_object_mask(150, 200, rng, kind)) for _ in range(60))
    # About a third run off an edge; more people do, as a large figure is cut at the feet.
    assert 8 <= touching <= (50 if kind == "silhouette" else 35)


def test_a_silhouette_is_a_standing_figure_with_its_head_in_the_frame():
    rng = np.random.default_rng(4)
    for _ in range(30):
        mask = generate_object_mask(200, 300, rng, "silhouette")
        rows, cols = np.nonzero(mask)
        assert rows.min() > 0  # the head never leaves through the top
        # Taller than wide, unless the frame cut it: a person, not a blob.
        if not _touches_border(mask):
            assert np.ptp(rows) > 1.5 * np.ptp(cols)


def test_the_same_generator_state_gives_the_same_object():
    for kind in OBJECT_KINDS:
        first = generate_object_mask(100, 100, np.random.default_rng(9), kind)
        assert np.array_equal(first, generate_object_mask(100, 100, np.random.default_rng(9), kind))


def test_unknown_object_kinds_and_bands_are_rejected():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="unknown object kind"):
        generate_object_mask(64, 64, rng, "car")
    with pytest.raises(ValueError, match="2%-30%"):
        generate_object_mask(64, 64, rng, "box", 0.2, 0.5)
