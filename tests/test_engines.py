"""Every installed engine fills a real hole through the registry's one interface."""

import numpy as np
import pytest

from amethyst.engines import available, get_engine, registered
from tests.photos import disc_mask, photo


@pytest.mark.parametrize("name", available())
def test_engine_fills_the_hole_plausibly(name):
    rgb = np.asarray(photo("coffee.jpg"))[:256, :256].copy()
    mask = disc_mask((256, 256), (128, 128), 20)
    engine = get_engine(name)
    filled = engine.fill(rgb, mask)
    assert filled.shape == rgb.shape and filled.dtype == np.uint8
    # A fill resembles its surroundings: its mean colour is near the ring around the hole's.
    ring = disc_mask((256, 256), (128, 128), 30) & ~mask
    assert np.abs(filled[mask].mean(0) - rgb[ring].mean(0)).max() < 40


def test_engines_are_shared_instances():
    assert get_engine("telea") is get_engine("telea")


def test_every_engine_has_a_name_and_a_description():
    for name, cls in registered().items():
        assert cls.name == name and cls.description
