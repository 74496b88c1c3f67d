"""Fuzzing decode_image: any bytes give a decoded photo or InvalidImage, never another error."""

import io
import struct
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from amethyst.errors import ImageTooLarge, InvalidImage
from amethyst.imaging.io import decode_image
from amethyst.imaging.modes import to_rgb
from tests.fuzz.corpus import entries

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns on corrupt EXIF

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIMIT = 2_000_000  # a small pixel limit keeps mutated headers from decoding huge garbage
SEEDS = [entry.data for entry in entries("image") if entry.decode == "ok"]
SIGNATURES = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF\0\0\0\0WEBPVP8 ", b"GIF89a", b"BM"]


def check_outcome(data: bytes, max_pixels: int | None = LIMIT) -> None:
    """The decode contract: a usable upright photo within the limit, or InvalidImage."""
    try:
        decoded = decode_image(data, max_pixels=max_pixels)
    except InvalidImage as exc:
        assert str(exc), "errors must say what is wrong"
        return
    width, height = decoded.image.size
    assert width > 0 and height > 0
    assert max_pixels is None or width * height <= max_pixels
    try:
        rgb = to_rgb(decoded.image)
    except InvalidImage:
        return  # a mode engines cannot take is refused clearly
    assert rgb.shape == (height, width, 3) and rgb.dtype == np.uint8


@st.composite
def mutated_files(draw: st.DrawFn) -> bytes:
    """A real image file with bytes overwritten, inserted, deleted or cut off."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["set", "insert", "delete", "truncate", "max"]))
        if action == "set" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif action == "truncate":
            del data[max(1, at) :]
        else:  # big values where sizes and lengths live
            data[at : at + 4] = b"\xff\xff\xff\x7f"
    return bytes(data)


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` but holds almost no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + idat


@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_decode_or_raise_invalid_image(data):
    check_outcome(data)


@FUZZ
@given(st.sampled_from(SIGNATURES), st.binary(max_size=2048))
def test_bytes_behind_an_image_signature_decode_or_raise_invalid_image(signature, tail):
    check_outcome(signature + tail)


@FUZZ
@given(mutated_files())
def test_mutated_real_files_decode_or_raise_invalid_image(data):
    check_outcome(data)


@FUZZ
@given(st.sampled_from(SEEDS), st.floats(0.0, 0.97))
def test_truncated_real_files_decode_or_raise_invalid_image(data, fraction):
    check_outcome(data[: int(len(data) * fraction)])


@FUZZ
@given(st.integers(1, 2**31 - 1), st.integers(1, 2**31 - 1))
def test_declared_size_over_the_limit_is_refused_before_decoding(width, height):
    data = png_header(width, height)
    if width * height > LIMIT:
        with pytest.raises(ImageTooLarge):
            decode_image(data, max_pixels=LIMIT)
    else:
        check_outcome(data)


@pytest.mark.parametrize("max_pixels", [None, 50_000_000])
def test_header_claiming_100000_squared_is_refused_even_without_a_limit(max_pixels):
    with pytest.raises(ImageTooLarge):
        decode_image(png_header(100_000, 100_000), max_pixels=max_pixels)


def exif_jpeg(stored: Image.Image, rows: list[tuple[int, int, int, bytes]]) -> bytes:
    """A JPEG of ``stored`` with a hand-written EXIF IFD of (tag, type, count, value) rows."""
    ifd = struct.pack("<H", len(rows))
    ifd += b"".join(struct.pack("<HHI", t, k, n) + v.ljust(4, b"\0") for t, k, n, v in rows)
    exif = b"Exif\0\0II*\0" + struct.pack("<I", 8) + ifd + b"\0\0\0\0"
    out = io.BytesIO()
    stored.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.parametrize(
    "orientation",
    [(2, 2, b"6\0"), (7, 1, b"\x06"), (3, 1, b"\x63\0"), (2, 1, b"\0"), (8, 1, b"\xfd\xff")],
    ids=["text", "undefined-type", "99", "empty-text", "negative"],
)
def test_malformed_exif_orientation_is_treated_as_upright(orientation):
    photo = Image.new("RGB", (40, 20), "red")
    decoded = decode_image(exif_jpeg(photo, [(0x0112, *orientation)]))
    assert decoded.orientation == 1 and decoded.image.size == (40, 20)


def test_a_tag_that_cannot_be_written_back_does_not_stop_decoding():
    # ImageWidth as empty text cannot be re-serialised; the photo is still fine to edit.
    sideways = Image.new("RGB", (20, 40), "red")
    rows = [(0x0100, 2, 1, b"\0"), (0x0112, 3, 1, b"\x06\0")]
    decoded = decode_image(exif_jpeg(sideways, rows))
    assert decoded.orientation == 6 and decoded.image.size == (40, 20)


def test_a_progressive_jpeg_with_hundreds_of_scans_is_refused_before_decoding():
    # Each scan is a full pass over the image: 20000 of them on 36 MP took 57 s to decode.
    bomb = next(e for e in entries("image") if e.name.endswith("jpeg_600_progressive_scans.bin"))
    with pytest.raises(InvalidImage, match="610 scans, over the limit"):
        decode_image(bomb.data)


def test_an_ordinary_progressive_jpeg_still_decodes():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(out, "JPEG", progressive=True)
    assert decode_image(out.getvalue()).image.size == (64, 48)


@pytest.mark.parametrize(
    "name",
    ["jpeg_1500_empty_app1_segments", "gif_10001_comment_blocks", "gif_10001_empty_extensions"],
)
def test_files_made_of_thousands_of_tiny_segments_are_refused_before_parsing(name):
    # Pillow parses these one by one: 12 MB of empty APP1 segments took 26 s and 467 MB.
    flood = next(e for e in entries("image") if e.name.endswith(f"{name}.bin"))
    with pytest.raises(InvalidImage, match="would take too long"):
        decode_image(flood.data)


def test_a_png_of_over_100000_chunks_is_refused_before_parsing():
    empty_chunk = png_chunk(b"prVt", b"")
    photo = png_header(8, 8)
    with pytest.raises(InvalidImage, match="over 100000 chunks"):
        decode_image(photo[:33] + empty_chunk * 100_001 + photo[33:])


def test_a_png_split_into_thousands_of_idat_chunks_still_decodes():
    pixels = np.random.default_rng(3).integers(0, 256, (64, 64, 3), np.uint8)
    stream = zlib.compress(b"".join(b"\0" + row.tobytes() for row in pixels))
    header = png_header(64, 64)
    parts = (stream[i : i + 4] for i in range(0, len(stream), 4))
    idats = b"".join(png_chunk(b"IDAT", part) for part in parts)
    decoded = decode_image(header[:33] + idats + png_chunk(b"IEND", b""))
    assert (np.asarray(decoded.image) == pixels).all()


@pytest.mark.parametrize("fmt", ["PPM", "TGA", "ICO", "PCX", "SGI"])
def test_formats_outside_the_photo_formats_are_not_parsed(fmt):
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(out, fmt)
    with pytest.raises(InvalidImage, match="not an image in a format Amethyst reads"):
        decode_image(out.getvalue())


def test_postscript_is_refused_without_running_an_interpreter():
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 16 16\nshowpage\n%%EOF\n"
    with pytest.raises(InvalidImage, match="not an image in a format Amethyst reads"):
        decode_image(eps)


def rle8_bmp(width: int, height: int) -> bytes:
    """A grey RLE8 BMP written as one-pixel runs: the slowest file for Pillow's Python decoder."""
    pixels = (b"\x01\x05" * width + b"\0\0") * height + b"\0\1"
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(pixels), 0, 0, 256, 0)
    offset = 14 + 40 + 1024
    header = b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset)
    return header + info + bytes(1024) + pixels


