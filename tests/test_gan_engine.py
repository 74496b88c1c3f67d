"""The ``gan`` engine: the shipped ONNX model, run by ONNX Runtime, with no PyTorch needed."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from amethyst.engines import available, get_engine
from amethyst.engines.gan import MODEL_PATH
from amethyst.evaluation.metrics import haze, texture_distance
from tests.photos import disc_mask, fur, photo


def test_the_trained_model_ships_inside_the_package_within_budget():
    assert MODEL_PATH.is_file()
    assert MODEL_PATH.stat().st_size <= 20e6
    assert "gan" in available()


def test_the_gan_engine_works_in_an_environment_without_torch():
    # torch=None in sys.modules makes every `import torch` fail, as if it were not installed.
    script = """
import json, sys
sys.modules["torch"] = None
import numpy as np
import amethyst
from tests.photos import disc_mask, photo
rgb = np.asarray(photo("coffee.jpg"))
mask = disc_mask((rgb.shape[1], rgb.shape[0]), (300, 200), 40)
out = amethyst.inpaint(rgb, mask, engine="gan")
hole_error = float(np.abs(out[mask].astype(int) - rgb[mask].astype(int)).mean())
flat_error = float(np.abs(rgb[~mask].mean(0) - rgb[mask]).mean())
print(json.dumps({
    "flat_error": flat_error,
    "known_unchanged": bool((out[~mask] == rgb[~mask]).all()),
    "hole_error": hole_error,
    "torch_loaded": sys.modules.get("torch") is not None,
}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["known_unchanged"]
    assert not report["torch_loaded"]
    # Better than painting the hole in the photo's mean colour.
    assert report["hole_error"] < report["flat_error"]


def test_the_gan_fills_a_smooth_colour_gradient_in_its_own_colours():
    # Catches channel-order and value-scale mistakes: the hole must continue the red gradient.
    y, x = np.mgrid[0:96, 0:128]
    rgb = np.stack([150 + x // 2, 40 + y // 4, 30 + 0 * x], axis=2).astype(np.uint8)
    mask = disc_mask((128, 96), (64, 48), 18)
    filled = get_engine("gan").fill(rgb, mask)
    error = np.abs(filled[mask].astype(int) - rgb[mask].astype(int))
    assert error.mean() < 6


def test_the_gan_engine_pads_sizes_that_are_not_a_multiple_of_its_stride():
    rgb = np.asarray(photo("chelsea.jpg"))[:45, :71].copy()
    mask = disc_mask((71, 45), (35, 22), 8)
    filled = get_engine("gan").fill(rgb, mask)
    assert filled.shape == rgb.shape and filled.dtype == np.uint8


def test_the_gan_engine_gives_its_smooth_fill_the_photos_grain():
    rgb, mask = fur()  # the cat's fur
    engine = get_engine("gan")
    network = engine.predict(rgb, mask)
    filled = engine.fill(rgb, mask)
    assert (filled[~mask] == rgb[~mask]).all()
    assert texture_distance(filled, rgb, mask) < 0.6 * texture_distance(network, rgb, mask)
    assert haze(filled, rgb, mask) < haze(network, rgb, mask)
