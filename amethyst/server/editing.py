"""One edit from request bytes to encoded result: the job a fill thread runs.

Decoding, stroke detection, filling and encoding all run here, off the event loop, and the
library's errors pass through for the service to map to statuses.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from amethyst.api import inpaint
from amethyst.errors import AmethystError
from amethyst.imaging.holes import holes_for
from amethyst.imaging.io import EncodedResult, decode_image, encode_result
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


def run_edit(edit: Edit, engine: str, max_pixels: int) -> EditResult:
    """Decode, fill with ``engine`` (already resolved) and encode like the input."""
    started = time.perf_counter()
    try:
        decoded = decode_image(edit.image, max_pixels=max_pixels)
        holes = holes_for(decoded.image, edit.mask, max_pixels=max_pixels)
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
