"""JPEG edits through one crop: pixels decoded from the coefficients, one read, one write.

The service edits a JPEG with a mask this way; the guarantees are those of the whole-frame
block editor (``test_jpeg_blocks``): blocks the hole does not touch keep their coefficients and
decode bit-identical (up to libjpeg's chroma seam), and the fill lands where the mask is.
"""

import io

import jpeglib
import numpy as np
import pytest
from PIL import Image

from amethyst.engines import get_engine
from amethyst.imaging.exif_orientation import to_stored_orientation, to_upright
from amethyst.imaging.jpeg_coefficients import _memory_file, read_coefficients, read_header
from amethyst.imaging.jpeg_crop_edit import JpegCropEdit
from amethyst.imaging.jpeg_pixels import decode_box
from amethyst.pipeline import fill_pixels
from amethyst.regions import Box, hole_box
from tests.photos import disc_mask
from tests.test_jpeg_blocks import (
    CAMERA_JPEGS,
    ORIENTATION,
    SIZE,
    allowed_area,
    camera_photo,
    coefficients,
    make_jpeg,
    pillow_jpeg,
    pixels,
    touched_blocks,
)


def crop_edit(data: bytes, hole: np.ndarray, orientation: int = 1) -> tuple[bytes, np.ndarray]:
    """Fill ``hole`` (displayed orientation) as the service does; the file and the fill."""
    edit = JpegCropEdit(data, orientation)
    box = hole_box(hole)
    filled = fill_pixels(edit.pixels(box), hole[box.slices], get_engine("telea"))
    upright = np.zeros((*hole.shape, *filled.shape[2:]), np.uint8)
    upright[box.slices] = filled
    return edit.save(box, filled).data, upright


@pytest.mark.parametrize(("encoder", "quality", "subsampling"), CAMERA_JPEGS)
def test_only_touched_blocks_change_and_the_rest_decodes_identically(
    tmp_path, encoder, quality, subsampling
):
    data = make_jpeg(encoder, quality, subsampling)
    hole = disc_mask(SIZE, (150, 120), 30)
    edited, filled = crop_edit(data, hole)
    old, factors = coefficients(data, tmp_path)
    new, _ = coefficients(edited, tmp_path)
    for plane_old, plane_new, blocks in zip(
        old, new, touched_blocks(hole, old, factors), strict=True
    ):
        assert np.array_equal(plane_old[~blocks], plane_new[~blocks])
        assert (plane_old[blocks] != plane_new[blocks]).any()
    _, seam = allowed_area(data, hole, tmp_path)
    moved = (pixels(data) != pixels(edited)).reshape(*hole.shape, -1).any(axis=2)
    assert moved.any() and not moved[~seam].any()
    shown = pixels(edited).astype(int)
    assert np.abs(shown[hole] - filled[hole].astype(int)).mean() < 4


@pytest.mark.parametrize("orientation", [2, 3, 5, 6, 7, 8])
def test_rotated_photo_is_edited_in_its_stored_frame_where_the_mask_shows(tmp_path, orientation):
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    data = pillow_jpeg(camera_photo(), 90, "420", exif=exif.tobytes())
    stored_hole = disc_mask(SIZE, (100, 60), 25)
    hole = np.ascontiguousarray(to_upright(stored_hole, orientation))
    edited, filled = crop_edit(data, hole, orientation)
    reread = Image.open(io.BytesIO(edited))
    assert reread.size == SIZE and reread.getexif()[ORIENTATION] == orientation
    _, seam = allowed_area(data, stored_hole, tmp_path)
    moved = (pixels(data) != pixels(edited)).any(axis=2)
    assert moved.any() and not moved[~seam].any()
    stored_fill = to_stored_orientation(filled, orientation).astype(int)
    assert np.abs(pixels(edited).astype(int)[stored_hole] - stored_fill[stored_hole]).mean() < 4


def test_a_large_hole_is_decoded_by_libjpeg_with_the_same_guarantees(tmp_path):
    data = make_jpeg("pillow", 90, "420")
    hole = disc_mask(SIZE, (160, 120), 70)  # its crop is most of the frame
    edited, filled = crop_edit(data, hole)
    _, seam = allowed_area(data, hole, tmp_path)
    moved = (pixels(data) != pixels(edited)).any(axis=2)
    assert moved.any() and not moved[~seam].any()
    assert np.abs(pixels(edited).astype(int)[hole] - filled[hole].astype(int)).mean() < 4


def test_an_edit_without_a_hole_rewrites_no_coefficient(tmp_path):
    data = make_jpeg("pillow", 85, "420")
    old, _ = coefficients(data, tmp_path)
    new, _ = coefficients(JpegCropEdit(data).save().data, tmp_path)
    assert all(np.array_equal(a, b) for a, b in zip(old, new, strict=True))


@pytest.mark.parametrize("subsampling", ["444", "422", "420", "440", "Gray"])
@pytest.mark.parametrize(
    "box", [Box(0, 0, *SIZE), Box(101, 57, 203, 150), Box(3, 5, 19, 240), Box(300, 200, *SIZE)]
)
def test_pixels_decoded_from_coefficients_match_libjpeg(subsampling, box):
    data = make_jpeg("simplejpeg", 92, subsampling)
    expected = pixels(data).astype(int)[box.slices]
    got = decode_box(read_coefficients(data), box).astype(int)
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() <= 4
    assert np.abs(got - expected).mean() < 0.5


@pytest.mark.parametrize(
    "params",
    [{}, {"subsampling": 0}, {"subsampling": 1, "progressive": True}, {"restart_marker_blocks": 2}],
)
@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK"])
def test_our_header_parse_agrees_with_jpeglib(mode, params):
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    buffer = io.BytesIO()
    Image.fromarray(camera_photo()).convert(mode).save(
        buffer, "JPEG", exif=exif.tobytes(), icc_profile=b"\0" * 300, **params
    )
    data = buffer.getvalue()
    ours = read_header(data)
    with _memory_file(data) as (_, path):
        theirs = jpeglib.read_dct(path)
    assert (ours.height, ours.width) == (theirs.height, theirs.width)
    assert np.array_equal(ours.block_dims, theirs.block_dims)
    assert np.array_equal(ours.samp_factor, theirs.samp_factor)
    assert ours.jpeg_color_space == theirs.jpeg_color_space
    assert ours.progressive_mode == theirs.progressive_mode
    assert [(m.type, m.content) for m in ours.markers] == [
        (m.type, m.content) for m in theirs.markers
    ]


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff\xd8", b"\xff\xd8\xff\xe0\x00", b"\xff\xd8\x00\x00", b"\xff\xd8\xff\xc3\x00\x0b"],
    ids=["empty", "soi only", "cut segment", "garbage", "lossless"],
)
def test_our_header_parse_refuses_what_it_cannot_vouch_for(data):
    with pytest.raises(OSError):
        read_header(data)
