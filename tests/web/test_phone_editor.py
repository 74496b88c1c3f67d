"""The editor in a 390x844 touch phone viewport, against a real ``amethyst serve``."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps
from playwright.sync_api import expect

from tests.web.compare_slider import check_compare_slider
from tests.web.editor_driver import EditorDriver
from tests.web.scenes import RED, YELLOW, rotated_phone_photo, small_scene

pytestmark = pytest.mark.browser


# Notes when the picker first shows, whether the splash was still up then, and when the page
# finished loading its scripts (DOMContentLoaded).
WATCH_PICKER = """
addEventListener("DOMContentLoaded", () => (window.domReadyAt = performance.now()));
new MutationObserver(() => {
  const picker = document.getElementById("picker");
  if (!picker || picker.hidden || window.pickerShown) return;
  const splash = !document.getElementById("splash").hidden;
  window.pickerShown = { at: performance.now(), splash };
}).observe(document, { subtree: true, childList: true, attributes: true });
"""


def differs(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).mean())


def test_the_splash_greets_the_first_visit_only(phone: EditorDriver) -> None:
    page = phone.page
    page.add_init_script(WATCH_PICKER)
    phone.open()
    expect(phone.button("Pick a photo")).to_be_visible()
    assert page.evaluate("() => window.pickerShown.splash"), "a first visit opens on the splash"
    expect(page.locator("#splash")).to_be_hidden()

    page.reload()
    expect(phone.button("Pick a photo")).to_be_visible()
    shown = page.evaluate("() => ({ ...window.pickerShown, domReadyAt: window.domReadyAt })")
    assert not shown["splash"], "later visits open on the picker, with no splash to wait for"
    assert shown["at"] <= shown["domReadyAt"], "the picker shows as soon as the app has loaded"


def test_paint_undo_redo_clear_done_save_and_keep_editing_on_a_phone(
    phone: EditorDriver, tmp_path: Path
) -> None:
    page = phone.page
    photo_path = small_scene(tmp_path / "garden.png")
    photo = np.asarray(Image.open(photo_path), int)

    phone.open()
    phone.screenshot("1-splash")
    expect(phone.button("Pick a photo")).to_be_visible()
    expect(phone.button("Take a photo")).to_be_visible()
    phone.screenshot("2-picker")

    phone.pick_photo(photo_path)
    phone.screenshot("3-editor")
    disc = phone.find_colour(RED)
    assert disc is not None, "the red disc should be on screen"
    plain = phone.around(disc, 30)
    plain_hole = phone.around(disc, 14)
    expect(phone.button("Done")).to_be_disabled()

    phone.scribble(disc, 30)
    painted = phone.around(disc, 30)
    assert differs(painted, plain) > 10, "the stroke should tint the photo"
    expect(phone.button("Done")).to_be_enabled()
    phone.screenshot("4-painted")

    phone.button("Undo").click()
    assert differs(phone.around(disc, 30), plain) == 0
    expect(phone.button("Done")).to_be_disabled()

    phone.button("Redo").click()
    assert differs(phone.around(disc, 30), painted) == 0

    phone.button("Clear all").click()
    assert differs(phone.around(disc, 30), plain) == 0
    expect(phone.button("Done")).to_be_disabled()

    phone.scribble(disc, 30)
    assert differs(phone.around(disc, 30), painted) < 1
    phone.press_done_and_wait()
    phone.screenshot("5-result")

    after_hole = phone.around(disc, 14)
    far = {"x": disc["x"] + 150, "y": disc["y"] + 90}
    after_far = phone.around(far, 12)
    phone.button("Hold to see before").dispatch_event("pointerdown")
    before_hole = phone.around(disc, 14)
    before_far = phone.around(far, 12)
    phone.screenshot("6-holding-before")
    phone.button("Hold to see before").dispatch_event("pointerup")
    assert differs(before_hole, plain_hole) < 1, "holding shows the photo as it was"
    assert differs(after_hole, before_hole) > 40, "the disc is gone from the result"
    assert (after_far == before_far).all(), "far from the stroke the result is the photo"
    assert np.abs(after_hole.mean(axis=(0, 1)) - np.array(RED)).sum() > 150

    page.locator("#compare").fill("60")
    phone.screenshot("7-compare-slider")
    assert differs(phone.around(disc, 14), before_hole) < 1, "left of the divider is before"
    assert check_compare_slider(phone, disc) > 300, "the slider spans the photo"

    name, first_bytes, saved = phone.save()
    assert name == "garden-amethyst.png"
    assert saved.size == (640, 480)
    result = np.asarray(saved.convert("RGB"), int)
    assert differs(result[220:260, 180:220], photo[220:260, 180:220]) > 40
    assert (result[380:, 500:] == photo[380:, 500:]).all()
    assert (result[:60, :60] == photo[:60, :60]).all()

    # Keep editing: remove the yellow square too, from the first result.
    phone.button("Keep editing").click()
    expect(page.locator("#editor")).to_have_attribute("data-mode", "paint")
    expect(phone.button("Save")).to_be_visible()
    square = phone.find_colour(YELLOW)
    assert square is not None
    phone.scribble(square, 24)
    phone.press_done_and_wait()
    _, _, second = phone.save()
    second_rgb = np.asarray(second.convert("RGB"), int)
    assert differs(second_rgb[130:170, 450:490], photo[130:170, 450:490]) > 40
    assert (second_rgb[220:260, 180:220] == result[220:260, 180:220]).all(), "keeps removal 1"
    phone.screenshot("8-second-result")

    # Each removal is undoable: undo the second removal, then its stroke, and the photo is
    # the first result again.
    phone.button("Undo").click()
    expect(page.locator("#editor")).to_have_attribute("data-mode", "paint")
    expect(phone.button("Done")).to_be_enabled()
    phone.button("Undo").click()
    assert phone.save()[1] == first_bytes


def test_a_12_megapixel_sideways_phone_photo_is_shown_and_edited_upright(
    phone: EditorDriver, tmp_path: Path
) -> None:
    path, upright = rotated_phone_photo(tmp_path / "IMG_0001.jpg")
    phone.open()
    phone.pick_photo(path)
    stage = phone.canvas.bounding_box()
    disc = phone.find_colour(RED)
    assert disc is not None
    # Upright, the disc sits right of centre in the upper quarter of a portrait photo.
    assert disc["x"] > stage["width"] * 0.6 and disc["y"] < stage["height"] * 0.4

    phone.page.locator("#brush-size").fill("60")
    phone.scribble(disc, 14)
    phone.press_done_and_wait()
    _, _, saved = phone.save()
    shown = ImageOps.exif_transpose(saved)  # as any photo viewer shows the file
    assert shown.size == (3000, 4000)
    result = np.asarray(shown.convert("RGB"), int)
    original = np.asarray(upright, int)
    assert differs(result[950:1050, 2150:2250], original[950:1050, 2150:2250]) > 40
    assert differs(result[3000:3400, 300:700], original[3000:3400, 300:700]) < 2


def test_a_server_refusal_is_explained_in_plain_words(phone: EditorDriver, tmp_path: Path) -> None:
    phone.open("?engine=no-such-engine")
    phone.pick_photo(small_scene(tmp_path / "garden.png"))
    disc = phone.find_colour(RED)
    phone.scribble(disc, 30)
    phone.button("Done").click()
    alert = phone.page.get_by_role("alert")
    expect(alert).to_contain_text("Amethyst couldn't use this photo")
    expect(alert).to_contain_text("no-such-engine")
    phone.screenshot("9-error")
    # Nothing is lost: the strokes are still there to try again.
    expect(phone.page.locator("#editor")).to_have_attribute("data-mode", "paint")
    expect(phone.button("Done")).to_be_enabled()


def test_two_fingers_zoom_the_photo_and_leave_no_paint(phone: EditorDriver, tmp_path: Path) -> None:
    phone.open()
    phone.pick_photo(small_scene(tmp_path / "garden.png"))
    disc = phone.find_colour(RED)
    fitted = phone.around(disc, 60)
    # The first finger lands and moves (a stroke begins); the second turns it into a pinch.
    phone.pinch((disc["x"], disc["y"]), 60, 180)
    zoomed_disc = phone.find_colour(RED)
    assert zoomed_disc["width"] > disc["width"] * 2, "spreading two fingers zooms in"
    phone.screenshot("10-pinch-zoomed")
    expect(phone.button("Done")).to_be_disabled()
    expect(phone.button("Undo")).to_be_disabled()
    phone.button("Fit").click()
    assert differs(phone.around(disc, 60), fitted) == 0, "no paint was left by the pinch"


def test_progress_shows_while_it_works_and_cancel_keeps_the_strokes(
    phone: EditorDriver, tmp_path: Path
) -> None:
    held = []
    # Hold the request, unanswered, like a slow server would.
    phone.page.route("**/api/v1/inpaint", lambda route: held.append(route))
    phone.open()
    phone.pick_photo(small_scene(tmp_path / "garden.png"))
    phone.scribble(phone.find_colour(RED), 30)
    phone.button("Done").click()
    busy = phone.page.get_by_role("status").filter(has_text=re.compile("Sending|Removing"))
    expect(busy).to_be_visible()
    expect(phone.page.locator("#busy-progress")).to_be_visible()
    expect(phone.button("Undo")).to_be_disabled()
    phone.screenshot("11-working")
    phone.button("Cancel").click()
    expect(phone.page.locator("#editor")).to_have_attribute("data-mode", "paint")
    expect(phone.button("Done")).to_be_enabled()
    expect(phone.page.get_by_role("alert")).to_be_hidden()
    assert held, "the editor did send the request"


def test_a_busy_server_is_explained_with_when_to_try_again(
    phone: EditorDriver, tmp_path: Path
) -> None:
    busy_reply = {
        "status": 503,
        "headers": {"Retry-After": "7"},
        "json": {"error": "the server is busy; retry after the time in the Retry-After header"},
    }
    phone.page.route("**/api/v1/inpaint", lambda route: route.fulfill(**busy_reply))
    phone.open()
    phone.pick_photo(small_scene(tmp_path / "garden.png"))
    phone.scribble(phone.find_colour(RED), 30)
    phone.button("Done").click()
    alert = phone.page.get_by_role("alert")
    expect(alert).to_contain_text("Amethyst is busy")
    expect(alert).to_contain_text("Try again in 7 seconds.")
    phone.page.unroute("**/api/v1/inpaint")
    phone.button("Try again").click()
    expect(phone.page.locator("#editor")).to_have_attribute("data-mode", "result", timeout=60_000)


def test_a_file_that_is_not_a_photo_is_refused_in_plain_words(
    phone: EditorDriver, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.jpg"
    notes.write_text("shopping list: milk, eggs")
    phone.open()
    with phone.page.expect_file_chooser() as chooser:
        phone.button("Pick a photo").click()
    chooser.value.set_files(str(notes))
    expect(phone.page.get_by_role("alert")).to_contain_text("Can't open this file")
    expect(phone.button("Pick a photo")).to_be_visible()


def test_a_real_jpeg_comes_back_a_jpeg_of_the_same_name_and_size(phone: EditorDriver) -> None:
    rocket = Path(__file__).parents[1] / "data" / "rocket.jpg"
    original = np.asarray(Image.open(rocket).convert("RGB"), int)
    phone.open()
    phone.pick_photo(rocket)
    # Paint out the service tower right of the rocket (x 448, y 120..390 in the photo).
    box = phone.canvas.bounding_box()
    scale = min((box["width"] - 24) / 640, (box["height"] - 24) / 427)  # fitted, 12 px margin
    left = (box["width"] - 640 * scale) / 2
    top = (box["height"] - 427 * scale) / 2
    phone.page.locator("#brush-size").fill("14")
    phone.paint([(left + 448 * scale, top + y * scale) for y in range(115, 390, 10)])
    phone.screenshot("12-real-photo-painted")
    phone.press_done_and_wait()
    phone.screenshot("13-real-photo-result")
    name, _, saved = phone.save()
    assert name == "rocket-amethyst.jpg"
    assert saved.format == "JPEG" and saved.size == (640, 427)
    result = np.asarray(saved.convert("RGB"), int)
    assert differs(result[150:330, 440:456], original[150:330, 440:456]) > 5
    assert differs(result[:100, :200], original[:100, :200]) < 0.5


def test_a_phone_held_sideways_keeps_the_photo_tall_and_the_tools_beside_it(
    landscape_phone: EditorDriver, tmp_path: Path
) -> None:
    phone, page = landscape_phone, landscape_phone.page
    phone.open()
    phone.pick_photo(small_scene(tmp_path / "garden.png"))
    stage = page.locator("#stage").bounding_box()
    tools = page.locator("footer.toolbar.paint-only").bounding_box()
    assert stage and tools
    assert stage["height"] > 0.7 * 390, "the photo should keep most of the short side"
    assert tools["x"] >= stage["x"] + stage["width"] - 1, "the tools should sit beside the photo"
    for name in ("Undo", "Redo", "Clear all", "Done"):
        box = phone.button(name).bounding_box()
        assert box and box["y"] + box["height"] <= 390 and box["x"] + box["width"] <= 844, name
    phone.scribble(phone.find_colour(RED), 30)
    phone.screenshot("1-painted")
    phone.button("Done").click()
    expect(page.locator("#editor")).to_have_attribute("data-mode", "result", timeout=60_000)
    box = phone.button("Keep editing").bounding_box()
    assert box and box["y"] + box["height"] <= 390
    phone.screenshot("2-result")


def test_try_another_swaps_in_the_engines_next_fill_and_undo_still_goes_back(
    phone: EditorDriver, tmp_path: Path
) -> None:
    page = phone.page
    photo_path = small_scene(tmp_path / "garden.png")
    photo = np.asarray(Image.open(photo_path).convert("RGB"), int)
    phone.open("?engine=patchmatch_rows")
    phone.pick_photo(photo_path)
    disc = phone.find_colour(RED)
    assert disc is not None
    phone.scribble(disc, 30)
    phone.press_done_and_wait()
    expect(phone.button("Try another")).to_be_visible()
    _, first_bytes, first = phone.save()
    first_rgb = np.asarray(first.convert("RGB"), int)

    phone.button("Try another").click()
    expect(page.locator("#editor-title")).to_have_text("Fill 2 of 4", timeout=60_000)
    expect(page.locator("#editor")).to_have_attribute("data-mode", "result")
    phone.screenshot("14-another-fill")
    _, _, second = phone.save()
    second_rgb = np.asarray(second.convert("RGB"), int)
    changed = (first_rgb != photo).any(axis=2) | (second_rgb != photo).any(axis=2)
    rows, cols = np.nonzero(changed)
    # Only the painted pixels change: the strokes reach about 90 px from the disc's centre.
    assert rows.min() > 130 and rows.max() < 350 and cols.min() > 90 and cols.max() < 310
    assert (second_rgb[changed] != first_rgb[changed]).any(axis=1).mean() > 0.3, "another fill"
    assert differs(second_rgb[220:260, 180:220], photo[220:260, 180:220]) > 40, "no disc"

    # Round the four fills and back to the first, which comes back bit for bit.
    for shown in (3, 4):
        phone.button("Try another").click()
        expect(page.locator("#editor-title")).to_have_text(f"Fill {shown} of 4", timeout=60_000)
    page.keyboard.press("a")  # the shortcut does the same
    expect(page.locator("#editor-title")).to_have_text("Hold or slide to compare", timeout=60_000)
    assert phone.save()[1] == first_bytes

    # One undo takes the whole removal back, however many fills were tried: the strokes return.
    phone.button("Undo").click()
    expect(page.locator("#editor")).to_have_attribute("data-mode", "paint")
    expect(phone.button("Done")).to_be_enabled()
    expect(phone.button("Try another")).to_be_hidden()


def test_try_another_is_not_offered_for_an_engine_with_one_fill(
    phone: EditorDriver, tmp_path: Path
) -> None:
    phone.open()  # the test server's default engine is Telea: one fill
    phone.pick_photo(small_scene(tmp_path / "garden.png"))
    disc = phone.find_colour(RED)
    assert disc is not None
    phone.scribble(disc, 30)
    phone.press_done_and_wait()
    expect(phone.button("Keep editing")).to_be_visible()
    expect(phone.button("Try another")).to_be_hidden()
