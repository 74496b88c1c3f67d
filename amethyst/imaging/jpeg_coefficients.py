"""Read and write a JPEG's quantized DCT coefficients in memory, with jpeglib's libjpeg builds.

jpeglib works on file paths and its ``load``/``write_dct`` first copy the data to a temporary
file; the service must write no files. So the bytes live in anonymous in-memory files (Linux
``memfd``; a private temporary file elsewhere) and jpeglib's C calls are made on those directly.

Each call costs a pass over the file's entropy-coded data, so there is one of each: the header
is parsed here (jpeglib's own header reader decodes every scan just to count them), and a
sequential file is written without re-reading the source when its tables and defaults say all
that libjpeg would copy from it.
"""

from __future__ import annotations

import ctypes
import os
import struct
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import jpeglib
import numpy as np
from jpeglib import Colorspace, Marker, MarkerType
from jpeglib._bind import CJpegLib

SEQUENTIAL_BUILD = "turbo210"
# mozjpeg's defaults write progressive scans, so progressive files stay progressive.
PROGRESSIVE_BUILD = "mozjpeg403"
# jpeglib selects its libjpeg build globally; one call at a time keeps threads from mixing them.
_LIBJPEG = threading.Lock()


@contextmanager
def _libjpeg(build: str) -> Iterator[None]:
    with _LIBJPEG, jpeglib.version(build):
        yield


@contextmanager
def _memory_file(data: bytes = b"") -> Iterator[tuple[int, str]]:
    """A file descriptor holding ``data`` and a path that libjpeg can ``fopen``."""
    if hasattr(os, "memfd_create"):
        fd, path = os.memfd_create("amethyst-jpeg"), None
    else:
        fd, path = tempfile.mkstemp(suffix=".jpg")
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        yield fd, path or f"/proc/self/fd/{fd}"
    finally:
        os.close(fd)
        if path:
            os.unlink(path)


