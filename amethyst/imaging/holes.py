"""The hole to fill in a photo: read from a mask file, or found from magenta strokes.

The CLI and the service both take a photo plus an optional mask file; this is the one place
that turns that pair into a checked boolean hole mask.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from amethyst.errors import AmethystError, ImageTooLarge, InvalidMask
from amethyst.imaging.io import DEFAULT_MAX_PIXELS, decode_image
from amethyst.imaging.masks import check_mask, to_bool_mask
from amethyst.imaging.strokes import STROKE_COLOR, mask_from_strokes


def holes_for(
    image: Image.Image,
    mask: bytes | str | Path | None,
    *,
    max_pixels: int | None = DEFAULT_MAX_PIXELS,
) -> np.ndarray:
    """Bool HxW hole mask for ``image``: decoded from ``mask``, or its strokes when ``None``.

    Raises ``InvalidMask`` for an unreadable mask, one of the wrong size, or no strokes found.
    """
    if mask is None:
        holes = mask_from_strokes(image)
        if not holes.any():
            raise InvalidMask(
                f"no strokes in {STROKE_COLOR} (magenta) found in the image, and no mask given"
            )
        return holes
    try:
        mask_image = decode_image(mask, max_pixels=max_pixels).image
    except ImageTooLarge:
        raise
    except AmethystError as exc:
        raise InvalidMask(f"the mask cannot be read: {exc}") from exc
    holes = to_bool_mask(mask_image)
    check_mask(holes, image.size)
    return holes
