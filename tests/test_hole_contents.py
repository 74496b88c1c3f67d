"""Whatever is under the mask never shows through: every engine's fill depends only on the
pixels around the hole, also where the hole touches the frame's edge and where the photo is
larger than the engine's working size."""

import numpy as np
import pytest

import amethyst
from amethyst.engines import available


def _scene(width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.stack([60 + 80 * yy / height, 120 + 40 * np.sin(xx / 9.0), 90 + 0 * xx], -1)
    rgb = np.clip(base + rng.normal(0, 12, (height, width, 3)), 0, 255).astype(np.uint8)
    mask = np.zeros((height, width), bool)
    mask[: height // 2, : width // 5] = True  # touches the top and left edges
    mask[height // 3 : height // 3 + 20, width // 2 : width // 2 + 40] = True
    return rgb, mask


@pytest.mark.parametrize("size", [(300, 200), (1200, 180)], ids=["working size", "downscaled"])
@pytest.mark.parametrize("engine", available())
def test_the_fill_ignores_the_pixels_being_removed(engine, size):
    rgb, mask = _scene(*size)
    red = rgb.copy()
    red[mask] = (255, 0, 0)
    noise = rgb.copy()
    noise[mask] = np.random.default_rng(5).integers(0, 256, (int(mask.sum()), 3))
    fills = [np.asarray(amethyst.inpaint(x, mask, engine=engine)) for x in (rgb, red, noise)]
    assert np.array_equal(fills[0], fills[1])
    assert np.array_equal(fills[0], fills[2])
