"""The amethyst command line, run as a user runs it: a subprocess on real files."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.photos import disc_mask, photo
from tests.test_strokes import paint_strokes


def amethyst(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "amethyst.cli.main", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def files(tmp_path):
    image = photo("chelsea.jpg")
    image.save(tmp_path / "cat.png")
    hole = disc_mask(image.size, (225, 150), 25)
    Image.fromarray(hole).save(tmp_path / "mask.png")
    return tmp_path, image, hole


def test_remove_with_a_mask_writes_the_result_in_the_same_format(files):
    folder, image, hole = files
    run = amethyst(
        "remove",
        folder / "cat.png",
        "--mask",
        folder / "mask.png",
        "-o",
        folder / "out.png",
        "--engine",
        "telea",
    )
    assert run.returncode == 0, run.stderr
    out = np.asarray(Image.open(folder / "out.png"))
    assert np.array_equal(out[~hole], np.asarray(image)[~hole])
    assert (out[hole] != np.asarray(image)[hole]).any()


def test_default_output_sits_beside_the_input_named_like_the_web_editor_saves(files):
    folder, _, _ = files
    run = amethyst("remove", folder / "cat.png", "--mask", folder / "mask.png", "-e", "ns")
    assert run.returncode == 0, run.stderr
    assert (folder / "cat-amethyst.png").exists()
    assert not (folder / "cat.amethyst.png").exists()


def test_an_output_folder_gets_the_default_name_and_a_bmp_photo_a_png_result(files):
    folder, image, _ = files
    image.save(folder / "cat.bmp")
    (folder / "out").mkdir()
    run = amethyst(
        "remove", folder / "cat.bmp", "-m", folder / "mask.png", "-o", folder / "out", "-e", "ns"
    )
    assert run.returncode == 0, run.stderr
    assert Image.open(folder / "out" / "cat-amethyst.png").format == "PNG"


def test_a_folder_of_photos_defaults_to_a_sibling_folder_named_like_the_results(tmp_path):
    (tmp_path / "photos").mkdir()
    painted, _ = paint_strokes(np.asarray(photo("coffee.jpg")))
    Image.fromarray(painted).save(tmp_path / "photos" / "a.png")
    run = amethyst("remove", tmp_path / "photos", "--strokes", "-e", "telea")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "photos-amethyst" / "a.png").exists()


@pytest.mark.parametrize(
    ("name", "format"),
    [("out.png", "PNG"), ("out.jpg", "JPEG"), ("out.JPEG", "JPEG"), ("out.webp", "WEBP")],
)
def test_the_output_extension_decides_the_format(files, name, format):
    folder, _, _ = files
    run = amethyst(
        "remove", folder / "cat.png", "-m", folder / "mask.png", "-o", folder / name, "-e", "ns"
    )
    assert run.returncode == 0, run.stderr
    assert Image.open(folder / name).format == format


@pytest.mark.parametrize("name", ["out.xyz", "out.tiff", "out"])
def test_an_output_extension_we_do_not_write_is_a_clear_error(files, name):
    folder, _, _ = files
    run = amethyst("remove", folder / "cat.png", "-m", folder / "mask.png", "-o", folder / name)
    assert run.returncode == 1 and not (folder / name).exists()
    assert run.stderr.startswith("error: cannot write")
    assert ".png, .jpg, .jpeg or .webp" in run.stderr
    assert run.stderr.strip().count("\n") == 0


def test_strokes_mark_the_hole(tmp_path):
    painted, coverage = paint_strokes(np.asarray(photo("coffee.jpg")))
    Image.fromarray(painted).save(tmp_path / "painted.jpg", quality=90)
    run = amethyst(
        "remove", tmp_path / "painted.jpg", "--strokes", "-o", tmp_path / "out.jpg", "-e", "telea"
    )
    assert run.returncode == 0, run.stderr
    out = np.asarray(Image.open(tmp_path / "out.jpg").convert("RGB")).astype(int)
    magenta = (out[..., 0] > 200) & (out[..., 2] > 200) & (out[..., 1] < 80)
    assert not magenta[coverage > 0].any()


def test_folders_are_processed_with_masks_matched_by_name(tmp_path):
    photos, masks, out = tmp_path / "photos", tmp_path / "masks", tmp_path / "out"
    photos.mkdir(), masks.mkdir()
    for name in ("a", "b"):
        image = photo("coffee.jpg")
        image.save(photos / f"{name}.jpg")
        Image.fromarray(disc_mask(image.size, (100, 100), 20)).save(masks / f"{name}.png")
    run = amethyst("remove", photos, "--mask", masks, "-o", out, "-e", "telea")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.jpg", "b.jpg"]
    assert Image.open(out / "a.jpg").format == "JPEG"


def test_mask_of_the_wrong_size_is_one_line_and_nonzero(files):
    folder, _, _ = files
    Image.new("L", (10, 10), 255).save(folder / "small.png")
    run = amethyst("remove", folder / "cat.png", "--mask", folder / "small.png")
    assert run.returncode == 1
    assert run.stderr.strip().count("\n") == 0 and "10x10" in run.stderr and "451x300" in run.stderr


def test_not_an_image_is_one_line_and_nonzero(files):
    folder, _, _ = files
    (folder / "notes.png").write_text("not a photo")
    run = amethyst("remove", folder / "notes.png", "--mask", folder / "mask.png")
    assert run.returncode == 1 and run.stderr.startswith("error:")
    assert "Traceback" not in run.stderr


def test_input_is_never_overwritten_unless_asked(files):
    folder, _, _ = files
    before = (folder / "cat.png").read_bytes()
    run = amethyst(
        "remove", folder / "cat.png", "--mask", folder / "mask.png", "-o", folder / "cat.png"
    )
    assert run.returncode == 1 and "overwrite" in run.stderr
    assert (folder / "cat.png").read_bytes() == before
    run = amethyst(
        "remove",
        folder / "cat.png",
        "--mask",
        folder / "mask.png",
        "-o",
        folder / "cat.png",
        "--overwrite",
        "-e",
        "telea",
    )
    assert run.returncode == 0 and (folder / "cat.png").read_bytes() != before


def test_engines_command_lists_engines():
    run = amethyst("engines")
    assert run.returncode == 0
    assert {"telea", "ns", "patchmatch"} <= {line.split(":")[0] for line in run.stdout.splitlines()}


DANGLING = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or"}
DANGLING |= {"than", "that", "the", "to", "with", "which", "while"}


def test_every_engine_description_is_a_whole_phrase():
    for line in amethyst("engines").stdout.splitlines():
        name, description = line.split(": ", 1)
        last = description.rstrip().split()[-1]
        assert last.lower() not in DANGLING and last[-1].isalnum(), f"{name}: {description!r}"


def test_a_rotated_photos_mask_in_its_stored_orientation_is_accepted_and_said(tmp_path):
    stored = photo("chelsea.jpg")  # 451x300 as stored; EXIF orientation 6 shows it 300x451
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(tmp_path / "turned.jpg", exif=exif.tobytes(), quality=95)
    hole = disc_mask(stored.size, (225, 150), 25)  # drawn on the stored pixels
    Image.fromarray(hole).save(tmp_path / "mask.png")
    run = amethyst(
        "remove", tmp_path / "turned.jpg", "--mask", tmp_path / "mask.png", "-o", tmp_path / "o.png"
    )
    assert run.returncode == 0, run.stderr
    assert "stored orientation" in run.stdout
    with Image.open(tmp_path / "o.png") as out:
        assert out.size == (300, 451)


def test_variant_writes_another_fill_of_the_same_hole(files):
    folder, image, hole = files
    for variant in ("0", "1"):
        args = ("--engine", "gan", "--variant", variant, "-o", folder / f"v{variant}.png")
        run = amethyst("remove", folder / "cat.png", "--mask", folder / "mask.png", *args)
        assert run.returncode == 0, run.stderr
    first, second = (np.asarray(Image.open(folder / f"v{v}.png")) for v in "01")
    assert np.array_equal(second[~hole], np.asarray(image)[~hole])
    assert (first[hole] != second[hole]).any(axis=1).mean() > 0.5
    run = amethyst("remove", folder / "cat.png", "--mask", folder / "mask.png", "--variant", "-1")
    assert run.returncode != 0 and "variant" in run.stderr


def test_keep_out_leaves_a_neighbour_out_of_the_fill(tmp_path):
    from tests.test_keep_out import _post_beside_hole, _post_white

    rgb, hole, post = _post_beside_hole()
    Image.fromarray(rgb).save(tmp_path / "beach.png")
    for name, mask in (("hole.png", hole), ("post.png", post), ("short.png", post[:-4])):
        Image.fromarray(mask.astype(np.uint8) * 255).save(tmp_path / name)
    base = ("remove", tmp_path / "beach.png", "--mask", tmp_path / "hole.png")
    run = amethyst(*base, "--keep-out", tmp_path / "post.png", "-o", tmp_path / "out.png")
    assert run.returncode == 0, run.stderr
    out = np.asarray(Image.open(tmp_path / "out.png"))
    assert _post_white(out, hole) < 0.01 and np.array_equal(out[~hole], rgb[~hole])
    run = amethyst(*base, "--keep-out", tmp_path / "short.png", "-o", tmp_path / "bad.png")
    assert run.returncode == 1 and "keep_out is" in run.stderr
