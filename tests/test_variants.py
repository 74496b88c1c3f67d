"""``variant``: each engine's other fills of the same hole, for "try another fill"."""

from __future__ import annotations

import numpy as np
import pytest

import amethyst
from amethyst.engines import available
from amethyst.imaging.flips import MIRRORED, UPSIDE_DOWN, flipped
from tests.photos import disc_mask, photo
from tests.test_patchmatch_rows import _hole_error, seaside


@pytest.fixture(scope="module")
def cat() -> tuple[np.ndarray, np.ndarray]:
    image = np.asarray(photo("chelsea.jpg"))
    return image, disc_mask((image.shape[1], image.shape[0]), (225, 150), 30) > 0


def test_each_flip_undoes_itself_and_no_flip_is_no_copy():
    a = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    assert flipped(a, 0) is a
    assert (flipped(a, MIRRORED)[:, 0] == a[:, -1]).all()
    assert (flipped(a, UPSIDE_DOWN)[0] == a[-1]).all()
    for flips in range(4):
        assert flipped(a, flips).flags.c_contiguous
        assert (flipped(flipped(a, flips), flips) == a).all()


def test_engines_say_how_many_fills_they_give():
    counts = {name: amethyst.variants(name) for name in available()}
    assert counts["telea"] == counts["ns"] == 1
    assert counts["gan"] == 2
    assert counts["patchmatch"] == counts["patchmatch_rows"] == 4
    assert amethyst.variants() == counts[available()[0]]


@pytest.mark.parametrize("engine", ["patchmatch_rows", "patchmatch", "gan", "telea"])
def test_every_variant_is_another_fill_that_keeps_the_photo_outside_the_hole(cat, engine):
    image, hole = cat
    count = amethyst.variants(engine)
    usual = amethyst.inpaint(image, hole, engine=engine)
    fills = [amethyst.inpaint(image, hole, engine=engine, variant=v) for v in range(count + 1)]
    assert np.array_equal(fills[0], usual)  # variant 0 is the usual fill
    assert np.array_equal(fills[count], usual)  # variants count modulo their number
    for fill in fills:
        assert np.array_equal(fill[~hole], image[~hole])
    # The other variants are other fills: most of the hole's pixels differ from the usual one.
    for fill in fills[1:count]:
        changed = (fill[hole] != usual[hole]).any(axis=1).mean()
        assert changed > 0.5
    # Each is deterministic: asking again gives the same pixels.
    last = count - 1
    again = amethyst.inpaint(image, hole, engine=engine, variant=last)
    assert np.array_equal(again, fills[last])


def test_every_variant_of_the_row_guided_search_keeps_the_layers_at_their_height():
    # The guide only compares heights, so the search on the crop turned upside down still copies
    # from the hole's own height: no variant drops sea into the sky (unguided: ~25 levels).
    rgb, mask = seaside()
    for variant in range(amethyst.variants("patchmatch_rows")):
        out = amethyst.inpaint(rgb, mask, engine="patchmatch_rows", variant=variant)
        assert _hole_error(out, rgb, mask) < 20, variant


def test_a_variant_that_is_not_a_whole_number_is_refused(cat):
    image, hole = cat
    with pytest.raises(TypeError):
        amethyst.inpaint(image, hole, engine="telea", variant=1.5)
    usual = amethyst.inpaint(image, hole, engine="gan")
    assert np.array_equal(amethyst.inpaint(image, hole, engine="gan", variant=np.int64(2)), usual)
