"""Fuzzing amethyst.inpaint: random photos and masks; pixels outside the mask stay bit-exact."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

import amethyst

FUZZ = settings(max_examples=60, deadline=None)
ENGINES = st.sampled_from(["telea", "ns"])
MODES = ["1", "L", "LA", "P", "PA", "RGB", "RGBA", "CMYK", "YCbCr", "I;16", "I"]


@st.composite
def photo_and_mask(draw: st.DrawFn, channels: tuple[int, ...] = (0, 3, 4)):
    """A random uint8 photo (HxW, HxWx3 or HxWx4) and a mask that leaves some context."""
    height, width = draw(st.integers(1, 40)), draw(st.integers(1, 40))
    depth = draw(st.sampled_from(channels))
    shape = (height, width) if depth == 0 else (height, width, depth)
    pixels = draw(hnp.arrays(np.uint8, shape))
    mask = draw(hnp.arrays(np.bool_, (height, width)))
    if mask.all():
        mask[draw(st.integers(0, height - 1)), draw(st.integers(0, width - 1))] = False
    return pixels, mask


@FUZZ
@given(photo_and_mask(), ENGINES)
def test_arrays_keep_every_pixel_outside_the_mask(case, engine):
    pixels, mask = case
    result = amethyst.inpaint(pixels, mask, engine=engine)
    assert result.shape == pixels.shape and result.dtype == np.uint8
    assert (result[~mask] == pixels[~mask]).all()


@FUZZ
@given(photo_and_mask(channels=(4,)), ENGINES)
def test_the_alpha_channel_of_arrays_is_never_touched(case, engine):
    pixels, mask = case
    assert (amethyst.inpaint(pixels, mask, engine=engine)[..., 3] == pixels[..., 3]).all()


@FUZZ
@given(photo_and_mask(channels=(3,)), st.sampled_from(MODES), ENGINES)
def test_images_of_every_mode_keep_mode_size_and_outside_pixels(case, mode, engine):
    pixels, mask = case
    image = Image.fromarray(pixels).convert(mode)
    result = amethyst.inpaint(image, Image.fromarray(mask), engine=engine)
    assert result.mode == image.mode and result.size == image.size
    before, after = np.asarray(image), np.asarray(result)
    assert (after[~mask] == before[~mask]).all()


@FUZZ
@given(photo_and_mask(channels=(3,)), st.integers(0, 6), st.floats(0.0, 2.0), st.integers(0, 40))
def test_fill_options_never_touch_outside_pixels(case, feather, context_ratio, min_margin):
    pixels, mask = case
    result = amethyst.inpaint(
        pixels,
        mask,
        engine="telea",
        feather=feather,
        context_ratio=context_ratio,
        min_margin=min_margin,
    )
    assert (result[~mask] == pixels[~mask]).all()


@FUZZ
@given(hnp.arrays(np.uint8, st.tuples(st.integers(1, 30), st.integers(1, 30), st.just(3))))
def test_an_empty_mask_returns_the_photo_unchanged(pixels):
    empty = np.zeros(pixels.shape[:2], bool)
    assert (amethyst.inpaint(pixels, empty, engine="telea") == pixels).all()
