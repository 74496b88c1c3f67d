"""Regenerate the fuzz corpus in tests/fuzz: bad (and odd but valid) inputs for the service.

Every file is derived from one real photo (tests/data/chelsea.jpg) by fixed rules, so running
this twice writes the same files. ``manifest.json`` says, per file, what it is, which request
field it goes into, and what the service may answer:

- ``role``: ``image`` (the photo field: ``img``, ``image`` or the multipart ``image`` file),
  ``mask`` (the mask field, sent with ``base/photo.png``) or ``body`` (a whole request body
  for ``endpoint``, sent with ``content_type``; JSON when that is null).
- ``expect``: ``reject`` (a 4xx with a JSON ``error``), ``accept`` (a correct result) or
  ``either`` (one of the two, e.g. formats the service does not promise to read).
- ``decode``: for image and mask files, what ``amethyst.imaging.io.decode_image`` must do:
  ``ok``, ``InvalidImage``, ``ImageTooLarge`` or ``any`` (ok or InvalidImage).
- ``message``: text the error must contain (e.g. both sizes for a mask of the wrong size).

Enormous payloads (bodies over the upload limit) are made at test time instead of stored.

Usage: ``python scripts/make_fuzz_corpus.py [OUT_DIR]`` (default tests/fuzz).
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import struct
import sys
import zlib
from dataclasses import asdict
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.fuzz.corpus import Entry  # noqa: E402  (one definition of a manifest row)

ROOT = Path(__file__).resolve().parent.parent
SOURCE_PHOTO = ROOT / "tests" / "data" / "chelsea.jpg"
DEFAULT_OUT = ROOT / "tests" / "fuzz"
SIZE = (64, 48)  # the base photo every mask is checked against
BOMB_SIDE = 100_000
TRUNCATE_AT = (0.02, 0.1, 0.25, 0.5, 0.75, 0.9)
COMPLETE, INPAINT = "/complete-image", "/api/v1/inpaint"


class Corpus:
    """Collects files and their manifest entries under one folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.entries: list[Entry] = []

    def add(self, path: str, data: bytes, **entry: object) -> None:
        target = self.out / "corpus" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.entries.append(Entry(file=f"corpus/{path}", **entry))

    def write_manifest(self) -> None:
        rows = [asdict(e) for e in sorted(self.entries, key=lambda e: e.file)]
        (self.out / "manifest.json").write_text(json.dumps(rows, indent=1) + "\n")


# --- encoders and byte surgery -------------------------------------------------------------


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_header(width: int, height: int, depth: int = 8, colour: int = 2) -> bytes:
    """A PNG whose IHDR declares ``width`` x ``height``, with one small (short) IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def jpeg_with_size(data: bytes, width: int, height: int) -> bytes:
    """``data`` (a JPEG) with its frame header claiming ``width`` x ``height``."""
    for marker in (b"\xff\xc0", b"\xff\xc2"):
        at = data.find(marker)
        if at >= 0:
            return data[: at + 5] + struct.pack(">HH", height, width) + data[at + 9 :]
    raise ValueError("no SOF marker")


def gif_with_size(data: bytes, width: int, height: int) -> bytes:
    """``data`` (a GIF) with its screen and first frame both claiming ``width`` x ``height``."""
    frame = data.index(b",\0\0\0\0") + 5
    size = struct.pack("<HH", width, height)
    return data[:6] + size + data[10:frame] + size + data[frame + 4 :]


def bmp_with_size(data: bytes, width: int, height: int) -> bytes:
    return data[:18] + struct.pack("<ii", width, height) + data[26:]


def tiff_with_size(data: bytes, width: int, height: int) -> bytes:
    """``data`` (a little-endian TIFF) with its ImageWidth/ImageLength tags replaced."""
    out = bytearray(data)
    ifd = struct.unpack_from("<I", data, 4)[0]
    for i in range(struct.unpack_from("<H", data, ifd)[0]):
        entry = ifd + 2 + 12 * i
        tag, kind = struct.unpack_from("<HH", data, entry)
        if tag in (256, 257):
            value = width if tag == 256 else height
            if kind == 3:
                struct.pack_into("<HH", out, entry + 8, min(value, 0xFFFF), 0)
            else:
                struct.pack_into("<I", out, entry + 8, value)
    return bytes(out)


def webp_lossless_with_size(data: bytes, width: int, height: int) -> bytes:
    """A VP8L WebP whose bitstream header claims ``width`` x ``height`` (at most 16384)."""
    bits = struct.unpack_from("<I", data, 21)[0]
    bits = (bits & ~0x0FFFFFFF) | (width - 1) | ((height - 1) << 14)
    return data[:21] + struct.pack("<I", bits) + data[25:]


def webp_lossy_with_size(data: bytes, width: int, height: int) -> bytes:
    """A VP8 WebP whose frame header claims ``width`` x ``height`` (at most 16383)."""
    return data[:26] + struct.pack("<HH", width, height) + data[30:]


def jpeg_scan_bomb(side: int, scans: int) -> bytes:
    """A black progressive JPEG with one of its small AC scans (and its Huffman table) repeated.

    libjpeg decodes every scan over the whole image, so this costs ``scans`` full passes.
    """
    data = encode(Image.new("RGB", (side, side)), "JPEG", progressive=True, quality=50)
    starts = [i for i in range(len(data) - 1) if data[i] == 0xFF and data[i + 1] in (0xC4, 0xDA)]
    ends = [*starts[1:], len(data) - 2]
    # The smallest table-then-scan pair: a DHT segment directly followed by its SOS.
    pairs = [
        (starts[k], ends[k + 1])
        for k in range(len(starts) - 1)
        if data[starts[k] + 1] == 0xC4 and data[starts[k + 1] + 1] == 0xDA
    ]
    start, end = min(pairs, key=lambda pair: pair[1] - pair[0])
    return data[:-2] + data[start:end] * scans + data[-2:]


def exif_block(entries: list[tuple[int, int, int, bytes]], extra: bytes = b"") -> bytes:
    """Raw EXIF (``Exif\\0\\0`` + little-endian TIFF IFD) of (tag, type, count, value) rows."""
    body = struct.pack("<H", len(entries))
    body += b"".join(struct.pack("<HHI", t, k, c) + v.ljust(4, b"\0") for t, k, c, v in entries)
    return b"Exif\x00\x00II*\x00" + struct.pack("<I", 8) + body + b"\0\0\0\0" + extra


def srgb_profile() -> bytes:
    """An sRGB ICC profile with a fixed creation date (LittleCMS stamps the current time)."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
    return bytes(profile)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- the corpus ----------------------------------------------------------------------------