def test_a_run_length_bmp_over_1_mb_is_refused_before_decoding():
    # Pillow decodes runs in Python: 4 MB of one-pixel runs took 3.3 s.
    with pytest.raises(InvalidImage, match="run-length BMP is over 1 MB"):
        decode_image(rle8_bmp(1000, 700))


def test_a_small_run_length_bmp_still_decodes():
    assert decode_image(rle8_bmp(40, 30)).image.size == (40, 30)


def test_a_tiffs_own_tags_are_not_carried_as_exif():
    # A TIFF's tags describe its layout; re-writing a 20 MB tag took 7 s and 900 MB.
    out = io.BytesIO()
    Image.new("RGB", (16, 8), "red").save(out, "TIFF")
    decoded = decode_image(out.getvalue())
    assert decoded.format == "TIFF" and decoded.exif is None


def test_exif_blocks_over_1_mb_are_dropped_rather_than_rewritten():
    value_at = 8 + 2 + 12 + 4  # the tag's values follow the one-entry IFD
    ifd = struct.pack("<HHHII", 1, 40000, 4, 500_000, value_at) + b"\0\0\0\0"
    huge = b"Exif\0\0II*\0" + struct.pack("<I", 8) + ifd + bytes(2_000_000)
    out = io.BytesIO()
    Image.new("RGB", (16, 8), "red").save(out, "PNG", exif=huge)
    assert decode_image(out.getvalue()).exif is None


def test_ordinary_exif_is_kept_with_orientation_reset():
    exif = Image.Exif()
    exif[0x0112], exif[0x013B] = 3, "Amethyst test"
    out = io.BytesIO()
    Image.new("RGB", (16, 8), "red").save(out, "PNG", exif=exif.tobytes())
    kept = Image.Exif()
    kept.load(decode_image(out.getvalue()).exif)
    assert kept[0x0112] == 1 and kept[0x013B] == "Amethyst test"


def test_a_huge_header_is_refused_naming_its_size_and_the_configured_limit():
    # Pillow's own refusal names its internal limit (179 MP), not the one Amethyst applies.
    with pytest.raises(ImageTooLarge) as refused:
        decode_image(png_header(100_000, 100_000), max_pixels=50_000_000)
    assert "declares 10000 MP, over the limit of 50.0 MP" in str(refused.value)
