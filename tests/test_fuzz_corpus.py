"""The committed fuzz corpus: complete, reproducible, and handled by the library as listed."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import amethyst
from amethyst.errors import ImageTooLarge, InvalidImage
from amethyst.imaging.io import decode_image, encode_result
from amethyst.imaging.masks import check_mask, to_bool_mask
from tests.fuzz.corpus import (
    CORPUS,
    HERE,
    MANIFEST,
    base_mask,
    base_photo,
    centre_hole,
    entries,
    entry_id,
)

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns on corrupt EXIF

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "make_fuzz_corpus.py"
ROLES = {"image", "mask", "body"}
OUTCOMES = {"reject", "accept", "either"}
DECODES = {"ok", "InvalidImage", "ImageTooLarge", "any"}
WRITABLE = {"PNG", "JPEG", "WEBP"}


def decoded_files(role: str) -> list:
    return [e for e in entries(role) if e.decode is not None]


def test_the_corpus_holds_at_least_200_inputs_all_listed_in_the_manifest():
    listed = {e.file for e in entries()}
    on_disk = {str(p.relative_to(HERE)) for p in CORPUS.rglob("*") if p.is_file()}
    assert len(listed) >= 200
    assert listed == on_disk


def test_every_manifest_entry_says_what_it_is_and_what_may_come_back():
    for entry in entries():
        assert entry.role in ROLES and entry.expect in OUTCOMES and entry.what, entry
        if entry.role == "body":
            assert entry.endpoint in ("/complete-image", "/api/v1/inpaint"), entry
        else:
            assert entry.decode in DECODES, entry


def test_the_script_regenerates_the_same_manifest_and_bytes(tmp_path):
    for run in ("a", "b"):
        subprocess.run([sys.executable, SCRIPT, tmp_path / run], check=True, capture_output=True)
    assert (tmp_path / "a" / "manifest.json").read_text() == MANIFEST.read_text()
    for entry in entries():
        assert (tmp_path / "a" / entry.file).read_bytes() == (
            tmp_path / "b" / entry.file
        ).read_bytes()


@pytest.mark.parametrize("entry", decoded_files("image") + decoded_files("mask"), ids=entry_id)
def test_every_corpus_file_decodes_as_the_manifest_says(entry):
    try:
        decode_image(entry.data)
        outcome = "ok"
    except ImageTooLarge as exc:
        outcome, message = "ImageTooLarge", str(exc)
    except InvalidImage as exc:
        outcome, message = "InvalidImage", str(exc)
    if outcome != "ok":
        assert message
    assert outcome == entry.decode or (entry.decode == "any" and outcome != "ImageTooLarge")


@pytest.mark.parametrize(
    "entry", [e for e in entries("image") if e.decode in ("ok", "any")], ids=entry_id
)
def test_every_readable_corpus_photo_is_edited_with_outside_pixels_kept(entry):
    try:
        decoded = decode_image(entry.data)
        hole = centre_hole(decoded.image.size)
        result = amethyst.inpaint(decoded.image, hole, engine="telea")
    except InvalidImage:
        assert entry.expect == "either"  # a mode the engines cannot take, refused clearly
        return
    assert result.mode == decoded.image.mode and result.size == decoded.image.size
    before, after = np.asarray(decoded.image), np.asarray(result)
    assert (after[~hole] == before[~hole]).all()
    if decoded.format in WRITABLE:
        encoded = encode_result(result, decoded, hole)
        assert decode_image(encoded.data).image.size == decoded.image.size


@pytest.mark.parametrize("entry", entries("mask"), ids=entry_id)
def test_every_corpus_mask_is_used_or_refused_as_the_manifest_says(entry):
    photo = decode_image(base_photo()).image
    try:
        mask = to_bool_mask(decode_image(entry.data).image)
        check_mask(mask, photo.size)
        if not mask.any():
            outcome = "empty"
        else:
            amethyst.inpaint(photo, mask, engine="telea")
            outcome = "accept"
    except (InvalidImage, amethyst.InvalidMask) as exc:
        outcome = "reject"
        for text in entry.message:
            assert text in str(exc)
    assert outcome == entry.expect or (entry.expect == "either" and outcome != "accept")


def test_right_size_masks_in_every_lossless_mode_mark_the_same_hole():
    expected = to_bool_mask(decode_image(base_mask()).image)
    for entry in entries("mask"):
        if entry.name.startswith("mask/mode/") and not entry.name.endswith(".jpg"):
            assert (to_bool_mask(decode_image(entry.data).image) == expected).all(), entry.name


def test_manifest_is_valid_json_rows():
    rows = json.loads(MANIFEST.read_text())
    assert isinstance(rows, list) and all(isinstance(row, dict) for row in rows)


@pytest.mark.parametrize(
    "entry",
    [e for e in entries("image") if e.name.startswith("image/other_format/")],
    ids=entry_id,
)
def test_photos_in_formats_amethyst_cannot_write_come_back_as_png(entry):
    decoded = decode_image(entry.data)
    hole = centre_hole(decoded.image.size)
    try:
        result = amethyst.inpaint(decoded.image, hole, engine="telea")
    except InvalidImage:
        assert entry.expect == "either"  # float, LAB or big-endian 16-bit: refused clearly
        return
    encoded = encode_result(result, decoded, hole)
    assert encoded.format == "PNG" and "written as PNG" in encoded.notes[0]
    written = decode_image(encoded.data).image
    assert written.size == decoded.image.size
