"""``amethyst bench`` on tiny real photos: it runs in seconds and writes every report file."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

import amethyst
from amethyst.bench import BenchConfig, run_bench
from amethyst.bench.dataset import (
    BIN_EDGES,
    OBJECT_BIN_EDGES,
    BenchError,
    build_cases,
    stratified_mask,
    stratified_object_mask,
)
from amethyst.bench.pairs import parse_pair
from amethyst.bench.quality import score_fill
from amethyst.bench.sheets import (
    GAP,
    HOLE_GREY,
    LABEL_HEIGHT,
    MAX_WIDTH,
    MIN_SIDE,
    SheetCase,
    crop_box,
    render_sheet,
    write_pair_sheets,
)
from amethyst.bench.speed import object_mask
from amethyst.bench.tally import describe, read_answers, tally
from amethyst.cli.main import app
from amethyst.engines import resolve
from amethyst.engines.patchmatch import PatchMatchEngine
from amethyst.errors import UnknownEngine
from amethyst.evaluation.object_masks import OBJECT_KINDS
from tests.photos import photo

REPORT_FILES = (
    "report.md",
    "quality.csv",
    "per_photo.csv",
    "speed.csv",
    "montage.png",
    "quality_vs_time.png",
)


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    """Two tiny real photos in a folder."""
    folder = tmp_path / "photos"
    folder.mkdir()
    photo("coffee.jpg").resize((96, 64)).save(folder / "coffee.png")
    photo("chelsea.jpg").resize((80, 60)).save(folder / "chelsea.jpg")
    return folder


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_bench_on_two_tiny_photos_writes_every_file(photos, tmp_path):
    out = tmp_path / "out"
    args = ["bench", "--photos", str(photos), "--count", "2", "--out", str(out)]
    args += ["-e", "telea", "-e", "patchmatch", "--speed-size", "64x48", "--speed-repeats", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    for name in REPORT_FILES:
        assert (out / name).stat().st_size > 0, name
    per_photo = _rows(out / "per_photo.csv")
    assert sorted((r["engine"], r["photo"]) for r in per_photo) == [
        ("patchmatch", "chelsea.jpg"),
        ("patchmatch", "coffee.png"),
        ("telea", "chelsea.jpg"),
        ("telea", "coffee.png"),
    ]
    assert all(r["error"] == "" and float(r["psnr"]) > 0 for r in per_photo)
    assert all(float(r["seam"]) >= 0 for r in per_photo)
    # Haze is blank where no textured pixel lies 3 px inside the hole.
    assert all(r["haze"] == "" or 0 <= float(r["haze"]) <= 1 for r in per_photo)
    assert {r["family"] for r in per_photo} == {"strokes", "objects"}
    speed = _rows(out / "speed.csv")
    assert {r["engine"] for r in speed} == {"telea", "patchmatch"}
    assert all(float(r["median_seconds"]) > 0 and float(r["peak_mib"]) >= 0 for r in speed)
    report = (out / "report.md").read_text()
    assert "amethyst bench --photos" in report
    assert "](montage.png)" in report and "](quality_vs_time.png)" in report
    with Image.open(out / "montage.png") as montage:
        assert montage.width > 3 * 64  # input, then one column per engine


def test_bench_times_the_gan_network_alone_at_512(photos, tmp_path):
    out = tmp_path / "out"
    args = ["bench", "--photos", str(photos), "--count", "1", "--out", str(out), "-e", "gan"]
    result = CliRunner().invoke(app, [*args, "--speed-size", "64x48", "--speed-repeats", "1"])
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text()
    found = re.search(r"GAN network alone \(`amethyst-gan.onnx`.*median \*\*([0-9.]+) ms", report)
    assert found and float(found.group(1)) > 0


def test_summary_counts_every_photo_once_per_engine(photos, tmp_path):
    out = tmp_path / "out"
    config = BenchConfig(
        photos=sorted(photos.iterdir()),
        root=photos,
        source="two photos",
        engines=["ns"],
        out=out,
        speed_sizes=(),
    )
    run_bench(config, show_progress=False)
    rows = _rows(out / "quality.csv")
    overall = [
        (r["engine"], r["family"], r["photos"], r["failures"]) for r in rows if r["bin"] == "all"
    ]
    assert overall == [
        ("ns", "all", "2", "0"),
        ("ns", "strokes", "1", "0"),
        ("ns", "objects", "1", "0"),
    ]
    by_bin = [r for r in rows if r["bin"] != "all"]
    assert sum(int(r["photos"]) for r in by_bin) == 2
    assert all(float(r["seam"]) >= 0 for r in rows)
    report = (out / "report.md").read_text()
    assert "| mask family | engine |" in report and "| objects | `ns` |" in report
    assert "seam ↓ | haze ↓" in report


def test_masks_from_a_folder_are_the_holes_scored(photos, tmp_path):
    masks = tmp_path / "masks"
    masks.mkdir()
    expected = {}
    for path in photos.iterdir():
        with Image.open(path) as image:
            hole = np.zeros((image.height, image.width), np.uint8)
        hole[10:30, 20:50] = 255
        Image.fromarray(hole).save(masks / f"{path.stem}.png")
        expected[path.name] = (hole > 0).mean()
    config = BenchConfig(
        photos=sorted(photos.iterdir()),
        root=photos,
        source="two photos",
        masks=masks,
        engines=["telea"],
        out=tmp_path / "out",
        speed_sizes=(),
    )
    result = run_bench(config, show_progress=False)
    assert {r.photo: r.hole_ratio for r in result.records} == pytest.approx(expected)


def test_a_photo_without_its_mask_is_a_clear_error(photos, tmp_path):
    masks = tmp_path / "masks"
    masks.mkdir()
    args = ["bench", "--photos", str(photos), "--masks", str(masks), "--out", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--no-speed"])
    assert result.exit_code == 1
    assert "no mask for" in result.output


def test_an_uninstalled_peer_is_reported_missing_not_failed(photos, tmp_path, monkeypatch):
    monkeypatch.setattr(PatchMatchEngine, "is_available", classmethod(lambda cls: False))
    config = BenchConfig(
        photos=sorted(photos.iterdir()),
        root=photos,
        source="two photos",
        engines=["telea", "patchmatch"],
        out=tmp_path / "out",
        speed_sizes=(),
    )
    result = run_bench(config, show_progress=False)
    assert result.engines == ["telea"]
    assert "patchmatch" in result.missing
    assert "**Missing**" in (tmp_path / "out" / "report.md").read_text()


def test_an_unreadable_photo_is_skipped_and_named_in_the_report(photos, tmp_path):
    (photos / "broken.jpg").write_bytes(b"not a jpeg at all")
    config = BenchConfig(
        photos=sorted(photos.iterdir()),
        root=photos,
        source="three photos",
        engines=["telea"],
        out=tmp_path / "out",
        speed_sizes=(),
    )
    result = run_bench(config, show_progress=False)
    assert list(result.skipped) == ["broken.jpg"]
    assert len(result.records) == 2
    assert "broken.jpg" in (tmp_path / "out" / "report.md").read_text()


def test_an_unknown_engine_is_a_clear_error(photos, tmp_path):
    args = ["bench", "--photos", str(photos), "-e", "nope", "--out", str(tmp_path), "--no-speed"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "unknown engine 'nope'" in result.output


def test_generated_stroke_masks_fill_the_asked_hole_size_bin():
    for size_bin in range(6):
        mask = stratified_mask(
            120, 160, seed=3, index=2 * size_bin, kind="medium", size_bin=size_bin
        )
        assert max(BIN_EDGES[size_bin], 0.01) <= mask.mean() < BIN_EDGES[size_bin + 1]


def test_generated_object_masks_fill_the_asked_object_size_bin():
    for size_bin in range(3):
        for kind in OBJECT_KINDS:
            mask = stratified_object_mask(120, 160, 3, 2 * size_bin + 1, kind, size_bin)
            assert OBJECT_BIN_EDGES[size_bin] <= mask.mean() < OBJECT_BIN_EDGES[size_bin + 1]


def test_generated_masks_repeat_for_the_same_seed():
    for make in (stratified_mask, stratified_object_mask):
        kind = "thick" if make is stratified_mask else "silhouette"
        first = make(90, 120, seed=5, index=2, kind=kind, size_bin=1)
        assert np.array_equal(first, make(90, 120, seed=5, index=2, kind=kind, size_bin=1))
        assert not np.array_equal(first, make(90, 120, seed=6, index=2, kind=kind, size_bin=1))


def test_the_generated_set_alternates_strokes_and_objects_and_spreads_kinds_and_sizes(photos):
    paths = [photos / f"p{i:02d}.png" for i in range(36)]
    cases = build_cases(paths, photos, None, count=36, seed=0)
    assert [c.family for c in cases[:4]] == ["strokes", "objects", "strokes", "objects"]
    objects = [c for c in cases if c.family == "objects"]
    strokes = [c for c in cases if c.family == "strokes"]
    assert len(objects) == len(strokes) == 18
    # A small set already has every object kind in every size.
    assert {c.mask_source for c in objects[:3]} == set(OBJECT_KINDS)
    assert {c.size_bin for c in objects[:3]} == {0, 1, 2}
    assert {(c.size_bin, c.mask_source) for c in objects[:9]} == {
        (b, k) for b in range(3) for k in OBJECT_KINDS
    }
    assert {c.size_bin for c in strokes[:6]} == set(range(6))
    assert {(c.size_bin, c.mask_source) for c in strokes} == {
        (b, k) for b in range(6) for k in ("thin", "medium", "thick")
    }


def test_the_photo_draw_depends_on_the_seed_only(photos):
    paths = [photos / f"p{i}.png" for i in range(10)]
    first = build_cases(paths, photos, None, count=4, seed=1)
    assert build_cases(paths, photos, None, count=4, seed=1) == first
    assert len(first) == 4


def test_the_speed_object_covers_about_five_percent():
    assert object_mask(3000, 4000).mean() == pytest.approx(0.05, rel=0.05)
    assert object_mask(512, 512).mean() == pytest.approx(0.05, rel=0.05)


def _sheet_case(name: str, width: int = 200, height: int = 150) -> SheetCase:
    """A noisy photo with a square hole in it."""
    rgb = np.random.default_rng(len(name)).integers(0, 256, (height, width, 3), dtype=np.uint8)
    mask = np.zeros((height, width), bool)
    mask[40:70, 60:100] = True
    return SheetCase(name, rgb, mask, {"family": "objects"})


def _fills(cases: list[SheetCase], value: int) -> list[np.ndarray]:
    filled = []
    for case in cases:
        out = case.rgb.copy()
        out[case.mask] = value
        filled.append(out)
    return filled


def test_pair_sheets_hide_the_engines_and_balance_the_sides(tmp_path):
    cases = [_sheet_case(f"photo{i}.jpg") for i in range(8)]
    fills = {"alpha_engine": _fills(cases, 0), "beta_engine": _fills(cases, 255)}
    sheets, key_path = tmp_path / "sheets", tmp_path / "key.json"
    written = write_pair_sheets(cases, fills, sheets, key_path, seed=3)
    assert [p.name for p in written] == [f"sheet-{i:03d}.png" for i in range(1, 9)]
    assert sorted(p.name for p in sheets.iterdir()) == sorted(
        [p.name for p in written] + ["answers.csv", "README.txt"]
    )
    shown = "".join(p.read_text() for p in (sheets / "answers.csv", sheets / "README.txt"))
    assert "alpha" not in shown and "beta" not in shown
    key = json.loads(key_path.read_text())
    assert key["engines"] == ["alpha_engine", "beta_engine"]
    assert sum(entry["A"] == "alpha_engine" for entry in key["sheets"].values()) == 4
    assert key["sheets"]["sheet-001"]["photo"] == "photo0.jpg"
    assert key["sheets"]["sheet-001"]["family"] == "objects"
    for path, entry in zip(written, key["sheets"].values(), strict=True):
        with Image.open(path) as sheet:
            pixels = np.asarray(sheet)
        # The photo is 200 px wide, under the crop's minimum: all of it, at 100 %, per panel.
        assert sheet.width == 3 * 200 + 4 * GAP
        top = LABEL_HEIGHT
        panels = [pixels[top + 55, GAP + c * (200 + GAP) + 80] for c in range(3)]
        assert tuple(panels[0]) == HOLE_GREY
        assert panels[1][0] == (0 if entry["A"] == "alpha_engine" else 255)
        assert panels[2][0] == (255 if entry["A"] == "alpha_engine" else 0)
    again = tmp_path / "again"
    write_pair_sheets(cases, fills, again / "sheets", again / "key.json", seed=3)
    assert json.loads((again / "key.json").read_text()) == key


def test_a_large_photo_is_cropped_around_the_hole_and_a_wide_crop_shrunk():
    mask = np.zeros((1000, 3000), bool)
    mask[500:540, 1000:1040] = True
    left, top, right, bottom = crop_box(mask)
    assert (right - left, bottom - top) == (MIN_SIDE, MIN_SIDE)
    assert left < 1000 and right > 1040 and top < 500 and bottom > 540
    mask[:, :] = False
    mask[10:20, 0:2600] = True
    rgb = np.zeros((1000, 3000, 3), np.uint8)
    sheet = render_sheet(rgb, mask, rgb, rgb)
    assert sheet.width == 3 * MAX_WIDTH + 4 * GAP


def test_a_failed_fill_gets_no_sheet_and_the_key_may_not_hide_among_the_sheets(tmp_path):
    cases = [_sheet_case("a.jpg"), _sheet_case("bb.jpg")]
    fills = {"x": _fills(cases, 0), "y": [None, _fills(cases, 9)[1]]}
    written = write_pair_sheets(cases, fills, tmp_path / "s", tmp_path / "key.json")
    key = json.loads((tmp_path / "key.json").read_text())
    assert len(written) == 1 and key["skipped"] == {"a.jpg": "no fill from y"}
    with pytest.raises(ValueError, match="must not be inside"):
        write_pair_sheets(cases, fills, tmp_path / "s", tmp_path / "s" / "key.json")


def test_answers_are_tallied_against_the_key(tmp_path):
    key = {
        "engines": ["new", "old"],
        "sheets": {
            f"sheet-{i:03d}": {"A": "new", "B": "old"} if i % 2 else {"A": "old", "B": "new"}
            for i in range(1, 7)
        },
    }
    key["sheets"]["sheet-001"]["scores"] = {
        "new": {"haze": 0.1, "seam": 0.9, "psnr": None},
        "old": {"haze": 0.5, "seam": 0.4, "psnr": 20.0},
    }
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "sheet,answer\nsheet-001,A\nsheet-002.png,b, sharper\n# a comment\n\n"
        "sheet-003 tie\nsheet-004,B\nsheet-005,\n"
    )
    result = tally([read_answers(answers)], key)
    assert result.wins == {"new": 3, "old": 0} and result.ties == 1
    assert result.unanswered == ("sheet-005", "sheet-006")
    text = describe(result)
    assert "new  preferred in 3 of 4 (75%); 3 of 3 without ties (100%)" in text
    assert result.agreement["haze"] == (1, 1) and result.agreement["seam"] == (0, 1)
    assert result.agreement["psnr"] == (0, 0)
    assert "scored better on: seam 0 of 1, haze 1 of 1" in text
    second = tmp_path / "second.csv"
    second.write_text("sheet-005,A\nsheet-001,B\n")
    both = tally([read_answers(answers), read_answers(second)], key)
    assert both.wins == {"new": 4, "old": 1} and both.unanswered == ("sheet-006",)
    answers.write_text("sheet-009,A\n")
    with pytest.raises(BenchError, match="no sheet 'sheet-009'"):
        tally([read_answers(answers)], key)
    answers.write_text("sheet-001,maybe\n")
    with pytest.raises(BenchError, match="not A, B or tie"):
        read_answers(answers)


def test_a_pair_is_two_different_installed_engines_with_auto_resolved():
    assert parse_pair(" auto, telea ") == (resolve("auto"), "telea")
    with pytest.raises(BenchError, match="telea twice"):
        parse_pair("telea,telea")
    with pytest.raises(UnknownEngine, match="unknown engine 'nope'"):
        parse_pair("telea,nope")


def test_a_pair_may_be_two_fills_of_one_engine():
    auto = resolve("auto")
    assert parse_pair("auto,auto@1") == (auto, f"{auto}@1")
    assert parse_pair("gan@3,gan") == ("gan@1", "gan")  # counted modulo gan's two fills
    with pytest.raises(BenchError, match="twice"):
        parse_pair("telea,telea@1")  # Telea gives one fill
    with pytest.raises(BenchError, match="after @"):
        parse_pair("gan@x,telea")


def test_a_fill_spec_scores_that_fill():
    rgb = np.asarray(photo("chelsea.jpg"))
    mask = np.zeros(rgb.shape[:2], bool)
    mask[120:180, 200:260] = True
    usual, first = score_fill("gan", "cat", "box", rgb, mask, "objects")
    other, second = score_fill("gan@1", "cat", "box", rgb, mask, "objects")
    assert usual.error is None and other.error is None and other.engine == "gan@1"
    assert np.array_equal(second, amethyst.inpaint(rgb, mask, engine="gan", variant=1))
    assert not np.array_equal(first, second)


def test_pairs_then_tally_from_the_command_line(photos, tmp_path):
    out = tmp_path / "pairs"
    args = ["bench", "--photos", str(photos), "--count", "2", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--pairs", "telea,ns", "--seed", "1"])
    assert result.exit_code == 0, result.output
    key = json.loads((out / "key.json").read_text())
    assert key["engines"] == ["telea", "ns"] and len(key["sheets"]) == 2
    assert {e["family"] for e in key["sheets"].values()} == {"strokes", "objects"}
    assert all(set(e["scores"]) == {"telea", "ns"} for e in key["sheets"].values())
    answers = out / "sheets" / "answers.csv"
    answers.write_text("sheet,answer\nsheet-001,A\nsheet-002,A\n")
    tallied = CliRunner().invoke(
        app, ["bench", "--tally", str(answers), "--key", str(out / "key.json")]
    )
    assert tallied.exit_code == 0, tallied.output
    assert "preferred in" in tallied.output and "2 judgements" in tallied.output
    bad = CliRunner().invoke(app, [*args, "--pairs", "telea"])
    assert bad.exit_code == 1 and "two different engines" in bad.output
    no_key = CliRunner().invoke(app, ["bench", "--tally", str(answers)])
    assert no_key.exit_code != 0 and "--key" in no_key.output
