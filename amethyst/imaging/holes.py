"""The hole to fill in a photo: read from a mask file, or found from magenta strokes.

The CLI and the service both take a photo plus an optional mask file; this is the one place
that turns that pair into a checked boolean hole mask. For a photo turned by its EXIF
orientation, a mask may come in the displayed or the stored orientation when its size tells
which (the photo is not square); the note says which was used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from amethyst.errors import AmethystError, ImageTooLarge, InvalidMask
from amethyst.imaging.exif_orientation import SWAPS_AXES, to_upright
from amethyst.imaging.io import DEFAULT_MAX_PIXELS, decode_image
from amethyst.imaging.masks import check_mask, to_bool_mask
from amethyst.imaging.strokes import STROKE_COLOR, mask_from_strokes


@dataclass(frozen=True)
class HoleMask:
    """A bool HxW hole mask in the displayed orientation, and a note on how it was read."""

    mask: np.ndarray
    note: str | None = None


def read_mask(
    mask: bytes | str | Path,
    size: tuple[int, int],
    *,
    orientation: int = 1,
    max_pixels: int | None = DEFAULT_MAX_PIXELS,
    name: str = "mask",
) -> HoleMask:
    """Decode ``mask`` for a photo displayed at ``size`` (width, height), EXIF ``orientation``.

    Raises ``InvalidMask`` for an unreadable mask or one that fits neither orientation; its
    message calls the mask ``name``.
    """
    try:
        mask_image = decode_image(mask, max_pixels=max_pixels).image
    except ImageTooLarge:
        raise
    except AmethystError as exc:
        raise InvalidMask(f"the {name} cannot be read: {exc}") from exc
    holes = to_bool_mask(mask_image)
    width, height = size
    if orientation not in SWAPS_AXES:
        check_mask(holes, size, name)
        return HoleMask(holes)
    if width != height and holes.shape == (width, height):
        holes = np.ascontiguousarray(to_upright(holes, orientation))
        check_mask(holes, size, name)
        return HoleMask(
            holes,
            f"The {name} is {height}x{width}, the photo's stored orientation; it was turned "
            f"upright with the photo (EXIF orientation {orientation}) to {width}x{height}.",
        )
    if holes.shape != (height, width) and width != height:
        raise InvalidMask(
            f"{name} is {holes.shape[1]}x{holes.shape[0]} but the image is {width}x{height} as "
            f"displayed ({height}x{width} as stored); it must match one of them"
        )
    check_mask(holes, size, name)
    why = "the photo is square, so the two cannot be told apart" if width == height else ""
    return HoleMask(
        holes,
        f"The {name} was read in the photo's displayed orientation ({width}x{height}, EXIF "
        f"orientation {orientation}){'; ' + why if why else ''}.",
    )


def holes_for(
    image: Image.Image,
    mask: bytes | str | Path | None,
    *,
    orientation: int = 1,
    max_pixels: int | None = DEFAULT_MAX_PIXELS,
) -> HoleMask:
    """The hole of the upright ``image``: from ``mask`` (see ``read_mask``; ``orientation`` is
    the photo's EXIF orientation, so a mask in its stored orientation fits), or from its
    magenta strokes when ``None``.

    Raises ``InvalidMask`` for an unreadable mask, one of the wrong size, or no strokes found.
    """
    if mask is not None:
        return read_mask(mask, image.size, orientation=orientation, max_pixels=max_pixels)
    holes = mask_from_strokes(image)
    if not holes.any():
        raise InvalidMask(
            f"no strokes in {STROKE_COLOR} (magenta) found in the image, and no mask given"
        )
    return HoleMask(holes)