# Start-of-frame markers libjpeg reads and jpeglib writes back: Huffman-coded, 8 bit.
_FRAMES = {0xC0: False, 0xC1: False, 0xC2: True}  # marker: progressive
_OTHER_FRAMES = {0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_STANDALONE = {0x01, *range(0xD0, 0xD9)}  # TEM, RSTn and a second SOI
_JFIF = b"JFIF\0"
_MAX_SIDE = 65500  # libjpeg's JPEG_MAX_DIMENSION
_DEFAULT_DENSITY = b"\0\0\x01\0\x01"  # JFIF unit 0, density 1:1: what libjpeg writes itself


def _segments(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(marker, content) of each segment from SOI up to the first SOS, strictly parsed."""
    if data[:2] != b"\xff\xd8":
        raise OSError("not a JPEG file")
    position = 2
    while True:
        if data[position : position + 1] != b"\xff":
            raise OSError("a segment does not start with a marker")
        marker = data[position + 1] if position + 1 < len(data) else 0xD9
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _STANDALONE or marker == 0xD9:
            raise OSError(f"marker {marker:#x} before the first scan")
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2 or position + 2 + length > len(data):
            raise OSError("a segment runs past the end of the file")
        yield marker, data[position + 4 : position + 2 + length]
        if marker == 0xDA:
            return
        position += 2 + length


def _check_tables(marker: int, content: bytes) -> None:
    """Refuse the Huffman and quantization tables libjpeg would reject (``jdmarker.c``,
    ``jdhuff.c``): its fatal errors on them crash jpeglib's C layer instead of raising."""
    position = 0
    while position < len(content):
        index = content[position]
        if marker == 0xC4:  # DHT
            if index & 0x0F > 3 or index >> 4 > 1 or position + 17 > len(content):
                raise OSError("a bad Huffman table header")
            counts = content[position + 1 : position + 17]
            symbols = content[position + 17 : position + 17 + sum(counts)]
            if sum(counts) > 256 or len(symbols) < sum(counts):
                raise OSError("a Huffman table with too many codes")
            code = 0
            for length, count in enumerate(counts, start=1):
                code += count
                if code > 1 << length:
                    raise OSError("a Huffman table whose codes do not fit their lengths")
                code <<= 1
            if index >> 4 == 0 and any(symbol > 15 for symbol in symbols):
                raise OSError("a DC Huffman table with a symbol over 15")
            position += 17 + len(symbols)
        else:  # DQT
            size = 128 if index >> 4 else 64
            if index & 0x0F > 3 or index >> 4 > 1 or position + 1 + size > len(content):
                raise OSError("a bad quantization table")
            position += 1 + size


def _check_scan_header(content: bytes, frame_ids: list[int]) -> None:
    """Refuse a first scan header libjpeg would reject: 1-4 distinct components of the frame."""
    count = content[0] if content else 0
    if not 1 <= count <= 4 or len(content) != 4 + 2 * count:
        raise OSError("a scan header of the wrong length")
    ids = [content[1 + 2 * i] for i in range(count)]
    if len(set(ids)) != count or not set(ids) <= set(frame_ids):
        raise OSError("a scan of components the frame does not have")


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def _color_space(ids: list[int], jfif: bool, adobe_transform: int | None) -> Colorspace:
    """The colour space libjpeg-turbo infers for a file (``jdapimin.c``)."""
    if len(ids) == 1:
        return Colorspace.JCS_GRAYSCALE
    if len(ids) == 4:
        return Colorspace.JCS_YCCK if adobe_transform == 2 else Colorspace.JCS_CMYK
    if jfif:
        return Colorspace.JCS_YCbCr
    if adobe_transform is not None:
        return Colorspace.JCS_RGB if adobe_transform == 0 else Colorspace.JCS_YCbCr
    return Colorspace.JCS_RGB if ids == [82, 71, 66] else Colorspace.JCS_YCbCr


def read_header(data: bytes) -> jpeglib.DCTJPEG:
    """``data``'s frame and metadata segments, without decoding a scan.

    Raises ``OSError`` for anything but one 8-bit Huffman-coded frame with 1, 3 or 4 components.
    """
    markers: list[Marker] = []
    frame: tuple[int, bytes] | None = None
    scan = b""
    jfif, adobe_transform = False, None
    for marker, content in _segments(data):
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            markers.append(Marker(MarkerType(marker), len(content), content))
            jfif |= marker == 0xE0 and len(content) >= 12 and content.startswith(_JFIF)
            if marker == 0xEE and len(content) >= 10 and content.startswith(b"Adobe"):
                adobe_transform = content[9]
        elif marker in _FRAMES:
            if frame is not None:
                raise OSError("two frame headers")
            frame = (marker, content)
        elif marker in _OTHER_FRAMES:
            raise OSError(f"frame type {marker:#x} (lossless, hierarchical or arithmetic)")
        elif marker in (0xC4, 0xDB):
            _check_tables(marker, content)
        elif marker == 0xDD:
            if len(content) != 2:
                raise OSError("a restart interval segment of the wrong length")
        elif marker == 0xDA:
            scan = content
        else:  # libjpeg stops on any other marker before the first scan
            raise OSError(f"an unexpected marker {marker:#x} before the first scan")
    if frame is None:
        raise OSError("no frame header before the first scan")
    kind, content = frame
    if len(content) < 6:
        raise OSError("a truncated frame header")
    precision, height, width, count = content[0], *struct.unpack(">HH", content[1:5]), content[5]
    sizes_ok = 0 < height <= _MAX_SIDE and 0 < width <= _MAX_SIDE
    if precision != 8 or not sizes_ok or count not in (1, 3, 4):
        raise OSError(f"a {precision}-bit frame of {width}x{height} with {count} components")
    if len(content) != 6 + 3 * count:
        raise OSError("a frame header of the wrong length")
    ids = [content[6 + 3 * i] for i in range(count)]
    factors = np.array([[content[7 + 3 * i] & 15, content[7 + 3 * i] >> 4] for i in range(count)])
    if not ((factors >= 1) & (factors <= 4)).all():
        raise OSError("a sampling factor outside 1-4")
    _check_scan_header(scan, ids)
    most = factors.max(axis=0)
    block_dims = np.array(
        [
            [
                _ceil_div(_ceil_div(height * v, most[0]), 8),
                _ceil_div(_ceil_div(width * h, most[1]), 8),
            ]
            for v, h in factors
        ],
        np.int32,
    )
    return jpeglib.DCTJPEG(
        path=None,
        content=None,
        height=height,
        width=width,
        block_dims=block_dims,
        samp_factor=factors.astype(np.int32),
        jpeg_color_space=_color_space(ids, jfif, adobe_transform),
        num_scans=0,
        quant_tbl_no=None,
        markers=markers,
        huffmans=[],
        Y=None,
        Cb=None,
        Cr=None,
        K=None,
        qt=None,
        progressive_mode=_FRAMES[kind],
    )


def _pointer(array: np.ndarray | None, kind: type) -> ctypes._Pointer | None:
    return None if array is None else array.ctypes.data_as(ctypes.POINTER(kind))


def read_coefficients(data: bytes) -> jpeglib.DCTJPEG:
    """The JPEG ``data`` with its coefficients (``Y``, ``Cb``, ``Cr``) and tables loaded.

    Raises ``OSError`` when libjpeg cannot read the file.
    """
    jpeg = read_header(data)
    with _memory_file(data) as (_, path), _libjpeg(SEQUENTIAL_BUILD):
        components = jpeg.num_components
        planes = [
            np.zeros((jpeg.height_in_blocks(i), jpeg.width_in_blocks(i), 64), np.int16)
            for i in range(components)
        ] + [None] * (4 - components)
        tables = np.zeros((4, 64), np.uint16)
        assignment = np.zeros(4, np.int16)
        CJpegLib.read_jpeg_dct(
            srcfile=path,
            Y=_pointer(planes[0], ctypes.c_short),
            Cb=_pointer(planes[1], ctypes.c_short),
            Cr=_pointer(planes[2], ctypes.c_short),
            K=_pointer(planes[3], ctypes.c_short),
            qt=_pointer(tables, ctypes.c_ushort),
            quant_tbl_no=_pointer(assignment, ctypes.c_short),
        )
    blocks = [plane.reshape(*plane.shape[:2], 8, 8) for plane in planes[:components]]
    jpeg.Y, jpeg.Cb, jpeg.Cr, jpeg.K = blocks + [None] * (4 - components)
    jpeg.quant_tbl_no = assignment[:components]
    jpeg.qt = tables[: assignment[:components].max() + 1].reshape(-1, 8, 8)
    return jpeg


def _copies_from_source(jpeg: jpeglib.DCTJPEG, source: bytes) -> bool:
    """Whether the write must copy coding parameters from ``source`` (a second pass over it).

    Not needed for a sequential file whose tables sit in the usual slots and whose JFIF header,
    if any, has libjpeg's default density: the tables are passed directly instead.
    """
    if jpeg.progressive_mode or jpeg.quant_tbl_no.tolist() not in ([0], [0, 1, 1], [0, 1, 2]):
        return True
    return any(
        marker.content.startswith(_JFIF) and marker.content[7:12] != _DEFAULT_DENSITY
        for marker in read_header(source).markers
        if marker.type == MarkerType.JPEG_APP0
    )


def write_coefficients(jpeg: jpeglib.DCTJPEG, source: bytes) -> bytes:
    """``jpeg``'s coefficients and markers as a JPEG file, with ``source``'s coding parameters.

    A sequential file is written in one pass with the standard Huffman tables (what cameras
    write; optimizing them would save about 5 % of the size for a second pass over every
    block); a progressive ``source`` gives a progressive file, whose tables libjpeg always
    optimizes. Raises ``OSError`` when libjpeg cannot write it.
    """
    planes = [jpeg.Y, jpeg.Cb, jpeg.Cr] if jpeg.has_chrominance else [jpeg.Y, None, None]
    planes = [None if p is None else np.ascontiguousarray(p, np.int16) for p in planes]
    build = PROGRESSIVE_BUILD if jpeg.progressive_mode else SEQUENTIAL_BUILD
    copy = _copies_from_source(jpeg, source)
    tables = None if copy else np.ascontiguousarray(jpeg.qt.reshape(-1, 64), np.uint16)
    slots = None if copy else np.ascontiguousarray(jpeg.quant_tbl_no, np.int16)
    with (
        _memory_file(source if copy else b"") as (_, src),
        _memory_file() as (out, dst),
        _libjpeg(build),
    ):
        CJpegLib.write_jpeg_dct(
            srcfile=src if copy else None,
            dstfile=dst,
            Y=_pointer(planes[0], ctypes.c_short),
            Cb=_pointer(planes[1], ctypes.c_short),
            Cr=_pointer(planes[2], ctypes.c_short),
            K=None,
            image_dims=jpeg.c_image_dims(),
            block_dims=jpeg.c_block_dims(),
            in_color_space=int(jpeg.jpeg_color_space),
            in_components=jpeg.num_components,
            samp_factor=jpeg.c_samp_factor(),
            qt=_pointer(tables, ctypes.c_ushort),
            quality=-1,
            quant_tbl_no=_pointer(slots, ctypes.c_short),
            num_markers=jpeg.num_markers,
            marker_types=jpeg.c_marker_types(),
            marker_lengths=jpeg.c_marker_lengths(),
            markers=jpeg.c_markers(),
            flags=["-OPTIMIZE_CODING"],
        )
        return os.pread(out, os.fstat(out).st_size, 0)