def base_photo() -> Image.Image:
    with Image.open(SOURCE_PHOTO) as photo:
        return photo.convert("RGB").resize(SIZE, Image.Resampling.LANCZOS)


def hole(size: tuple[int, int] = SIZE) -> np.ndarray:
    """A rectangle in the middle third: the mask every accepted request uses."""
    width, height = size
    mask = np.zeros((height, width), np.uint8)
    mask[height // 3 : max(height // 3 + 1, 2 * height // 3), width // 3 : 2 * width // 3 + 1] = 255
    if mask.all():
        mask[0, 0] = 0
    return mask


def with_strokes(photo: Image.Image) -> Image.Image:
    pixels = np.array(photo)
    pixels[20:24, 10:50] = (255, 0, 255)
    return Image.fromarray(pixels)


def add_truncated(corpus: Corpus, photo: Image.Image) -> None:
    seeds = {
        "png": encode(photo, "PNG"),
        "jpeg": encode(photo, "JPEG", quality=90),
        "jpeg_progressive": encode(photo, "JPEG", quality=90, progressive=True),
        "webp": encode(photo, "WEBP", quality=90),
        "webp_lossless": encode(photo, "WEBP", lossless=True),
        "gif": encode(photo, "GIF"),
        "bmp": encode(photo, "BMP"),
        "tiff": encode(photo, "TIFF"),
    }
    for name, data in seeds.items():
        for fraction in TRUNCATE_AT:
            cut = max(1, int(len(data) * fraction))
            corpus.add(
                f"image/truncated/{name}_{int(fraction * 100):02d}pct.bin",
                data[:cut],
                role="image",
                what=f"{name} cut to {cut} of {len(data)} bytes",
                expect="reject",
                decode="InvalidImage",
            )
        corpus.add(
            f"image/truncated/{name}_minus1.bin",
            data[:-1],
            role="image",
            what=f"{name} missing its last byte (some decoders tolerate this)",
            expect="either",
            decode="any",
        )


def add_wrong_magic(corpus: Corpus, photo: Image.Image) -> None:
    png, jpeg, gif = encode(photo, "PNG"), encode(photo, "JPEG"), encode(photo, "GIF")
    webp, bmp, tiff = encode(photo, "WEBP"), encode(photo, "BMP"), encode(photo, "TIFF")
    rng = np.random.default_rng(7)
    cases = {
        "png_zeroed_signature": b"\0" * 8 + png[8:],
        "png_lowercase_signature": b"\x89png\r\n\x1a\n" + png[8:],
        "png_unix_newlines": png.replace(b"\r\n", b"\n", 1),
        "png_bad_ihdr_crc": png[:29] + b"\0\0\0\0" + png[33:],
        "jpeg_no_soi": b"\0\0" + jpeg[2:],
        "jpeg_soi_only": jpeg[:2],
        "jpeg_header_then_png": jpeg[:20] + png[20:],
        "gif_bad_version": b"GIF00a" + gif[6:],
        "webp_rifx": b"RIFX" + webp[4:],
        "webp_wrong_fourcc": webp[:8] + b"WEBQ" + webp[12:],
        "bmp_bad_magic": b"XX" + bmp[2:],
        "tiff_bad_magic": b"II+\x00" + tiff[4:],
        "png_signature_only": png[:8],
        "png_signature_then_jpeg": png[:8] + jpeg,
        "html": b"<!doctype html><html><body>not an image</body></html>",
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"/>',
        "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        "zip": b"PK\x05\x06" + b"\0" * 18,
        "gzip_of_png": zlib.compress(png),
        "elf": b"\x7fELF\x02\x01\x01" + b"\0" * 57,
        "json_text": b'{"img": "not an image"}',
        "utf16_text": "hello".encode("utf-16"),
        "one_byte": b"\x89",
        "zeros_1k": b"\0" * 1024,
        "ff_1k": b"\xff" * 1024,
        "random_1k": rng.integers(0, 256, 1024, dtype=np.uint8).tobytes(),
    }
    for name, data in cases.items():
        corpus.add(
            f"image/magic/{name}.bin",
            data,
            role="image",
            what=f"not a readable image: {name.replace('_', ' ')}",
            expect="reject",
            decode="InvalidImage",
        )


def add_bombs(corpus: Corpus, photo: Image.Image) -> None:
    """Headers that declare huge sizes; nothing must be allocated for them."""
    side = BOMB_SIDE
    cases = {
        "png_100000x100000": png_with_header(side, side),
        "png_100000x100000_16bit_rgba": png_with_header(side, side, 16, 6),
        "png_1x2147483647": png_with_header(1, 2**31 - 1),
        "png_2147483647x1": png_with_header(2**31 - 1, 1),
        "png_7072x7072_just_over_50mp": png_with_header(7072, 7072),
        "jpeg_65500x65500": jpeg_with_size(encode(photo, "JPEG"), 65500, 65500),
        "jpeg_progressive_65500x65500": jpeg_with_size(
            encode(photo, "JPEG", progressive=True), 65500, 65500
        ),
        "webp_lossless_16384x16384": webp_lossless_with_size(
            encode(photo, "WEBP", lossless=True), 16384, 16384
        ),
        "webp_lossy_16383x16383": webp_lossy_with_size(encode(photo, "WEBP"), 16383, 16383),
        "gif_65535x65535": gif_with_size(encode(photo, "GIF"), 65535, 65535),
        "bmp_100000x100000": bmp_with_size(encode(photo, "BMP"), side, side),
        "tiff_100000x100000": tiff_with_size(encode(photo, "TIFF"), side, side),
    }
    for name, data in cases.items():
        corpus.add(
            f"image/bomb/{name}.bin",
            data,
            role="image",
            what=f"header declares a huge image ({name.split('_', 1)[1]}), data is tiny",
            expect="reject",
            decode="ImageTooLarge",
        )
    corpus.add(
        "image/bomb/jpeg_600_progressive_scans.bin",
        jpeg_scan_bomb(1024, 600),
        role="image",
        what="1024x1024 progressive JPEG with 600 scans: each is a full decoding pass",
        expect="reject",
        decode="InvalidImage",
        message=["scans"],
    )
    floods = {
        "jpeg_1500_empty_app1_segments": with_segments(encode(photo, "JPEG"), 1500, b""),
        "gif_10001_comment_blocks": gif_with_comments(encode(photo, "GIF"), 10_001),
        "gif_10001_empty_extensions": gif_with_empty_extensions(encode(photo, "GIF"), 10_001),
    }
    for name, data in floods.items():
        corpus.add(
            f"image/bomb/{name}.bin",
            data,
            role="image",
            what=f"{name.replace('_', ' ')}: parsing them one by one is a slow-decoding bomb",
            expect="reject",
            decode="InvalidImage",
            message=["too long"],
        )
    corpus.add(
        "mask/bomb/png_100000x100000.png",
        png_with_header(side, side, 8, 0),
        role="mask",
        what="mask whose header declares 100000x100000",
        expect="reject",
        decode="ImageTooLarge",
    )


def add_zero_size(corpus: Corpus, photo: Image.Image) -> None:
    cases = {
        "png_0x0": png_with_header(0, 0),
        "png_0x48": png_with_header(0, 48),
        "png_64x0": png_with_header(64, 0),
        "jpeg_0x0": jpeg_with_size(encode(photo, "JPEG"), 0, 0),
        "jpeg_64x0": jpeg_with_size(encode(photo, "JPEG"), 64, 0),
        "gif_0x0": gif_with_size(encode(photo, "GIF"), 0, 0),
        "bmp_0x0": bmp_with_size(encode(photo, "BMP"), 0, 0),
        "tiff_0x0": tiff_with_size(encode(photo, "TIFF"), 0, 0),
    }
    for name, data in cases.items():
        corpus.add(
            f"image/empty/{name}.bin",
            data,
            role="image",
            what=f"header declares an empty image ({name.split('_', 1)[1]})",
            expect="reject",
            decode="InvalidImage",
        )
    corpus.add(
        "image/empty/empty_file.bin",
        b"",
        role="image",
        what="a file of zero bytes",
        expect="reject",
        decode="InvalidImage",
    )


def add_odd_images(corpus: Corpus, photo: Image.Image) -> None:
    """Valid photos in modes and containers a careless decoder mishandles."""
    grey = np.asarray(photo.convert("L"), np.uint16) * 257
    rgb16 = np.asarray(photo, np.uint16) * 257
    palette = photo.quantize(16)
    frames = [photo, photo.transpose(Image.Transpose.FLIP_LEFT_RIGHT), photo.convert("L")]
    srgb = srgb_profile()
    lab = photo.convert("LAB")
    lab.info.pop("icc_profile", None)  # its profile carries today's date
    sideways = photo.transpose(Image.Transpose.ROTATE_90)
    rgba = photo.convert("RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize(SIZE))
    accepted = {
        "png_16bit_grey.png": encode(Image.fromarray(grey), "PNG"),
        "png_16bit_rgb.png": png_from_array(rgb16),
        "png_16bit_rgba.png": png_from_array(np.dstack([rgb16, np.full(grey.shape, 65535)])),
        "png_1bit.png": encode(photo.convert("1"), "PNG"),
        "png_grey_alpha.png": encode(photo.convert("LA"), "PNG"),
        "png_rgba_gradient_alpha.png": encode(rgba, "PNG"),
        "png_palette_one_transparent.png": encode(palette, "PNG", transparency=0),
        "png_palette_alpha_table.png": encode(
            palette, "PNG", transparency=bytes(range(0, 256, 16))
        ),
        "png_animated.png": encode(frames[0], "PNG", save_all=True, append_images=frames[1:2]),
        "png_1x1.png": encode(photo.resize((1, 1)), "PNG"),
        "png_64x1.png": encode(photo.resize((64, 1)), "PNG"),
        "png_1x48.png": encode(photo.resize((1, 48)), "PNG"),
        "jpeg_cmyk.jpg": encode(photo.convert("CMYK"), "JPEG", quality=90),
        "jpeg_grey.jpg": encode(photo.convert("L"), "JPEG", quality=90),
        "jpeg_progressive.jpg": encode(photo, "JPEG", quality=90, progressive=True),
        "jpeg_444.jpg": encode(photo, "JPEG", quality=90, subsampling=0),
        "jpeg_422.jpg": encode(photo, "JPEG", quality=90, subsampling=1),
        "jpeg_exif_orientation_6.jpg": encode(
            sideways, "JPEG", quality=90, exif=exif_block([(0x0112, 3, 1, b"\x06\0")])
        ),
        "jpeg_exif_orientation_99.jpg": encode(
            photo, "JPEG", quality=90, exif=exif_block([(0x0112, 3, 1, b"\x63\0")])
        ),
        "jpeg_exif_orientation_as_text.jpg": encode(
            photo, "JPEG", quality=90, exif=exif_block([(0x0112, 2, 2, b"6\0")])
        ),
        "jpeg_exif_unwritable_tag.jpg": encode(
            sideways,
            "JPEG",
            quality=90,
            exif=exif_block([(0x0100, 2, 1, b"\0"), (0x0112, 3, 1, b"\x06\0")]),
        ),
        "jpeg_exif_garbage.jpg": encode(photo, "JPEG", exif=b"Exif\x00\x00" + b"\xa5" * 64),
        "jpeg_icc_srgb.jpg": encode(photo, "JPEG", quality=90, icc_profile=srgb),
        "jpeg_restart_markers.jpg": encode(photo, "JPEG", quality=90, restart_marker_blocks=1),
        "jpeg_60_app_segments.jpg": with_segments(encode(photo, "JPEG", quality=90), 60),
        "jpeg_64k_comment.jpg": encode(photo, "JPEG", quality=90, comment=b"c" * 65000),
        "jpeg_bytes_before_a_marker.jpg": junk_before_eoi(encode(photo, "JPEG", quality=90)),
        "webp_lossless.webp": encode(photo, "WEBP", lossless=True),
        "webp_alpha.webp": encode(rgba, "WEBP", lossless=True),
        "webp_animated.webp": encode(
            frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=80
        ),
    }
    for name, data in accepted.items():
        corpus.add(
            f"image/odd/{name}",
            data,
            role="image",
            what=f"valid but unusual: {name.rsplit('.', 1)[0].replace('_', ' ')}",
            expect="accept",
            decode="ok",
        )
    # GIF, BMP and TIFF are read and answered as PNG; modes the engines cannot take are refused.
    other = {
        "gif_palette_transparent.gif": (encode(palette, "GIF", transparency=0), "accept"),
        "gif_animated.gif": (
            encode(frames[0], "GIF", save_all=True, append_images=frames[1:]),
            "accept",
        ),
        "bmp_24bit.bmp": (encode(photo, "BMP"), "accept"),
        "bmp_1bit.bmp": (encode(photo.convert("1"), "BMP"), "accept"),
        "bmp_rle8.bmp": (bmp_rle8(palette), "accept"),
        "tiff_cmyk.tif": (encode(photo.convert("CMYK"), "TIFF"), "accept"),
        "tiff_deflate.tif": (encode(photo, "TIFF", compression="tiff_deflate"), "accept"),
        "tiff_16bit_big_endian.tif": (
            encode(Image.frombytes("I;16B", SIZE, grey.astype(">u2").tobytes()), "TIFF"),
            "either",
        ),
        "tiff_float.tif": (
            encode(Image.fromarray(grey.astype(np.float32) / 65535), "TIFF"),
            "either",
        ),
        "tiff_lab.tif": (encode(lab, "TIFF"), "either"),
    }
    for name, (data, expect) in other.items():
        corpus.add(
            f"image/other_format/{name}",
            data,
            role="image",
            what=f"a format outside PNG/JPEG/WebP: {name.rsplit('.', 1)[0].replace('_', ' ')}",
            expect=expect,
            decode="ok",
        )
    # Formats Pillow knows but Amethyst does not parse at all (less parser code exposed).
    unsupported = {
        "ico.ico": encode(photo, "ICO"),
        "ppm.ppm": encode(photo, "PPM"),
        "tga.tga": encode(photo, "TGA"),
        "pcx.pcx": encode(photo, "PCX"),
        "sgi.sgi": encode(photo, "SGI"),
        "eps.eps": b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 64 48\nshowpage\n%%EOF\n",
    }
    for name, data in unsupported.items():
        corpus.add(
            f"image/unsupported_format/{name}",
            data,
            role="image",
            what=f"a format Amethyst does not read: {name.rsplit('.', 1)[1].upper()}",
            expect="reject",
            decode="InvalidImage",
            message=["not an image in a format Amethyst reads"],
        )


def bmp_rle8(image: Image.Image) -> bytes:
    """``image`` (mode P) as a run-length (RLE8) BMP, which Pillow reads but cannot write."""
    rows = np.asarray(image)[::-1]  # BMP stores the bottom row first
    pixels = b"".join(
        bytes(np.stack([np.ones_like(row), row], 1).ravel()) + b"\0\0" for row in rows
    )
    pixels += b"\0\1"
    colours = np.asarray(image.getpalette()[:768], np.uint8).reshape(-1, 3)
    palette = np.zeros((256, 4), np.uint8)
    palette[: len(colours), :3] = colours[:, ::-1]
    width, height = image.size
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(pixels), 2835, 2835, 256, 0)
    offset = 14 + 40 + palette.size
    return (
        b"BM"
        + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset)
        + info
        + palette.tobytes()
        + pixels
    )


