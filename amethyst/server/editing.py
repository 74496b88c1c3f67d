"""One edit from request bytes to encoded result: the job a fill thread runs.

Decoding, stroke detection, filling and encoding all run here, off the event loop, and the
library's errors pass through for the service to map to statuses.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from amethyst.api import inpaint
from amethyst.errors import AmethystError, ImageTooLarge, InvalidMask
from amethyst.imaging.io import EncodedResult, decode_image, encode_result
from amethyst.imaging.masks import check_mask, to_bool_mask
from amethyst.imaging.strokes import STROKE_COLOR, mask_from_strokes
from amethyst.server.error_responses import BadRequest, ServiceFault

log = logging.getLogger("amethyst.server")
FORMATS = {"png": "PNG", "jpeg": "JPEG", "jpg": "JPEG", "webp": "WEBP"}


@dataclass(frozen=True)
class Edit:
    """What a client asked for: a photo, a mask (or ``None`` for magenta strokes), an engine."""

    image: bytes
    mask: bytes | None
    engine: str
    format: str | None = None


@dataclass(frozen=True)
class EditResult:
    encoded: EncodedResult
    engine: str
    width: int
    height: int
    elapsed_ms: float


def output_format(name: str | None) -> str | None:
    """``png``/``jpeg``/``jpg``/``webp`` in any case as a format name, ``None`` for the input's."""
    if name is None or name == "":
        return None
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise BadRequest(f"format {name!r} is not one of png, jpeg, webp") from None


def _holes(edit: Edit, decoded_image: object, max_pixels: int) -> np.ndarray:
    if edit.mask is None:
        holes = mask_from_strokes(decoded_image)
        if not holes.any():
            raise InvalidMask(
                f"no strokes in {STROKE_COLOR} (magenta) found in the image, and no mask given"
            )
        return holes
    try:
        mask_image = decode_image(edit.mask, max_pixels=max_pixels).image
    except ImageTooLarge:
        raise
    except AmethystError as exc:
        raise InvalidMask(f"the mask cannot be read: {exc}") from exc
    holes = to_bool_mask(mask_image)
    check_mask(holes, decoded_image.size)
    return holes


def run_edit(edit: Edit, engine: str, max_pixels: int) -> EditResult:
    """Decode, fill with ``engine`` (already resolved) and encode like the input."""
    started = time.perf_counter()
    try:
        decoded = decode_image(edit.image, max_pixels=max_pixels)
        holes = _holes(edit, decoded.image, max_pixels)
        result = inpaint(decoded.image, holes, engine)
        encoded = encode_result(result, decoded, holes, edit.format)
    except AmethystError:
        raise
    except Exception as exc:  # a bug on our side, not the client's: a 500 with a request id
        raise ServiceFault(f"{type(exc).__name__}: {exc}") from exc
    for note in encoded.notes:
        log.info("encode note: %s", note)
    width, height = decoded.image.size
    elapsed_ms = (time.perf_counter() - started) * 1000
    return EditResult(encoded, engine, width, height, round(elapsed_ms, 1))
