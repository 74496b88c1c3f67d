"""Fuzzing stroke detection: it never crashes, finds strokes, and invents none on clean photos."""

import cv2
import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

import amethyst
from tests.photos import photo

FUZZ = settings(max_examples=60, deadline=None)
MAGENTA = (255, 0, 255)
SEED_LIKENESS = 150  # mask_from_strokes' default seed threshold
PHOTOS = [np.asarray(photo(name)) for name in ("coffee.jpg", "chelsea.jpg", "rocket.jpg")]


@st.composite
def photo_crops(draw: st.DrawFn, side: int = 96) -> np.ndarray:
    """A ``side`` x ``side`` crop of a real photo."""
    source = draw(st.sampled_from(PHOTOS))
    y = draw(st.integers(0, source.shape[0] - side))
    x = draw(st.integers(0, source.shape[1] - side))
    return source[y : y + side, x : x + side].copy()


def without_saturated_magenta(rgb: np.ndarray) -> np.ndarray:
    """``rgb`` with green raised where needed so no pixel leans to magenta enough to seed."""
    rgb = rgb.astype(np.int16)
    lean = np.minimum(rgb[..., 0], rgb[..., 2]) - rgb[..., 1]
    rgb[..., 1] += np.clip(lean - (SEED_LIKENESS - 1), 0, None)
    return rgb.astype(np.uint8)


@FUZZ
@given(
    hnp.arrays(
        np.uint8,
        st.tuples(st.integers(1, 40), st.integers(1, 40), st.sampled_from([3, 4])),
        elements=st.sampled_from([0, 1, 60, 128, 200, 254, 255]),
    )
)
def test_detection_never_crashes_and_returns_a_mask_of_the_photo_size(pixels):
    mask = amethyst.mask_from_strokes(pixels)
    assert mask.dtype == bool and mask.shape == pixels.shape[:2]


@FUZZ
@given(st.sampled_from(["1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16"]), photo_crops(32))
def test_detection_takes_photos_in_any_mode(mode, crop):
    mask = amethyst.mask_from_strokes(Image.fromarray(crop).convert(mode))
    assert mask.shape == crop.shape[:2]


@FUZZ
@given(
    photo_crops(),
    st.lists(st.tuples(*[st.integers(8, 88)] * 4), min_size=1, max_size=3),
    st.integers(3, 9),
)
def test_painted_strokes_are_found_with_all_their_pixels(crop, lines, thickness):
    # A stroke is at least a few pixels long: smaller specks are taken as part of the photo.
    assume(all(max(abs(x1 - x0), abs(y1 - y0)) >= 6 for x0, y0, x1, y1 in lines))
    clean = without_saturated_magenta(crop)
    painted = clean.copy()
    for x0, y0, x1, y1 in lines:
        cv2.line(painted, (x0, y0), (x1, y1), MAGENTA, thickness)
    stroke = (painted != clean).any(axis=2) | (painted == MAGENTA).all(axis=2)
    mask = amethyst.mask_from_strokes(painted)
    assert mask[(painted == MAGENTA).all(axis=2)].all()
    # Marks stay on and around the strokes (the detector dilates by 2 px).
    near = cv2.dilate(stroke.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    assert not mask[~near].any()


@FUZZ
@given(photo_crops())
def test_stroke_free_photos_without_saturated_magenta_mark_nothing(crop):
    assert not amethyst.mask_from_strokes(without_saturated_magenta(crop)).any()


@FUZZ
@given(
    hnp.arrays(
        np.uint8,
        st.tuples(st.integers(1, 48), st.integers(1, 48), st.just(3)),
    )
)
def test_noise_without_saturated_magenta_marks_nothing(pixels):
    assert not amethyst.mask_from_strokes(without_saturated_magenta(pixels)).any()
