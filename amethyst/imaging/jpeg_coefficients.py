"""Read and write a JPEG's quantized DCT coefficients in memory, with jpeglib's libjpeg builds.

jpeglib works on file paths and its ``load``/``write_dct`` first copy the data to a temporary
file; the service must write no files. So the bytes live in anonymous in-memory files (Linux
``memfd``; a private temporary file elsewhere) and jpeglib's C calls are made on those directly.
"""

from __future__ import annotations

import ctypes
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import jpeglib
import numpy as np
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


def _pointer(array: np.ndarray | None, kind: type) -> ctypes._Pointer | None:
    return None if array is None else array.ctypes.data_as(ctypes.POINTER(kind))


def read_coefficients(data: bytes) -> jpeglib.DCTJPEG:
    """The JPEG ``data`` with its coefficients (``Y``, ``Cb``, ``Cr``) and tables loaded.

    Raises ``OSError`` when libjpeg cannot read the file.
    """
    with _memory_file(data) as (_, path), _libjpeg(SEQUENTIAL_BUILD):
        jpeg = jpeglib.read_dct(path)
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


def write_coefficients(jpeg: jpeglib.DCTJPEG, source: bytes) -> bytes:
    """``jpeg``'s coefficients and markers as a JPEG file, with ``source``'s coding parameters.

    Huffman tables are optimized; a progressive ``source`` gives a progressive file. Raises
    ``OSError`` when libjpeg cannot write it.
    """
    planes = [jpeg.Y, jpeg.Cb, jpeg.Cr] if jpeg.has_chrominance else [jpeg.Y, None, None]
    planes = [None if p is None else np.ascontiguousarray(p, np.int16) for p in planes]
    build = PROGRESSIVE_BUILD if jpeg.progressive_mode else SEQUENTIAL_BUILD
    with _memory_file(source) as (_, src), _memory_file() as (out, dst), _libjpeg(build):
        CJpegLib.write_jpeg_dct(
            srcfile=src,
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
            qt=None,  # the tables come with the critical parameters copied from ``source``
            quality=-1,
            quant_tbl_no=None,
            num_markers=jpeg.num_markers,
            marker_types=jpeg.c_marker_types(),
            marker_lengths=jpeg.c_marker_lengths(),
            markers=jpeg.c_markers(),
            flags=["+OPTIMIZE_CODING"],
        )
        return os.pread(out, os.fstat(out).st_size, 0)
