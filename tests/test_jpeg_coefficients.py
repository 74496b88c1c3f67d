"""Reading and writing JPEG DCT coefficients in memory is lossless and safe across threads."""

import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from amethyst.imaging.jpeg_coefficients import read_coefficients, write_coefficients
from tests.photos import photo


def jpeg(mode: str = "RGB", **params) -> bytes:
    buffer = io.BytesIO()
    photo("coffee.jpg").resize((203, 157)).convert(mode).save(buffer, "JPEG", **params)
    return buffer.getvalue()


KINDS = {
    "420": {"quality": 85},
    "444 restart": {"quality": 92, "subsampling": 0, "restart_marker_blocks": 2},
    "422 progressive": {"quality": 70, "subsampling": 1, "progressive": True},
}


@pytest.mark.parametrize("kind", [*KINDS, "grayscale"])
def test_a_round_trip_keeps_every_coefficient_and_pixel(kind):
    data = jpeg("L", quality=80) if kind == "grayscale" else jpeg(**KINDS[kind])
    first = read_coefficients(data)
    again = read_coefficients(write_coefficients(first, data))
    planes = ("Y", "Cb", "Cr") if first.has_chrominance else ("Y",)
    for name in planes:
        assert np.array_equal(getattr(first, name), getattr(again, name))
    assert np.array_equal(first.qt, again.qt)
    written = write_coefficients(first, data)
    assert np.array_equal(
        np.asarray(Image.open(io.BytesIO(written))), np.asarray(Image.open(io.BytesIO(data)))
    )


def test_progressive_files_are_written_progressive_and_baseline_ones_baseline():
    for params, progressive in ((KINDS["420"], False), (KINDS["422 progressive"], True)):
        data = jpeg(**params)
        written = Image.open(io.BytesIO(write_coefficients(read_coefficients(data), data)))
        assert bool(written.info.get("progressive")) == progressive


def test_concurrent_saves_do_not_mix_libjpeg_builds():
    sources = [jpeg(**KINDS["420"]), jpeg(**KINDS["422 progressive"])] * 4
    expected = [write_coefficients(read_coefficients(data), data) for data in sources]
    with ThreadPoolExecutor(4) as pool:
        written = list(
            pool.map(lambda data: write_coefficients(read_coefficients(data), data), sources)
        )
    assert written == expected


def test_unreadable_data_raises_os_error():
    with pytest.raises(OSError):
        read_coefficients(b"\xff\xd8\xff\xdb" + b"\x00" * 40)


def _segment_offset(data: bytes, marker: int) -> int:
    """Where the first segment with ``marker`` starts (its 0xFF byte)."""
    position = 2
    while data[position + 1] != marker:
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return position


def _too_many_huffman_codes(data: bytes) -> bytes:
    at = _segment_offset(data, 0xC4) + 5  # the first table's 16 code counts
    return data[:at] + bytes([0] * 8 + [255] * 8) + data[at + 16 :]


def _scan_of_a_missing_component(data: bytes) -> bytes:
    at = _segment_offset(data, 0xDA) + 5  # the first component id of the scan
    return data[:at] + bytes([data[at] + 7]) + data[at + 1 :]


@pytest.mark.parametrize("damage", [_too_many_huffman_codes, _scan_of_a_missing_component])
def test_headers_libjpeg_rejects_raise_os_error_instead_of_crashing(damage):
    # libjpeg's errors while it reads the header crashed jpeglib's C layer (a segfault that took
    # the server's worker down): such headers are refused before libjpeg sees them.
    with pytest.raises(OSError):
        read_coefficients(damage(jpeg(quality=85)))
