"""One edit from request bytes to encoded result: the job a fill thread runs.

Decoding, stroke detection, filling and encoding all run here, off the event loop, and the
library's errors pass through for the service to map to statuses. A JPEG photo with a mask,
answered as JPEG (the common case), is edited through the crop around the hole only: its DCT
coefficients are read once, the crop's pixels come from them, and only the blocks the fill
changed are re-encoded before the coefficients are written once. Everything else is decoded
once, filled crop-locally and encoded once. ``stage_ms`` says where the time went.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from amethyst.api import inpaint, variants
from amethyst.engines import get_engine
from amethyst.errors import AmethystError
from amethyst.imaging.holes import HoleMask, holes_for, read_mask
from amethyst.imaging.io import (
    EncodedResult,
    ImageHeader,
    block_edit_result,
    decode_image,
    encode_result,
    read_header,
)
from amethyst.imaging.jpeg_blocks import NotBlockEditable
from amethyst.imaging.jpeg_crop_edit import JpegCropEdit
from amethyst.imaging.masks import keep_out_mask
from amethyst.pipeline import fill_pixels
from amethyst.regions import hole_box
from amethyst.server.error_responses import BadRequest, ServiceFault
from amethyst.server.fill_pool import ClientGone, raise_if_cancelled

log = logging.getLogger("amethyst.server")
FORMATS = {"png": "PNG", "jpeg": "JPEG", "jpg": "JPEG", "webp": "WEBP"}
JPEG_FORMATS = ("JPEG", "MPO")  # Pillow names JPEGs with extra MPF pictures MPO
# Work a fill thread hands off to run beside its own (one job per edit at a time).
_SIDE_THREADS = ThreadPoolExecutor(thread_name_prefix="amethyst-side")


@dataclass(frozen=True)
class Edit:
    """What a client asked for: a photo, a mask (or ``None`` for magenta strokes), an engine,
    and which of its different fills (``variant``, counted modulo the engine's number)."""

    image: bytes
    mask: bytes | None
    engine: str
    format: str | None = None
    variant: int = 0
    keep_out: bytes | None = None  # pixels the fill copies nothing from


@dataclass(frozen=True)
class EditResult:
    encoded: EncodedResult
    engine: str
    width: int
    height: int
    elapsed_ms: float
    variant: int  # the fill given, modulo ``variants``
    variants: int  # how many different fills the engine gives
    stage_ms: dict[str, float] = field(default_factory=dict)
    stage_cpu_ms: dict[str, float] = field(default_factory=dict)


class _Stages:
    """Wall and process CPU time per named stage, in ms, summed over the stage's uses.

    CPU time counts every thread of the process, so it means one stage's cost only when one
    edit runs at a time (``scripts/load_bench.py --profile``).
    """

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}
        self.cpu_ms: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            spent = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu_started) * 1000
            self.ms[name] = round(self.ms.get(name, 0.0) + spent, 1)
            self.cpu_ms[name] = round(self.cpu_ms.get(name, 0.0) + cpu, 1)


def output_format(name: str | None) -> str | None:
    """``png``/``jpeg``/``jpg``/``webp`` in any case as a format name, ``None`` for the input's."""
    if name is None or name == "":
        return None
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise BadRequest(f"format {name!r} is not one of png, jpeg, webp") from None


