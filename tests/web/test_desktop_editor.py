"""The editor on a 1440x900 desktop: mouse, keyboard shortcuts, drop and paste, offline shell."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.web.compare_slider import check_compare_slider, thumb_and_line
from tests.web.editor_driver import EditorDriver
from tests.web.scenes import RED, small_scene

pytestmark = pytest.mark.browser

# Hands the page a photo the way the OS does on drop or paste: a File in a DataTransfer.
PHOTO_TRANSFER = """([b64, name]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "image/png" }));
  return transfer;
}"""


def differs(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).mean())


def transfer_of(desktop: EditorDriver, path: Path):
    data = base64.b64encode(path.read_bytes()).decode()
    return desktop.page.evaluate_handle(PHOTO_TRANSFER, [data, path.name])


def test_drop_paint_with_shortcuts_zoom_done_and_save_on_a_desktop(
    desktop: EditorDriver, tmp_path: Path
) -> None:
    page = desktop.page
    photo_path = small_scene(tmp_path / "garden.png")
    photo = np.asarray(Image.open(photo_path), int)
    desktop.open()
    expect(page.get_by_text("or drop a photo here")).to_be_visible()
    desktop.screenshot("1-picker")

    transfer = transfer_of(desktop, photo_path)
    page.dispatch_event("#drop-zone", "dragenter", {"dataTransfer": transfer})
    expect(page.locator("#drop-zone")).to_have_class("picker-card dragging")
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})
    desktop.wait_for_photo()
    desktop.screenshot("2-editor")

    brush = page.locator("#brush-value")
    page.keyboard.press("]")
    expect(brush).to_have_text("41")
    page.keyboard.press("[")
    page.keyboard.press("[")
    expect(brush).to_have_text("31")

    disc = desktop.find_colour(RED)
    assert disc is not None
    plain = desktop.around(disc, 30)
    desktop.scribble(disc, disc["width"] * 0.6)
    painted = desktop.around(disc, 30)
    assert differs(painted, plain) > 10
    desktop.screenshot("3-painted")
    page.keyboard.press("Control+z")
    assert differs(desktop.around(disc, 30), plain) == 0
    page.keyboard.press("Control+Shift+z")
    assert differs(desktop.around(disc, 30), painted) == 0

    whole = desktop.stage(0, 0, 400, 300)
    box = desktop.canvas.bounding_box()
    page.mouse.move(box["x"] + disc["x"], box["y"] + disc["y"])
    page.mouse.wheel(0, -400)
    assert differs(desktop.stage(0, 0, 400, 300), whole) > 1, "the wheel zooms in"
    desktop.screenshot("4-zoomed")
    page.mouse.move(box["x"] + box["width"] + 40, box["y"] + 20)
    page.keyboard.press("0")
    assert differs(desktop.stage(0, 0, 400, 300), whole) == 0, "0 fits the photo again"

    desktop.press_done_and_wait()
    desktop.screenshot("5-result")
    after = desktop.around(disc, 30)
    assert differs(after, plain) > 40, "the disc is gone"
    page.mouse.move(box["x"] + disc["x"], box["y"] + disc["y"])
    page.mouse.down()  # pressing on the result shows the photo before the removal
    assert differs(desktop.around(disc, 30), plain) == 0
    page.mouse.up()
    assert differs(desktop.around(disc, 30), after) == 0
    page.locator("#compare").fill("50")
    desktop.screenshot("6-compare")
    assert check_compare_slider(desktop, disc) >= 300, "a usable length on a desktop"
    page.mouse.move(box["x"] + disc["x"], box["y"] + disc["y"])
    page.mouse.wheel(0, -400)
    for value in (10, 60):
        thumb, line = thumb_and_line(desktop, value, disc["y"])
        assert abs(thumb - line) <= 2, f"zoomed in, at {value}: thumb {thumb:.1f}, line {line:.1f}"
    desktop.screenshot("6-compare-zoomed")
    page.keyboard.press("0")
    page.locator("#compare").fill("0")
    name, _, saved = desktop.save()
    assert name == "garden-amethyst.png"
    assert saved.size == (640, 480)
    result = np.asarray(saved.convert("RGB"), int)
    assert differs(result[220:260, 180:220], photo[220:260, 180:220]) > 40
    assert (result[400:, 560:] == photo[400:, 560:]).all()


def test_results_are_named_like_the_photo_with_amethyst_added(desktop: EditorDriver) -> None:
    """<stem>-amethyst.<ext>, as the command line names them too."""
    names = {
        ("holiday.jpeg", "image/jpeg"): "holiday-amethyst.jpeg",
        ("IMG_0001.JPG", "image/jpeg"): "IMG_0001-amethyst.JPG",
        ("my.trip.png", "image/png"): "my.trip-amethyst.png",
        ("photo.webp", "image/webp"): "photo-amethyst.webp",
        ("scan.heic", "image/png"): "scan-amethyst.png",  # a result in another format
        ("camera", "image/jpeg"): "camera-amethyst.jpg",
        ("", "image/png"): "photo-amethyst.png",
    }
    desktop.open()
    named = desktop.page.evaluate(
        """async (cases) => {
          const { resultName } = await import("./js/save-file.js");
          return cases.map(([name, type]) => resultName(name, type));
        }""",
        list(names),
    )
    assert dict(zip(names, named, strict=True)) == names


def test_a_pasted_photo_opens_in_the_editor(desktop: EditorDriver, tmp_path: Path) -> None:
    desktop.open()
    expect(desktop.button("Pick a photo")).to_be_visible()
    transfer = transfer_of(desktop, small_scene(tmp_path / "pasted.png"))
    desktop.page.evaluate(
        "(t) => window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: t }))", transfer
    )
    desktop.wait_for_photo()
    assert desktop.find_colour(RED) is not None


def test_the_app_shell_opens_offline_once_visited(desktop: EditorDriver) -> None:
    page = desktop.page
    desktop.open()
    page.evaluate("() => navigator.serviceWorker.ready")
    expect(desktop.button("Pick a photo")).to_be_visible()
    page.context.set_offline(True)
    page.reload()
    expect(desktop.button("Pick a photo")).to_be_visible()
    expect(page.locator("html")).to_have_js_property("lang", "en")
    assert page.evaluate("() => document.styleSheets[0].cssRules.length") > 10


def test_the_manifest_makes_it_installable(desktop: EditorDriver) -> None:
    page = desktop.page
    desktop.open()
    manifest = page.evaluate(
        "async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json()"
    )
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        status = page.evaluate("async (src) => (await fetch(src)).status", icon["src"])
        assert status == 200, icon["src"]


def test_new_photo_asks_before_dropping_unsaved_strokes(
    desktop: EditorDriver, tmp_path: Path
) -> None:
    page = desktop.page
    desktop.open()
    desktop.pick_photo(small_scene(tmp_path / "garden.png"))
    desktop.scribble(desktop.find_colour(RED), 30)
    desktop.button("New photo").click()
    dialog = page.get_by_role("dialog", name="Start over with a new photo?")
    expect(dialog).to_be_visible()
    desktop.screenshot("7-leave-dialog")
    dialog.get_by_role("button", name="Keep this photo").click()
    expect(dialog).to_be_hidden()
    expect(desktop.button("Done")).to_be_enabled()
    desktop.button("New photo").click()
    dialog.get_by_role("button", name="New photo").click()
    expect(desktop.button("Pick a photo")).to_be_visible()