def with_segments(jpeg: bytes, count: int, payload: bytes = b"fuzz!\0") -> bytes:
    """``jpeg`` with ``count`` APP segments holding ``payload`` after its SOI marker."""
    marker = b"\xff\xe9" if payload else b"\xff\xe1"
    segment = marker + struct.pack(">H", 2 + len(payload)) + payload
    return jpeg[:2] + segment * count + jpeg[2:]


def gif_with_comments(gif: bytes, count: int) -> bytes:
    """``gif`` with a comment extension of ``count`` one-byte sub-blocks before its frame."""
    frame = gif.index(b",\0\0\0\0")
    return gif[:frame] + b"\x21\xfe" + b"\x01x" * count + b"\x00" + gif[frame:]


def junk_before_eoi(jpeg: bytes) -> bytes:
    """``jpeg`` with stray bytes before its end marker: libjpeg warns and decodes."""
    return jpeg[:-2] + b"\x00\x11\x22" + jpeg[-2:]


def gif_with_empty_extensions(gif: bytes, count: int) -> bytes:
    """``gif`` with ``count`` empty comment extensions before its frame."""
    frame = gif.index(b",\0\0\0\0")
    return gif[:frame] + b"\x21\xfe\x00" * count + gif[frame:]


def png_from_array(pixels: np.ndarray) -> bytes:
    """A 16-bit RGB(A) PNG, which Pillow cannot write itself, via OpenCV (stores BGR)."""
    import cv2

    order = [2, 1, 0, 3][: pixels.shape[2]]
    ok, data = cv2.imencode(".png", pixels[..., order].astype(np.uint16))
    assert ok
    return data.tobytes()


