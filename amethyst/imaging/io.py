"""Decode photos safely and encode results in the photo's own format.

Shared by the CLI and the service so both treat files alike: EXIF orientation is applied on
decode, a pixel limit is checked from the header before any pixel is decoded, and results are
written back in the input's format with its metadata (EXIF, ICC). A JPEG result keeps every
block the edit left alone bit-identical (``jpeg_blocks``), so its pixels and orientation tag stay as
stored; other results are written upright with the orientation reset.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, UnidentifiedImageError

from amethyst.errors import ImageTooLarge, InvalidImage
from amethyst.imaging.exif_orientation import SWAPS_AXES
from amethyst.imaging.jpeg_blocks import BlockEdit, NotBlockEditable, reencode_changed_blocks
from amethyst.imaging.structure_limits import check_structure

log = logging.getLogger(__name__)

DEFAULT_MAX_PIXELS = 50_000_000
JPEG_QUALITY = 95
# Speed over size for the lossless formats: zlib level 1 writes a 12 MP PNG 4x faster than
# Pillow's default 6 for 15 % more bytes; WebP method 0 is 3x (lossy) to 15x (lossless) faster.
PNG_COMPRESS_LEVEL = 1
WEBP_METHOD = 0
FAST_COMPRESSION_NOTE = {
    "PNG": f"PNG written for speed (zlib level {PNG_COMPRESS_LEVEL}): about 15 % larger than "
    "the smallest PNG, same pixels.",
    "WEBP": f"WebP written for speed (method {WEBP_METHOD}): larger than the slowest setting "
    "would give.",
}
# The formats Pillow may open: each other plugin is parser code we do not need (and EPS would
# run Ghostscript where it is installed).
READABLE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")
MAX_EXIF_BYTES = 1_000_000  # JPEG holds at most 64 KB; larger PNG or WebP EXIF is dropped
ORIENTATION_TAG = 0x0112
FORMAT_BY_SUFFIX = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
MIME_BY_FORMAT = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
SUFFIX_BY_FORMAT = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}
# How to turn stored pixels upright per EXIF orientation (as ImageOps.exif_transpose does, but
# without re-writing the EXIF block, which fails on malformed tags).
TRANSPOSE_BY_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass
class DecodedImage:
    """A decoded photo, upright, with what is needed to write a result back like it."""

    image: Image.Image
    format: str
    orientation: int = 1
    exif: bytes | None = None
    icc_profile: bytes | None = None
    lossless: bool = True
    source: bytes | None = field(default=None, repr=False)

    @property
    def mime_type(self) -> str:
        return MIME_BY_FORMAT.get(self.format, "image/png")


def _read_bytes(source: bytes | str | Path | BinaryIO) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise InvalidImage(f"cannot read {source}: {exc.strerror or exc}") from exc
    return source.read()


def _is_lossless_webp(data: bytes) -> bool:
    # A simple lossless WebP has a VP8L chunk; extended files name VP8L further on.
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP" and b"VP8L" in data[12:64]


def _orientation(exif: Image.Exif) -> int:
    """The EXIF orientation (1-8); a missing or malformed value means upright, as in viewers."""
    value = exif.get(ORIENTATION_TAG, 1)
    return int(value) if value in range(1, 9) else 1


def _exif_bytes(exif: Image.Exif, block: bytes | None) -> bytes | None:
    """The EXIF to write back, or None when the file had no EXIF ``block`` (a TIFF's tags
    describe its own layout), or one too large or too malformed to write again."""
    # Re-writing unpacks every value in Python: a 20 MB block took 7 s and 900 MB.
    if not len(exif) or block is None or len(block) > MAX_EXIF_BYTES:
        return None
    try:
        return exif.tobytes()
    except (struct.error, TypeError, ValueError, OverflowError):
        return None


def _bomb_message(exc: Exception, max_pixels: int | None) -> str:
    """Pillow's refusal of a huge header, in Amethyst's terms (Pillow names its own limit)."""
    declared = re.search(r"\((\d+) pixels\)", str(exc))
    size = f"{int(declared[1]) / 1e6:.0f} MP" if declared else "too many pixels"
    limit = min(max_pixels or Image.MAX_IMAGE_PIXELS, Image.MAX_IMAGE_PIXELS or max_pixels)
    return f"the image is too large: it declares {size}, over the limit of {limit / 1e6:.1f} MP"


@contextmanager
def _decode_errors(max_pixels: int | None) -> Iterator[None]:
    """Turn what Pillow raises on a bad or huge file into ``InvalidImage``/``ImageTooLarge``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (ImageTooLarge, InvalidImage):
        raise
    except UnidentifiedImageError as exc:
        raise InvalidImage("the data is not an image in a format Amethyst reads") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(_bomb_message(exc, max_pixels)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InvalidImage(f"the image is damaged or truncated: {exc}") from exc
    except MemoryError as exc:
        raise ImageTooLarge("the image is too large to decode in memory") from exc


def _open_checked(data: bytes, max_pixels: int | None) -> Image.Image:
    """Open ``data`` (header only) after checking its structure and declared size."""
    if not data:
        raise InvalidImage("the file is empty")
    check_structure(data)
    image = Image.open(io.BytesIO(data), formats=READABLE_FORMATS)
    width, height = image.size
    if width <= 0 or height <= 0:
        raise InvalidImage(f"the image declares an empty size {width}x{height}")
    if max_pixels is not None and width * height > max_pixels:
        raise ImageTooLarge(
            f"the image is {width}x{height} = {width * height / 1e6:.1f} MP, over the "
            f"limit of {max_pixels / 1e6:.1f} MP"
        )
    return image


@dataclass(frozen=True)
class ImageHeader:
    """What a photo's header says, read without decoding a pixel."""

    format: str
    size: tuple[int, int]  # upright (as displayed) width and height
    orientation: int


def read_header(data: bytes, *, max_pixels: int | None = DEFAULT_MAX_PIXELS) -> ImageHeader:
    """Check ``data`` as ``decode_image`` does and return its header; no pixel is decoded."""
    with _decode_errors(max_pixels):
        image = _open_checked(data, max_pixels)
        orientation = _orientation(image.getexif())
    width, height = image.size
    size = (height, width) if orientation in SWAPS_AXES else (width, height)
    return ImageHeader(image.format or "PNG", size, orientation)


def decode_image(
    source: bytes | str | Path | BinaryIO, *, max_pixels: int | None = DEFAULT_MAX_PIXELS
) -> DecodedImage:
    """Decode a photo, checking its declared size against ``max_pixels`` before decoding.

    Returns the image turned upright per its EXIF orientation. Raises ``ImageTooLarge`` or
    ``InvalidImage`` with a one-line reason.
    """
    data = _read_bytes(source)
    with _decode_errors(max_pixels):
        image = _open_checked(data, max_pixels)
        fmt = image.format or "PNG"
        exif = image.getexif()
        orientation = _orientation(exif)
        icc = image.info.get("icc_profile")
        exif_block = image.info.get("exif")
        image.load()
    upright = image.transpose(TRANSPOSE_BY_ORIENTATION[orientation]) if orientation != 1 else image
    if ORIENTATION_TAG in exif:
        exif[ORIENTATION_TAG] = 1  # pixels are upright now; also replaces a malformed value
    return DecodedImage(
        image=upright,
        format=fmt,
        orientation=orientation,
        exif=_exif_bytes(exif, exif_block),
        icc_profile=icc,
        lossless=fmt not in ("JPEG", "WEBP") or (fmt == "WEBP" and _is_lossless_webp(data)),
        source=data,
    )


def _jpeg_ready(image: Image.Image) -> Image.Image:
    """JPEG holds L, RGB and CMYK: flatten anything else onto those without inventing colour."""
    if image.mode in ("L", "RGB", "CMYK"):
        return image
    if image.mode in ("1", "I;16", "I", "F"):
        return image.convert("L")
    return image.convert("RGB")


def encode_image(
    image: Image.Image,
    format: str = "PNG",
    *,
    like: DecodedImage | None = None,
    quality: int = JPEG_QUALITY,
) -> bytes:
    """Encode ``image`` as ``format`` (PNG, JPEG or WEBP), carrying ``like``'s metadata.

    PNG is lossless. JPEG is written at high quality keeping the source's chroma subsampling,
    EXIF (orientation reset, since pixels are stored upright) and ICC profile. WebP stays
    lossless when the source was. PNG and WebP use their fastest compression settings.
    """
    fmt = format.upper().replace("JPG", "JPEG")
    params: dict = {}
    if like is not None:
        if like.exif:
            params["exif"] = like.exif
        if like.icc_profile:
            params["icc_profile"] = like.icc_profile
    out = io.BytesIO()
    if fmt == "JPEG":
        image = _jpeg_ready(image)
        params.update(quality=quality, optimize=True)
        if like is not None and like.format == "JPEG" and like.source is not None:
            params["subsampling"] = _jpeg_subsampling(like.source)
    elif fmt == "WEBP":
        params.update(
            lossless=like is None or like.lossless,
            quality=quality if like else 100,
            method=WEBP_METHOD,
        )
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    elif fmt == "PNG":
        params["compress_level"] = PNG_COMPRESS_LEVEL
        if image.mode in ("CMYK", "YCbCr", "LAB", "HSV", "F"):
            image = image.convert("RGB")
        if image.mode == "P" and "transparency" in image.info:
            params["transparency"] = image.info["transparency"]
    else:
        raise InvalidImage(f"cannot write {format!r}; use PNG, JPEG or WEBP")
    image.save(out, fmt, **params)
    return out.getvalue()


def _jpeg_subsampling(data: bytes) -> int:
    """Pillow's subsampling code (0=4:4:4, 1=4:2:2, 2=4:2:0) of a JPEG's bytes."""
    from PIL import JpegImagePlugin

    with Image.open(io.BytesIO(data)) as src:
        sampling = JpegImagePlugin.get_sampling(src)
    return sampling if sampling in (0, 1, 2) else 2


@dataclass
class EncodedResult:
    """An encoded result and how it was written, for callers to report."""

    data: bytes
    format: str
    notes: list[str] = field(default_factory=list)

    @property
    def mime_type(self) -> str:
        return MIME_BY_FORMAT[self.format]


def encode_result(
    result: Image.Image, original: DecodedImage, mask: object = None, format: str | None = None
) -> EncodedResult:
    """Encode an edited photo like its ``original``: same format and metadata unless asked.

    ``mask`` (HxW bool, displayed orientation) marks the pixels that changed. ``notes`` says
    anything a user should know about how the file was written. A JPEG saved as JPEG keeps
    every 8x8 block the edit left alone bit-identical (see ``jpeg_blocks``); when the file
    does not allow that, it is re-encoded whole at quality 95 and a note says why.
    """
    # Pillow names JPEGs with extra MPF pictures (phone depth or gain maps) MPO.
    fmt = (format or original.format).upper().replace("JPG", "JPEG").replace("MPO", "JPEG")
    notes: list[str] = []
    if format is None and fmt not in MIME_BY_FORMAT:
        # A GIF, BMP or TIFF photo: nobody asked for that format, so answer losslessly in PNG.
        notes.append(f"The {fmt} photo was written as PNG (Amethyst writes PNG, JPEG and WebP).")
        fmt = "PNG"
    if fmt == "JPEG" and original.format in ("JPEG", "MPO"):
        try:
            return _encode_jpeg_blocks(result, original)
        except NotBlockEditable as reason:
            log.warning("JPEG re-encoded whole, blocks could not be kept: %s", reason)
            notes.append(
                f"The JPEG was re-encoded whole at quality {JPEG_QUALITY} (pixels outside the "
                f"edit may shift slightly) because {reason}."
            )
    if fmt in FAST_COMPRESSION_NOTE:
        notes.append(FAST_COMPRESSION_NOTE[fmt])
    return EncodedResult(encode_image(result, fmt, like=original), fmt, notes)


def _encode_jpeg_blocks(result: Image.Image, original: DecodedImage) -> EncodedResult:
    """Re-encode only the blocks of ``original``'s JPEG that ``result`` changed."""
    if original.source is None:
        raise NotBlockEditable("the original file's bytes were not kept")
    if result.mode != original.image.mode:
        raise NotBlockEditable(
            f"the result is {result.mode} but the photo is {original.image.mode}"
        )
    # The blocks come from comparing pixels, not from ``mask``: exact whatever the engine did.
    edit = reencode_changed_blocks(
        original.source, np.asarray(original.image), np.asarray(result), original.orientation
    )
    return block_edit_result(edit)


def block_edit_result(edit: BlockEdit) -> EncodedResult:
    """A block-wise JPEG save as a result, with the note saying how much it kept."""
    note = (
        f"JPEG saved without generation loss: {edit.changed_blocks} of {edit.blocks} DCT blocks "
        "re-encoded with the photo's own quantization tables, all others copied unchanged."
    )
    return EncodedResult(edit.data, "JPEG", [note])
