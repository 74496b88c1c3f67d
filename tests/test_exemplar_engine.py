"""The ``exemplar`` engine: our completion, guided by the GAN, through the public API."""

from __future__ import annotations

import numpy as np

import amethyst
from amethyst.engines import get_engine
from amethyst.evaluation.metrics import haze, texture_distance
from tests.photos import disc_mask, photo


def _fur() -> tuple[np.ndarray, np.ndarray]:
    rgb = np.asarray(photo("chelsea.jpg"))[:256, 100:356].copy()  # the cat's fur
    return rgb, disc_mask((256, 256), (128, 140), 40)


def test_exemplar_keeps_the_fur_where_the_gan_smears():
    rgb, mask = _fur()
    out = np.asarray(amethyst.inpaint(rgb, mask, engine="exemplar"))
    gan = np.asarray(amethyst.inpaint(rgb, mask, engine="gan"))
    assert np.array_equal(out[~mask], rgb[~mask])
    assert texture_distance(out, rgb, mask) < 0.5 * texture_distance(gan, rgb, mask)
    assert haze(out, rgb, mask) < 0.5 * haze(gan, rgb, mask)


def test_exemplar_is_deterministic():
    rgb, mask = _fur()
    engine = get_engine("exemplar")
    assert np.array_equal(engine.fill(rgb, mask), engine.fill(rgb, mask))


def test_the_guide_changes_the_fill():
    rgb, mask = _fur()
    from amethyst.synthesis import complete

    guided = get_engine("exemplar").fill(rgb, mask)
    assert not np.array_equal(guided, complete(rgb, mask))