def add_masks(corpus: Corpus, photo: Image.Image) -> None:
    """Masks for ``base/photo.png`` (64x48): every wrong size and many modes."""
    width, height = SIZE
    wrong = [
        (63, 48),
        (65, 48),
        (64, 47),
        (64, 49),
        (48, 64),
        (1, 1),
        (32, 24),
        (128, 96),
        (640, 480),
        (64, 1),
        (1, 48),
    ]
    for size in wrong:
        size_text = f"{size[0]}x{size[1]}"
        shape = hole(size)
        for mode in ("L", "1", "RGBA", "P"):
            image = Image.fromarray(shape).convert(mode)
            corpus.add(
                f"mask/wrong_size/{size_text}_{mode}.png",
                encode(image, "PNG"),
                role="mask",
                what=f"{mode} mask of {size_text}, the photo is {width}x{height}",
                expect="reject",
                decode="ok",
                message=[size_text, f"{width}x{height}"],
            )
    shape = hole()
    opaque = Image.fromarray(shape)
    rgba = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    rgba.putalpha(opaque)
    accepted = {
        "L.png": encode(opaque, "PNG"),
        "1bit.png": encode(opaque.convert("1"), "PNG"),
        "LA.png": encode(opaque.convert("LA"), "PNG"),
        "P.png": encode(opaque.convert("P"), "PNG"),
        "RGB.png": encode(opaque.convert("RGB"), "PNG"),
        "RGBA_strokes_on_transparent.png": encode(
            Image.merge("RGBA", [opaque, opaque, opaque, opaque]), "PNG"
        ),
        "16bit.png": encode(Image.fromarray(shape.astype(np.uint16) * 257), "PNG"),
        "jpeg_grey.jpg": encode(opaque, "JPEG", quality=95),
        "webp_lossless.webp": encode(opaque.convert("RGB"), "WEBP", lossless=True),
        "value_1_not_255.png": encode(Image.fromarray((shape > 0).astype(np.uint8)), "PNG"),
    }
    for name, data in accepted.items():
        corpus.add(
            f"mask/mode/{name}",
            data,
            role="mask",
            what=f"a right-size mask stored as {name.rsplit('.', 1)[0].replace('_', ' ')}",
            expect="accept",
            decode="ok",
        )
    full = Image.new("L", SIZE, 255)
    cases = {
        "all_white.png": (encode(full, "PNG"), "reject", "ok", "covers the whole photo"),
        "all_black.png": (encode(Image.new("L", SIZE, 0), "PNG"), "either", "ok", "marks nothing"),
        "fully_transparent_rgba.png": (
            encode(Image.new("RGBA", SIZE, (255, 255, 255, 0)), "PNG"),
            "either",
            "ok",
            "white but fully transparent: marks nothing",
        ),
        "not_an_image.bin": (b"mask", "reject", "InvalidImage", "four bytes of text"),
        "truncated.png": (encode(opaque, "PNG")[:40], "reject", "InvalidImage", "a cut PNG"),
        "empty_header.png": (png_with_header(0, 0, 8, 0), "reject", "InvalidImage", "0x0"),
    }
    for name, (data, expect, decode, what) in cases.items():
        corpus.add(f"mask/bad/{name}", data, role="mask", what=what, expect=expect, decode=decode)


