"""mask_from_strokes: recover the hole from magenta strokes flattened into a photo."""

import io

import cv2
import numpy as np
import pytest
from PIL import Image

import amethyst
from amethyst.imaging.strokes import RINGING_REACH
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
    # The hole grows only within the 16x16 chroma blocks' reach, where JPEG spread the colour.
    assert not mask[far_from(coverage, RINGING_REACH + 3)].any()


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


def textured_photo(height: int = 768, width: int = 512, seed: int = 7) -> np.ndarray:
    """A photo-like scene: grain, blotches and round things in light, over gently varying colour."""
    rng = np.random.default_rng(seed)

    def smooth(scale: int, amplitude: float, channels: int = 1) -> np.ndarray:
        small = rng.normal(0, amplitude, (height // scale + 2, width // scale + 2, channels))
        size = (width, height)
        big = cv2.resize(small.astype(np.float32), size, interpolation=cv2.INTER_CUBIC)
        return big.reshape(height, width, channels)

    light = (
        120 + smooth(96, 30) + smooth(16, 14) + smooth(3, 10) + rng.normal(0, 4, (height, width, 1))
    )
    for _ in range(10):
        disc = np.zeros((height, width), np.float32)
        centre = (int(rng.integers(width)), int(rng.integers(height)))
        cv2.circle(disc, centre, int(rng.integers(10, 60)), 1.0, -1, cv2.LINE_AA)
        light += disc[..., None] * rng.uniform(-50, 50)
    colour = np.array([10, 5, -15], np.float32) + smooth(160, 16, 3)
    return np.clip(light + colour, 0, 255).astype(np.uint8)


def brush_strokes(shape: tuple[int, ...], brush: int, seed: int) -> np.ndarray:
    """Coverage (0-255) of three anti-aliased strokes, one across each third of the photo."""
    rng = np.random.default_rng(seed)
    height, width = shape[:2]
    coverage = np.zeros((height, width), np.uint8)
    for third in range(3):
        xs = np.linspace(0.2 * width, 0.8 * width, 4)
        ys = (third + 0.5) * height / 3 + rng.uniform(-0.1, 0.1, 4) * height
        points = np.stack([xs, ys], axis=1).astype(np.int32)
        cv2.polylines(coverage, [points], False, 255, brush, cv2.LINE_AA)
    return coverage


def magenta_lean(rgb: np.ndarray) -> np.ndarray:
    """(R+B)/2 - G: how far each pixel leans towards magenta."""
    rgb = rgb.astype(np.float32)
    return (rgb[..., 0] + rgb[..., 2]) / 2 - rgb[..., 1]


@pytest.fixture(scope="module")
def textured():
    return textured_photo()


@pytest.mark.parametrize("quality", [60, 70, 85, 95])
@pytest.mark.parametrize("brush", [3, 12, 40])
def test_no_pink_fringe_around_filled_jpeg_strokes(textured, brush, quality):
    # As /complete-image does: strokes flattened into a JPEG, found, filled. Telea's smooth fill
    # shows what the mask left behind; a texture-copying engine can bring in other colours from
    # around the hole, as it does in the clean photo with the same mask.
    coverage = brush_strokes(textured.shape, brush, seed=brush)
    alpha = coverage[..., None] / 255.0
    painted = np.rint(textured * (1 - alpha) + np.array(MAGENTA) * alpha).astype(np.uint8)
    sent = jpeg(painted, quality)
    result = np.asarray(amethyst.inpaint(sent, amethyst.mask_from_strokes(sent), "telea"))
    # Against the clean photo saved alike, over the band 2-8 px outside the painted stroke.
    outside = cv2.distanceTransform((coverage == 0).astype(np.uint8), cv2.DIST_L2, 5)
    band = (outside >= 2) & (outside <= 8)
    excess = (magenta_lean(result) - magenta_lean(jpeg(textured, quality)))[band]
    assert (excess > 12).mean() <= 0.002, f"{(excess > 12).mean():.2%} of the band is pink"
    assert excess.max() <= 30
    # Nor a green ghost from the ringing's troughs (2-15 % of the band before).
    assert (excess < -12).mean() <= 0.02
