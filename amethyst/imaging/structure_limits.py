"""Refuse files whose structure would make decoding slow or memory-hungry, before Pillow sees them.

Pillow walks JPEG segments, PNG chunks and GIF blocks, and decodes BMP runs, in Python, keeping
some of what it reads; libjpeg decodes every scan of a progressive JPEG over the whole image. A
small file made of millions of empty segments, or thousands of scans, can hold a thread for
minutes and take hundreds of MB (measured: 12 MB of empty APP1 segments, 26 s and 467 MB; 20 MB
of GIF comment blocks, 7 s and 770 MB; 20000 scans on 36 MP, 57 s; 4 MB of one-pixel BMP runs,
3.3 s). Real photos have tens of each. Pixel-count bombs are checked separately, from the header.
"""

from __future__ import annotations

from amethyst.errors import InvalidImage

MAX_JPEG_SCANS = 500  # libjpeg-turbo suggests 500; encoders write about 10
MAX_JPEG_SEGMENTS = 1000  # marker segments before the first scan
MAX_PNG_CHUNKS = 100_000  # a 30 MB PNG in 8 KB IDAT chunks has about 3700
MAX_GIF_BLOCKS = 10_000  # extension sub-blocks before the first frame (64 KB of XMP is 260)
MAX_RLE_BMP_BYTES = 1_000_000  # Pillow decodes BMP runs in Python: about 1 s per MB
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def check_structure(data: bytes) -> None:
    """Raise ``InvalidImage`` when ``data`` has more scans, segments, chunks or blocks than
    any real photo; costs at most a few milliseconds."""
    if data[:2] == b"\xff\xd8":
        _check_jpeg(data)
    elif data[:8] == PNG_SIGNATURE:
        _check_png(data)
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        _check_gif(data)
    elif data[:2] == b"BM":
        _check_bmp(data)


def _too_slow(what: str) -> InvalidImage:
    return InvalidImage(f"{what}: reading it would take too long")


def _check_jpeg(data: bytes) -> None:
    # 0xFFDA can only be a marker: entropy-coded data stuffs every 0xFF with a 0x00.
    scans = data.count(b"\xff\xda")
    if scans > MAX_JPEG_SCANS:
        raise _too_slow(f"the JPEG has {scans} scans, over the limit of {MAX_JPEG_SCANS}")
    position = 2
    for _ in range(MAX_JPEG_SEGMENTS):
        if position + 4 > len(data) or data[position] != 0xFF:
            return  # damaged: the decoder says what is wrong
        marker = data[position + 1]
        if marker == 0xDA:
            return
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            position += 2
        else:
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    raise _too_slow(f"the JPEG has over {MAX_JPEG_SEGMENTS} segments before its image data")


def _check_png(data: bytes) -> None:
    position = len(PNG_SIGNATURE)
    for _ in range(MAX_PNG_CHUNKS):
        if position + 8 > len(data) or data[position + 4 : position + 8] == b"IEND":
            return
        position += 12 + int.from_bytes(data[position : position + 4], "big")
    raise _too_slow(f"the PNG has over {MAX_PNG_CHUNKS} chunks")


def _check_gif(data: bytes) -> None:
    # Header (13 bytes) and global colour table, then extensions until the first image.
    flags = data[10] if len(data) > 10 else 0
    position = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    in_extension = False
    for _ in range(MAX_GIF_BLOCKS):  # each extension label and each sub-block counts
        if position >= len(data):
            return
        if in_extension:
            size = data[position]
            position += 1 + size
            in_extension = size > 0  # an empty sub-block ends the extension
        elif data[position] == 0x21:
            position += 2
            in_extension = True
        else:
            return  # the first image (or damage the decoder will name)
    raise _too_slow(f"the GIF has over {MAX_GIF_BLOCKS} blocks before its image")


def _check_bmp(data: bytes) -> None:
    # BITMAPINFOHEADER and later headers (size >= 40) name the compression at byte 30.
    header_size = int.from_bytes(data[14:18], "little")
    compression = int.from_bytes(data[30:34], "little") if header_size >= 40 else 0
    if compression in (1, 2) and len(data) > MAX_RLE_BMP_BYTES:
        raise _too_slow(f"the run-length BMP is over {MAX_RLE_BMP_BYTES / 1e6:g} MB")