def add_bodies(corpus: Corpus, photo: Image.Image) -> None:
    """Whole JSON request bodies for both JSON endpoints."""
    png = b64(encode(photo, "PNG"))
    strokes = b64(encode(with_strokes(photo), "PNG"))
    mask = b64(encode(Image.fromarray(hole()), "PNG"))
    truncated = b64(encode(photo, "PNG")[:200])
    ok_body = {COMPLETE: {"img": strokes}, INPAINT: {"image": png, "mask": mask}}
    image_key = {COMPLETE: "img", INPAINT: "image"}

    def add(endpoint: str, name: str, body: bytes, expect: str, what: str) -> None:
        folder = "complete_image" if endpoint == COMPLETE else "inpaint"
        corpus.add(
            f"body/{folder}/{name}.json",
            body,
            role="body",
            endpoint=endpoint,
            what=what,
            expect=expect,
        )

    def js(value: object) -> bytes:
        return json.dumps(value).encode()

    for endpoint in (COMPLETE, INPAINT):
        key = image_key[endpoint]
        valid = ok_body[endpoint]
        add(endpoint, "valid", js(valid), "accept", "a well-formed request")
        # Not JSON, or not UTF-8.
        malformed = {
            "empty": b"",
            "whitespace": b" \n\t ",
            "open_brace": b"{",
            "truncated_json": js(valid)[:50],
            "single_quotes": js(valid).replace(b'"', b"'"),
            "trailing_comma": js(valid)[:-1] + b",}",
            "comment": b"/* hi */" + js(valid),
            "nan_value": b'{"' + key.encode() + b'": NaN}',
            "huge_exponent": b'{"' + key.encode() + b'": 1e999999}',
            "latin1_text": b'{"' + key.encode() + b'": "caf\xe9"}',
            "invalid_utf8": b'{"' + key.encode() + b'": "\xff\xfe\xfd"}',
            "overlong_utf8": b'{"' + key.encode() + b'": "\xc0\xaf"}',
            "utf16": json.dumps(valid).encode("utf-16"),
            "utf32": json.dumps(valid).encode("utf-32"),
            "nul_bytes": b"\0" * 64,
            "lone_surrogate": b'{"' + key.encode() + b'": "\\ud800"}',
            "nested_arrays_10000": b"[" * 10000 + b"]" * 10000,
            "nested_objects_10000": b'{"a":' * 10000 + b"1" + b"}" * 10000,
            "nested_in_field_5000": b'{"'
            + key.encode()
            + b'": '
            + b"[" * 5000
            + b"]" * 5000
            + b"}",
            "form_encoded": f"{key}=abc".encode(),
        }
        for name, body in malformed.items():
            add(endpoint, name, body, "reject", f"not a valid JSON request: {name}")
        # Valid JSON of the wrong shape.
        shapes = {
            "null": None,
            "array": [valid],
            "number": 42,
            "string": "hello",
            "true": True,
            "empty_object": {},
        }
        for name, value in shapes.items():
            add(endpoint, f"shape_{name}", js(value), "reject", f"JSON {name}, not an object")
        # Fields of the wrong type or value.
        for name, value in {
            "number": 123,
            "null": None,
            "bool": True,
            "list": [png],
            "object": {"data": png},
            "empty": "",
            "not_base64": "!!!! not base64 ~~~~",
            "base64_of_text": b64(b"hello, I am not a photo"),
            "base64_of_truncated_png": truncated,
            "data_url_only": "data:image/png;base64,",
            "base64_with_garbage_tail": png + "$$$",
        }.items():
            add(endpoint, f"{key}_{name}", js({**valid, key: value}), "reject", f"{key}: {name}")
        add(
            endpoint,
            f"{key}_too_much_padding",
            js({**valid, key: valid[key] + "===="}),
            "either",
            f"{key}: valid base64 followed by surplus padding",
        )
        # Encodings real clients produce: all must work.
        image = strokes if endpoint == COMPLETE else png
        for name, value in {
            "data_url": "data:image/png;base64," + image,
            "data_url_upper": "DATA:IMAGE/PNG;BASE64," + image,
            "wrapped_76": "\n".join(image[i : i + 76] for i in range(0, len(image), 76)),
            "crlf_wrapped": "\r\n".join(image[i : i + 64] for i in range(0, len(image), 64)),
            "urlsafe_unpadded": image.replace("+", "-").replace("/", "_").rstrip("="),
            "surrounding_spaces": f"  {image}  ",
        }.items():
            add(endpoint, f"{key}_{name}", js({**valid, key: value}), "accept", f"{key}: {name}")
        # Extra fields.
        add(
            endpoint,
            "extra_field",
            js({**valid, "extra": {"deep": [1, 2, 3]}}),
            "accept" if endpoint == COMPLETE else "either",
            "an extra field the API does not know",
        )
        add(
            endpoint,
            "duplicate_key",
            js(valid)[:-1] + b', "' + key.encode() + b'": "AAAA"}',
            "either",
            "the image field twice, the last one broken",
        )
    # Endpoint-specific cases.
    white = b64(encode(Image.new("L", SIZE, 255), "PNG"))
    small = b64(encode(Image.new("L", (8, 8), 255), "PNG"))
    bomb = b64(png_with_header(BOMB_SIDE, BOMB_SIDE, 8, 0))
    specific = [
        (COMPLETE, "missing_img", {"mask": mask}, "reject", "no img field"),
        (COMPLETE, "no_strokes_no_mask", {"img": png}, "reject", "no magenta strokes, no mask"),
        (COMPLETE, "mask_given", {"img": png, "mask": mask}, "accept", "an explicit mask"),
        (COMPLETE, "mask_null", {"img": strokes, "mask": None}, "accept", "mask: null"),
        (COMPLETE, "mask_number", {"img": png, "mask": 5}, "reject", "mask: a number"),
        (COMPLETE, "mask_not_base64", {"img": png, "mask": "%%%"}, "reject", "mask: not base64"),
        (COMPLETE, "mask_wrong_size", {"img": png, "mask": small}, "reject", "an 8x8 mask"),
        (COMPLETE, "mask_all_white", {"img": png, "mask": white}, "reject", "whole-photo mask"),
        (COMPLETE, "v1_field_names", {"image": png, "mask": mask}, "reject", "v1 field names"),
        (INPAINT, "missing_mask", {"image": png}, "reject", "no mask field"),
        (INPAINT, "missing_image", {"mask": mask}, "reject", "no image field"),
        (INPAINT, "v0_field_names", {"img": png, "mask": mask}, "reject", "img, not image"),
        (INPAINT, "engine_telea", {"image": png, "mask": mask, "engine": "telea"}, "accept", ""),
        (INPAINT, "format_jpeg", {"image": png, "mask": mask, "format": "jpeg"}, "accept", ""),
        (INPAINT, "format_gif", {"image": png, "mask": mask, "format": "gif"}, "reject", ""),
        (INPAINT, "format_number", {"image": png, "mask": mask, "format": 1}, "reject", ""),
        (INPAINT, "mask_all_white", {"image": png, "mask": white}, "reject", "whole-photo mask"),
        (INPAINT, "mask_bomb", {"image": png, "mask": bomb}, "reject", "mask of 100000x100000"),
        (INPAINT, "image_bomb", {"image": bomb, "mask": mask}, "reject", "photo of 100000x100000"),
    ]
    for name, value in {
        "unknown": "no-such-engine",
        "path": "../../etc/passwd",
        "long": "x" * 10000,
        "number": 5,
        "list": ["telea"],
        "nul": "telea\0",
    }.items():
        fields = {"image": png, "mask": mask, "engine": value}
        specific.append((INPAINT, f"engine_{name}", fields, "reject", f"engine: {name}"))
    for name, value in {"empty": "", "null": None}.items():  # may mean the default engine
        fields = {"image": png, "mask": mask, "engine": value}
        specific.append((INPAINT, f"engine_{name}", fields, "either", f"engine: {name}"))
    for endpoint, name, fields, expect, what in specific:
        add(endpoint, name, js(fields), expect, what or name.replace("_", " "))


