"""Fuzzing mask parsing: any mask becomes a bool HxW array or an InvalidMask that says why."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

import amethyst
from amethyst.imaging.masks import check_mask, to_bool_mask

FUZZ = settings(max_examples=60, deadline=None)
MODES = ["1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "I;16", "I", "F"]
sides = st.integers(1, 24)
dtypes = st.sampled_from([np.uint8, np.bool_, np.int16, np.uint16, np.int32, np.float32])


@st.composite
def mask_images(draw: st.DrawFn, size: tuple[int, int] | None = None) -> Image.Image:
    """A PIL mask in any mode, from random 8-bit marks."""
    width, height = size or (draw(sides), draw(sides))
    marks = draw(hnp.arrays(np.uint8, (height, width), elements=st.sampled_from([0, 1, 128, 255])))
    return Image.fromarray(marks).convert(draw(st.sampled_from(MODES)))


@FUZZ
@given(hnp.arrays(dtypes, hnp.array_shapes(min_dims=1, max_dims=4, max_side=6)))
def test_any_array_becomes_a_bool_hxw_mask_or_invalid_mask(array):
    try:
        mask = to_bool_mask(array)
    except amethyst.InvalidMask as exc:
        assert "shape" in str(exc)
        return
    assert mask.dtype == bool and mask.ndim == 2 and mask.shape == array.shape[:2]


@FUZZ
@given(mask_images())
def test_mask_image_of_any_mode_becomes_a_bool_mask_of_its_size(image):
    mask = to_bool_mask(image)
    assert mask.dtype == bool and mask.shape == (image.height, image.width)


@FUZZ
@given(hnp.arrays(np.uint8, st.tuples(sides, sides), elements=st.sampled_from([0, 255])))
def test_mask_marks_exactly_the_nonzero_pixels_in_every_lossless_mode(marks):
    for mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16", "I", "F"):
        assert (to_bool_mask(Image.fromarray(marks).convert(mode)) == (marks > 0)).all(), mode


@FUZZ
@given(hnp.arrays(np.uint8, st.tuples(sides, sides)), st.integers(0, 255))
def test_transparent_pixels_never_count_as_marked(marks, alpha):
    rgba = Image.fromarray(marks).convert("RGBA")
    rgba.putalpha(alpha)
    assert (to_bool_mask(rgba) == ((marks > 0) & (alpha > 0))).all()


@FUZZ
@given(sides, sides, sides, sides)
def test_check_mask_refuses_every_other_size_naming_both(mask_w, mask_h, image_w, image_h):
    mask = np.zeros((mask_h, mask_w), bool)
    if (mask_w, mask_h) == (image_w, image_h):
        check_mask(mask, (image_w, image_h))
        return
    with pytest.raises(amethyst.InvalidMask) as refused:
        check_mask(mask, (image_w, image_h))
    assert f"{mask_w}x{mask_h}" in str(refused.value)
    assert f"{image_w}x{image_h}" in str(refused.value)


@FUZZ
@given(st.data(), st.tuples(sides, sides), st.tuples(sides, sides))
def test_inpaint_with_a_mask_of_the_wrong_size_raises_invalid_mask(data, image_size, mask_size):
    if image_size == mask_size:
        mask_size = (mask_size[0] + 1, mask_size[1])
    mask = data.draw(mask_images(mask_size))
    photo = Image.new("RGB", image_size, (90, 120, 30))
    as_array = data.draw(st.booleans())
    with pytest.raises(amethyst.InvalidMask) as refused:
        amethyst.inpaint(
            np.asarray(photo) if as_array else photo,
            np.asarray(mask) if as_array and mask.mode != "P" else mask,
            engine="telea",
        )
    message = str(refused.value)
    assert "x".join(map(str, image_size)) in message or "shape" in message


@pytest.mark.parametrize("mode", ["1", "L", "RGB", "RGBA", "I;16", "F"])
def test_a_mask_covering_the_whole_photo_is_refused(mode):
    mask = Image.new("L", (12, 8), 255).convert(mode)
    with pytest.raises(amethyst.InvalidMask, match="whole image"):
        amethyst.inpaint(Image.new("RGB", (12, 8)), mask, engine="telea")


@pytest.mark.parametrize("mask", ["a string", 3, None, [[1, 0]], b"\x89PNG"], ids=repr)
def test_a_mask_that_is_not_an_image_or_array_is_refused(mask):
    with pytest.raises(amethyst.InvalidMask, match="mask must be"):
        amethyst.inpaint(Image.new("RGB", (4, 4)), mask, engine="telea")