def _edit_jpeg_blocks(
    edit: Edit, header: ImageHeader, engine: str, max_pixels: int, stage: _Stages
) -> EncodedResult:
    """The JPEG photo edited through the crop around the hole: no full-frame pixels.

    The mask is decoded on a side thread while the coefficients are read (both release the GIL),
    so a lone request uses both cores for its two largest reads.
    """

    def read_holes() -> tuple[HoleMask, np.ndarray | None]:
        with stage("holes"):
            holes = read_mask(
                edit.mask, header.size, orientation=header.orientation, max_pixels=max_pixels
            )
            kept = _read_keep_out(edit, header.size, header.orientation, max_pixels)
            return holes, keep_out_mask(kept, holes.mask)

    holes_job = _SIDE_THREADS.submit(contextvars.copy_context().run, read_holes)
    with stage("decode"):
        jpeg = JpegCropEdit(edit.image, header.orientation)
    holes, kept = holes_job.result()
    with stage("holes"):
        box = hole_box(holes.mask)
    if box is None:
        raise_if_cancelled("its unchanged photo was not encoded")
        with stage("encode"):
            return _with_note(block_edit_result(jpeg.save()), holes)
    with stage("decode"):
        pixels = jpeg.pixels(box)
    with stage("fill"):
        filled = fill_pixels(
            pixels,
            holes.mask[box.slices],
            get_engine(engine),
            None if kept is None else kept[box.slices],
            variant=edit.variant,
        )
    raise_if_cancelled("its fill's result was not encoded")
    with stage("encode"):
        return _with_note(block_edit_result(jpeg.save(box, filled)), holes)


def _edit_decoded(edit: Edit, engine: str, max_pixels: int, stage: _Stages) -> EncodedResult:
    """Any photo: decoded once, filled around the hole, encoded once."""
    with stage("decode"):
        decoded = decode_image(edit.image, max_pixels=max_pixels)
    with stage("holes"):
        holes = holes_for(
            decoded.image, edit.mask, orientation=decoded.orientation, max_pixels=max_pixels
        )
        kept = _read_keep_out(edit, decoded.image.size, decoded.orientation, max_pixels)
    with stage("fill"):
        result = inpaint(decoded.image, holes.mask, engine, variant=edit.variant, keep_out=kept)
    raise_if_cancelled("its fill's result was not encoded")
    with stage("encode"):
        return _with_note(encode_result(result, decoded, holes.mask, edit.format), holes)


def _read_keep_out(
    edit: Edit, size: tuple[int, int], orientation: int, max_pixels: int
) -> np.ndarray | None:
    """The edit's keep-out mask, decoded and checked against the photo; None without one."""
    if edit.keep_out is None:
        return None
    read = read_mask(
        edit.keep_out, size, orientation=orientation, max_pixels=max_pixels, name="keep_out"
    )
    return read.mask


def _with_note(encoded: EncodedResult, holes: HoleMask) -> EncodedResult:
    if holes.note:
        encoded.notes.insert(0, holes.note)
    return encoded


def _block_editable(edit: Edit, header: ImageHeader) -> bool:
    """A JPEG with a mask, answered as JPEG: the case edited block-wise through one crop."""
    return edit.mask is not None and header.format in JPEG_FORMATS and edit.format in (None, "JPEG")


def run_edit(edit: Edit, engine: str, max_pixels: int) -> EditResult:
    """Decode, fill with ``engine`` (already resolved) and encode like the input."""
    started = time.perf_counter()
    stage = _Stages()
    try:
        with stage("decode"):
            header = read_header(edit.image, max_pixels=max_pixels)
        encoded = None
        if _block_editable(edit, header):
            try:
                encoded = _edit_jpeg_blocks(edit, header, engine, max_pixels, stage)
            except NotBlockEditable as reason:
                log.info("JPEG decoded whole, its blocks cannot be edited in place: %s", reason)
        if encoded is None:
            encoded = _edit_decoded(edit, engine, max_pixels, stage)
    except (AmethystError, ClientGone):
        raise
    except Exception as exc:  # a bug on our side, not the client's: a 500 with a request id
        raise ServiceFault(f"{type(exc).__name__}: {exc}") from exc
    for note in encoded.notes:
        log.info("encode note: %s", note)
    width, height = header.size
    elapsed_ms = (time.perf_counter() - started) * 1000
    count = variants(engine)
    return EditResult(
        encoded,
        engine,
        width,
        height,
        round(elapsed_ms, 1),
        edit.variant % count,
        count,
        stage.ms,
        stage.cpu_ms,
    )
