"""Image I/O: orientation, formats and metadata kept, bad files refused clearly."""

import io
import zlib

import numpy as np
import pytest
from PIL import Image, ImageCms

import amethyst
from amethyst.imaging.io import decode_image, encode_image, encode_result
from tests.photos import photo

ORIENTATION = 0x0112
ARTIST = 0x013B


def jpeg_bytes(image: Image.Image, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, **params)
    return buffer.getvalue()


def rotated_jpeg() -> tuple[bytes, Image.Image]:
    """A JPEG stored sideways with orientation 6 (rotate 90° clockwise to display)."""
    upright = photo("coffee.jpg")
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[ARTIST] = "Amethyst test"
    return jpeg_bytes(stored, exif=exif.tobytes()), upright


def test_exif_orientation_is_applied_on_decode():
    data, upright = rotated_jpeg()
    decoded = decode_image(data)
    assert decoded.orientation == 6 and decoded.image.size == upright.size
    difference = np.abs(np.asarray(decoded.image, int) - np.asarray(upright, int))
    assert difference.mean() < 4  # only JPEG noise between the two


def test_jpeg_result_stays_jpeg_stored_sideways_with_exif_and_icc_kept():
    data, _ = rotated_jpeg()
    with_icc = jpeg_bytes(
        Image.open(io.BytesIO(data)),
        exif=Image.open(io.BytesIO(data)).getexif().tobytes(),
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    decoded = decode_image(with_icc)
    hole = np.zeros(decoded.image.size[::-1], bool)
    hole[100:140, 100:140] = True
    result = amethyst.inpaint(decoded.image, hole, engine="telea")
    encoded = encode_result(result, decoded, hole)
    reread = Image.open(io.BytesIO(encoded.data))
    assert reread.format == "JPEG" and encoded.mime_type == "image/jpeg"
    # Unchanged blocks are copied, so pixels stay stored sideways under the same orientation tag.
    assert reread.size == decoded.image.size[::-1]
    assert reread.getexif().get(ORIENTATION, 1) == 6
    assert reread.getexif()[ARTIST] == "Amethyst test"
    assert reread.info["icc_profile"] == decoded.icc_profile


def test_png_round_trip_is_lossless_outside_the_mask():
    original = photo("chelsea.jpg").convert("RGBA")
    buffer = io.BytesIO()
    original.save(buffer, "PNG")
    decoded = decode_image(buffer.getvalue())
    hole = np.zeros(decoded.image.size[::-1], bool)
    hole[50:90, 200:260] = True
    encoded = encode_result(amethyst.inpaint(decoded.image, hole, "telea"), decoded, hole)
    reread = np.asarray(Image.open(io.BytesIO(encoded.data)))
    assert encoded.format == "PNG" and reread.shape == (300, 451, 4)
    assert np.array_equal(reread[~hole], np.asarray(original)[~hole])


def test_lossless_webp_stays_lossless():
    original = photo("chelsea.jpg")
    buffer = io.BytesIO()
    original.save(buffer, "WEBP", lossless=True)
    decoded = decode_image(buffer.getvalue())
    assert decoded.format == "WEBP" and decoded.lossless
    reread = Image.open(io.BytesIO(encode_image(decoded.image, "WEBP", like=decoded)))
    assert np.array_equal(np.asarray(reread.convert("RGB")), np.asarray(original))


def test_lossy_webp_stays_webp():
    buffer = io.BytesIO()
    photo("chelsea.jpg").save(buffer, "WEBP", quality=80)
    decoded = decode_image(buffer.getvalue())
    assert decoded.format == "WEBP" and not decoded.lossless
    assert (
        Image.open(io.BytesIO(encode_image(decoded.image, "WEBP", like=decoded))).format == "WEBP"
    )


def test_pixel_limit_is_checked_before_decoding():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200)).save(buffer, "PNG")
    with pytest.raises(amethyst.ImageTooLarge, match="300x200"):
        decode_image(buffer.getvalue(), max_pixels=50_000)


def test_decompression_bomb_header_is_refused_without_decoding():
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = (100_000).to_bytes(4, "big") * 2  # IHDR width and height
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    with pytest.raises(amethyst.ImageTooLarge, match="too large"):
        decode_image(bytes(data))


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"hello, not a photo", "not an image"),
        (b"\x89PNG\r\n\x1a\n", "not an image"),
    ],
    ids=["empty", "text", "png-magic-only"],
)
def test_non_images_are_refused_clearly(data, reason):
    with pytest.raises(amethyst.InvalidImage, match=reason):
        decode_image(data)


def test_truncated_jpeg_is_refused():
    data = jpeg_bytes(photo("coffee.jpg"))
    with pytest.raises(amethyst.InvalidImage, match="truncated"):
        decode_image(data[: len(data) // 2])
