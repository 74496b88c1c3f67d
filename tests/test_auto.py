"""What ``auto`` means: the engine blind reviewers preferred (docs/benchmarks.md)."""

from __future__ import annotations

import numpy as np

from amethyst.engines import get_engine, resolve
from amethyst.evaluation.metrics import haze, texture_distance
from tests.photos import fur


def test_auto_picks_patchmatch_from_the_holes_height_with_its_detail_restored():
    assert resolve("auto") == "patchmatch_rows"


def test_auto_keeps_the_photos_texture_where_the_gan_smears():
    rgb, mask = fur()  # the cat's fur
    auto = get_engine("auto").fill(rgb, mask)
    gan = get_engine("gan").fill(rgb, mask)
    assert auto.shape == rgb.shape and auto.dtype == np.uint8
    assert texture_distance(auto, rgb, mask) < texture_distance(gan, rgb, mask)
    assert haze(auto, rgb, mask) < haze(gan, rgb, mask)


def test_auto_restores_the_contrast_its_patch_search_softened():
    rgb, mask = fur()  # the cat's fur
    engine = get_engine("auto")
    auto = engine.fill(rgb, mask)
    searched = engine.copy_patches(rgb, mask)  # the same search, detail not yet restored
    assert (auto[~mask] == rgb[~mask]).all()
    assert haze(auto, rgb, mask) < haze(searched, rgb, mask)
