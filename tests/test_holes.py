"""The hole mask for a photo: read in either orientation of an EXIF-rotated photo, or refused."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from amethyst.errors import InvalidMask
from amethyst.imaging.exif_orientation import to_upright
from amethyst.imaging.holes import read_mask

STORED = (240, 180)  # width, height as the file stores the pixels
SHOWN = (180, 240)  # as displayed under EXIF orientation 6 (or 5, 7, 8)


def _png(mask: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(mask.astype(np.uint8) * 255).save(out, "PNG")
    return out.getvalue()


def _mask(size: tuple[int, int]) -> np.ndarray:
    """A mask with an off-centre block, so a wrong turn would move it."""
    mask = np.zeros((size[1], size[0]), bool)
    mask[20:50, 30:90] = True
    return mask


@pytest.mark.parametrize("orientation", [5, 6, 7, 8])
def test_a_mask_in_the_stored_orientation_is_turned_upright_and_said_so(orientation: int) -> None:
    stored = _mask(STORED)
    holes = read_mask(_png(stored), SHOWN, orientation=orientation)
    assert np.array_equal(holes.mask, to_upright(stored, orientation))
    assert "stored orientation" in holes.note and "240x180" in holes.note


def test_a_mask_in_the_displayed_orientation_is_used_as_it_is_and_said_so() -> None:
    shown = _mask(SHOWN)
    holes = read_mask(_png(shown), SHOWN, orientation=6)
    assert np.array_equal(holes.mask, shown)
    assert "displayed orientation" in holes.note


def test_a_square_photo_takes_the_displayed_orientation_and_says_why() -> None:
    shown = _mask((200, 200))
    holes = read_mask(_png(shown), (200, 200), orientation=6)
    assert np.array_equal(holes.mask, shown)
    assert "square" in holes.note


def test_a_mask_fitting_neither_orientation_names_both_sizes() -> None:
    with pytest.raises(InvalidMask, match=r"180x240 as displayed \(240x180 as stored\)"):
        read_mask(_png(_mask((100, 100))), SHOWN, orientation=6)


def test_without_a_turn_only_the_photo_size_fits_and_nothing_is_noted() -> None:
    assert read_mask(_png(_mask(SHOWN)), SHOWN).note is None
    with pytest.raises(InvalidMask, match="must match"):
        read_mask(_png(_mask(STORED)), SHOWN)
