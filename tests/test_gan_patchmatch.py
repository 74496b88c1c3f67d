"""The ``gan_patchmatch`` engine: PatchMatch's texture blended with the GAN's fill."""

from __future__ import annotations

import numpy as np

from amethyst.engines import get_engine, resolve
from amethyst.evaluation.metrics import texture_distance
from tests.photos import disc_mask, photo


def test_auto_picks_the_hybrid_when_gan_and_patchmatch_are_installed():
    assert resolve("auto") == "gan_patchmatch"


def test_the_hybrid_keeps_more_texture_than_the_gan_alone():
    rgb = np.asarray(photo("chelsea.jpg"))[:256, 100:356].copy()  # the cat's fur
    mask = disc_mask((256, 256), (128, 140), 30)
    hybrid = get_engine("gan_patchmatch").fill(rgb, mask)
    gan = get_engine("gan").fill(rgb, mask)
    assert hybrid.shape == rgb.shape and hybrid.dtype == np.uint8
    assert texture_distance(hybrid, rgb, mask) < texture_distance(gan, rgb, mask)
