"""Random user-like hole masks: shape, coverage, recipes and determinism."""

import numpy as np
import pytest

from amethyst.evaluation.masks import MASK_KINDS, generate_mask


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