def multipart(parts: list[tuple[str | None, str | None, bytes]], boundary: str = "XyZ") -> bytes:
    """A multipart body of (field name, file name, data) parts; ``None`` leaves a header out."""
    out = b""
    for name, filename, data in parts:
        disposition = "Content-Disposition: form-data"
        if name is not None:
            disposition += f'; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += f"--{boundary}\r\n{disposition}\r\n\r\n".encode() + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def add_multipart_bodies(corpus: Corpus, photo: Image.Image) -> None:
    """Whole multipart bodies for ``/api/v1/inpaint``, well and badly formed."""
    image, mask = encode(photo, "PNG"), encode(Image.fromarray(hole()), "PNG")
    good = [("image", "photo.png", image), ("mask", "mask.png", mask)]
    form = "multipart/form-data; boundary=XyZ"
    small = encode(Image.new("L", (8, 8), 255), "PNG")
    many_fields = [(f"f{i}", None, b"x") for i in range(1000)]
    rows = [
        ("valid", multipart(good), form, "accept"),
        ("quoted_boundary", multipart(good), 'multipart/form-data; boundary="XyZ"', "accept"),
        ("engine_and_format", multipart([*good, ("engine", None, b"telea")]), form, "accept"),
        ("no_boundary", multipart(good), "multipart/form-data", "reject"),
        ("other_boundary", multipart(good), "multipart/form-data; boundary=other", "reject"),
        ("no_closing_boundary", multipart(good)[: -len("--XyZ--\r\n")], form, "reject"),
        ("lf_line_ends", multipart(good).replace(b"\r\n", b"\n"), form, "reject"),
        ("part_without_name", multipart([(None, "a.png", image), good[1]]), form, "reject"),
        ("empty_field_name", multipart([("", "a.png", image), good[1]]), form, "reject"),
        ("image_twice", multipart([good[0], good[0], good[1]]), form, "reject"),
        ("three_files", multipart([*good, ("extra", "x.png", mask)]), form, "reject"),
        ("unknown_text_field", multipart([*good, ("colour", None, b"red")]), form, "reject"),
        ("image_as_text", multipart([("image", None, b"abc"), good[1]]), form, "reject"),
        ("engine_as_file", multipart([*good, ("engine", "e.txt", b"telea")]), form, "reject"),
        ("engine_not_utf8", multipart([*good, ("engine", None, b"\xff\xfe")]), form, "reject"),
        ("format_gif", multipart([*good, ("format", None, b"gif")]), form, "reject"),
        ("missing_mask", multipart(good[:1]), form, "reject"),
        ("empty_image_file", multipart([("image", "a.png", b""), good[1]]), form, "reject"),
        ("not_an_image", multipart([("image", "a.png", b"hello"), good[1]]), form, "reject"),
        ("photo_as_mask", multipart([good[0], ("mask", "m.png", image)]), form, "either"),
        ("wrong_size_mask", multipart([good[0], ("mask", "m.png", small)]), form, "reject"),
        ("thousand_fields", multipart(many_fields), form, "reject"),
        ("long_file_name", multipart([("image", "a" * 100_000, image), good[1]]), form, "either"),
        ("empty_body", b"", form, "reject"),
        ("closing_boundary_only", b"--XyZ--\r\n", form, "reject"),
        ("garbage", bytes(range(256)) * 8, form, "reject"),
        ("urlencoded", b"image=abc&mask=def", "application/x-www-form-urlencoded", "reject"),
        ("no_content_type", multipart(good), "", "reject"),
        ("text_plain", multipart(good), "text/plain", "reject"),
    ]
    for name, body, content_type, expect in rows:
        corpus.add(
            f"body/multipart/{name}.bin",
            body,
            role="body",
            endpoint=INPAINT,
            content_type=content_type,
            what=f"multipart form: {name.replace('_', ' ')}",
            expect=expect,
        )


def build(out: Path) -> Corpus:
    """Write the corpus and manifest under ``out`` (replacing a previous corpus there)."""
    shutil.rmtree(out / "corpus", ignore_errors=True)
    corpus = Corpus(out)
    photo = base_photo()
    corpus.add(
        "base/photo.png",
        encode(photo, "PNG"),
        role="image",
        what=f"the {SIZE[0]}x{SIZE[1]} photo that mask files are sent with",
        expect="accept",
        decode="ok",
    )
    corpus.add(
        "base/mask.png",
        encode(Image.fromarray(hole()), "PNG"),
        role="mask",
        what="a valid mask for base/photo.png",
        expect="accept",
        decode="ok",
    )
    for add in (
        add_truncated,
        add_wrong_magic,
        add_bombs,
        add_zero_size,
        add_odd_images,
        add_masks,
        add_bodies,
        add_multipart_bodies,
    ):
        add(corpus, photo)
    corpus.write_manifest()
    return corpus


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    corpus = build(out)
    total = sum((out / e.file).stat().st_size for e in corpus.entries)
    print(f"wrote {len(corpus.entries)} files ({total / 1e6:.2f} MB) and manifest.json to {out}")


if __name__ == "__main__":
    main()
