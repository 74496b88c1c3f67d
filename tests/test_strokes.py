"""mask_from_strokes: recover the hole from magenta strokes flattened into a photo."""

import io

import cv2
import numpy as np
import pytest
from PIL import Image

import amethyst
from tests.photos import photo

MAGENTA = (255, 0, 255)


def paint_strokes(rgb: np.ndarray, thickness: int = 9) -> tuple[np.ndarray, np.ndarray]:
    """Paint anti-aliased magenta strokes like the original client; return photo and coverage."""
    coverage = np.zeros(rgb.shape[:2], np.uint8)
    cv2.line(coverage, (60, 80), (380, 120), 255, thickness, cv2.LINE_AA)
    cv2.polylines(
        coverage,
        [np.array([[420, 300], [500, 250], [560, 330]])],
        False,
        255,
        thickness,
        cv2.LINE_AA,
    )
    alpha = coverage[..., None] / 255.0
    painted = np.rint(rgb * (1 - alpha) + np.array(MAGENTA) * alpha).astype(np.uint8)
    return painted, coverage


def jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "JPEG", quality=quality)
    return np.asarray(Image.open(buffer).convert("RGB"))


def far_from(coverage: np.ndarray, distance: int) -> np.ndarray:
    near = cv2.dilate((coverage > 0).astype(np.uint8), np.ones((2 * distance + 1,) * 2, np.uint8))
    return near == 0


@pytest.fixture
def coffee():
    return np.asarray(photo("coffee.jpg"))


def test_lossless_strokes_are_covered_with_their_fringes(coffee):
    painted, coverage = paint_strokes(coffee)
    mask = amethyst.mask_from_strokes(painted)
    assert mask[coverage > 0].all()
    assert not mask[far_from(coverage, 5)].any()


@pytest.mark.parametrize("quality", [60, 75, 90])
def test_jpeg_compressed_strokes_are_covered(coffee, quality):
    painted, coverage = paint_strokes(coffee)
    mask = amethyst.mask_from_strokes(jpeg(painted, quality))
    # Every pixel the stroke visibly tinted (a quarter or more) is marked.
    assert mask[coverage >= 64].all()
    assert mask[coverage > 0].mean() > 0.97
    assert not mask[far_from(coverage, 6)].any()


def test_thin_strokes_survive_jpeg(coffee):
    painted, coverage = paint_strokes(coffee, thickness=3)
    mask = amethyst.mask_from_strokes(jpeg(painted, 80))
    assert mask[coverage >= 128].all()


def test_magenta_ish_parts_of_the_photo_are_not_marked(coffee):
    rgb = coffee.copy()
    rgb[300:360, 40:100] = (200, 60, 170)  # a pink object in the scene
    rgb[20, 20] = MAGENTA  # stray pure-magenta specks
    rgb[350:352, 580:582] = MAGENTA
    assert not amethyst.mask_from_strokes(jpeg(rgb, 90)).any()


def test_other_stroke_colours(coffee):
    green = coffee.copy()
    cv2.line(green, (50, 50), (300, 60), (0, 255, 0), 7)
    mask = amethyst.mask_from_strokes(green, color=(0, 255, 0))
    assert mask[55, 150] and not mask[300, 300]


def test_pil_input_gives_the_same_mask(coffee):
    painted, _ = paint_strokes(coffee)
    assert np.array_equal(
        amethyst.mask_from_strokes(Image.fromarray(painted)), amethyst.mask_from_strokes(painted)
    )
