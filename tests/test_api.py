"""amethyst.inpaint: types, modes, masks and the promise that outside pixels never change."""

import numpy as np
import pytest
from PIL import Image

import amethyst
from amethyst.engines import resolve
from tests.photos import disc_mask, photo


@pytest.fixture
def coffee():
    return photo("coffee.jpg")


@pytest.fixture
def hole(coffee):
    return disc_mask(coffee.size, (300, 200), 30)


def test_numpy_in_numpy_out_with_outside_pixels_bit_exact(coffee, hole):
    array = np.asarray(coffee)
    out = amethyst.inpaint(array, hole, engine="telea")
    assert isinstance(out, np.ndarray) and out.shape == array.shape and out.dtype == np.uint8
    assert np.array_equal(out[~hole], array[~hole])
    assert (out[hole] != array[hole]).any()


def test_pil_in_pil_out_same_size_and_mode(coffee, hole):
    out = amethyst.inpaint(coffee, Image.fromarray(hole), engine="telea")
    assert isinstance(out, Image.Image) and out.size == coffee.size and out.mode == "RGB"
    assert np.array_equal(np.asarray(out)[~hole], np.asarray(coffee)[~hole])


def test_rgba_keeps_alpha_untouched(coffee, hole):
    rgba = coffee.convert("RGBA")
    alpha = np.random.default_rng(0).integers(0, 256, hole.shape, dtype=np.uint8)
    rgba.putalpha(Image.fromarray(alpha))
    out = amethyst.inpaint(rgba, hole, engine="telea")
    assert out.mode == "RGBA"
    assert np.array_equal(np.asarray(out.getchannel("A")), alpha)
    assert np.array_equal(np.asarray(out)[~hole], np.asarray(rgba)[~hole])


def test_rgba_array_keeps_alpha(coffee, hole):
    array = np.asarray(coffee.convert("RGBA")).copy()
    array[..., 3] = 77
    out = amethyst.inpaint(array, hole, engine="telea")
    assert out.shape == array.shape and (out[..., 3] == 77).all()


@pytest.mark.parametrize("mode", ["L", "P", "1", "CMYK", "I;16"])
def test_other_modes_come_back_in_their_mode(coffee, hole, mode):
    image = coffee.convert(mode) if mode != "I;16" else coffee.convert("L").convert("I;16")
    out = amethyst.inpaint(image, hole, engine="telea")
    assert out.mode == image.mode and out.size == image.size
    assert np.array_equal(np.asarray(out)[~hole], np.asarray(image)[~hole])


def test_greyscale_array(coffee, hole):
    grey = np.asarray(coffee.convert("L"))
    out = amethyst.inpaint(grey, hole, engine="telea")
    assert out.shape == grey.shape and np.array_equal(out[~hole], grey[~hole])


@pytest.mark.parametrize(
    "as_mask",
    [
        lambda m: m,
        lambda m: m.astype(np.uint8) * 255,
        lambda m: Image.fromarray(m.astype(np.uint8) * 255, "L"),
        lambda m: Image.fromarray(m).convert("1"),
    ],
    ids=["bool", "uint8", "pil-L", "pil-1"],
)
def test_mask_forms_are_equivalent(coffee, hole, as_mask):
    expected = amethyst.inpaint(coffee, hole, engine="telea")
    assert np.array_equal(
        np.asarray(amethyst.inpaint(coffee, as_mask(hole), "telea")), np.asarray(expected)
    )


def test_wrong_mask_size_names_both_sizes(coffee):
    with pytest.raises(amethyst.InvalidMask, match=r"599x400.*600x400"):
        amethyst.inpaint(coffee, np.ones((400, 599), bool))


def test_empty_mask_returns_an_unchanged_copy(coffee):
    out = amethyst.inpaint(coffee, np.zeros((400, 600), bool))
    assert out is not coffee and np.array_equal(np.asarray(out), np.asarray(coffee))


def test_full_mask_is_refused(coffee):
    with pytest.raises(amethyst.InvalidMask, match="whole image"):
        amethyst.inpaint(coffee, np.ones((400, 600), bool))


def test_unknown_engine_lists_the_available_ones(coffee, hole):
    with pytest.raises(amethyst.UnknownEngine, match="telea"):
        amethyst.inpaint(coffee, hole, engine="nope")


def test_bad_image_types_are_refused(hole):
    with pytest.raises(amethyst.InvalidImage):
        amethyst.inpaint(np.zeros((400, 600, 3), np.float32), hole)
    with pytest.raises(amethyst.InvalidImage):
        amethyst.inpaint("photo.jpg", hole)


def test_engines_lists_one_line_each_with_auto_choice_first():
    lines = amethyst.engines()
    names = [line.split(":")[0] for line in lines]
    assert {"telea", "ns", "patchmatch"} <= set(names)
    assert all(": " in line and "\n" not in line for line in lines)
    assert resolve("auto") == names[0]
