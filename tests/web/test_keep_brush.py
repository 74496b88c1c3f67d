"""The editor's Keep brush: paint over a neighbour so the fill copies nothing from it."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.test_keep_out import _post_beside_hole
from tests.web.editor_driver import EditorDriver
from tests.web.scenes import RED

pytestmark = pytest.mark.browser

POST_WHITE = (235, 230, 220)


def post_and_person(path: Path) -> tuple[Path, tuple[slice, slice]]:
    """The keep-out tests' seaside at 2x with a red figure (to remove) standing right beside
    the white post (to keep): 512x384, and the figure's rows and columns."""
    rgb, hole, _ = _post_beside_hole()
    scene = cv2.resize(rgb, None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST)
    figure = (slice(80, 350), slice(222, 340))
    scene[figure] = RED
    Image.fromarray(scene).save(path)
    return path, figure


def cover(driver: EditorDriver, colour: tuple[int, int, int], size: tuple[int, int]) -> None:
    """Paint over the `size` (photo px, width x height) block of `colour`, centred where the
    stage shows it, in squares as wide as the block stacked down its height."""
    found = driver.find_colour(colour, tolerance=40)
    assert found is not None
    scale = found["width"] / size[0]  # CSS px per photo px
    width, height = size[0] * scale, size[1] * scale
    count = int(np.ceil(height / width))
    for i in range(count):
        y = found["y"] - height / 2 + (i + 0.5) * height / count
        driver.scribble({"x": found["x"], "y": y}, width / 2 + 4)


def post_white_share(image: Image.Image, figure: tuple[slice, slice]) -> float:
    pixels = np.asarray(image.convert("RGB"), int)[figure]
    return float((pixels.mean(axis=2) > 200).mean())


def test_the_keep_brush_stops_the_fill_drawing_the_neighbour_on(
    desktop: EditorDriver, tmp_path: Path
) -> None:
    page = desktop.page
    path, figure = post_and_person(tmp_path / "beach.png")
    desktop.open()
    desktop.pick_photo(path)
    keep = desktop.button("Keep")
    expect(keep).to_have_attribute("aria-pressed", "false")

    cover(desktop, RED, (118, 270))
    desktop.press_done_and_wait()
    _, _, plain = desktop.save()
    assert post_white_share(plain, figure) > 0.1  # without Keep the post runs on

    desktop.button("Undo").click()  # back to painting, the strokes restored
    expect(page.locator("#editor")).to_have_attribute("data-mode", "paint")
    page.keyboard.press("k")
    expect(keep).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#editor-title")).to_have_text("Paint over what the fill must not copy")
    cover(desktop, POST_WHITE, (80, 270))
    desktop.screenshot("keep-brush")
    keep.click()
    expect(keep).to_have_attribute("aria-pressed", "false")
    desktop.press_done_and_wait()
    _, _, kept = desktop.save()
    assert post_white_share(kept, figure) < 0.02
    # The post itself is left as it was.
    post = np.asarray(kept.convert("RGB"), int)[100:330, 150:210]
    assert (post.mean(axis=2) > 200).mean() > 0.95

    # The keep strokes stay for the next removal (the post is still in the photo).
    desktop.button("Keep editing").click()
    expect(page.locator("#editor")).to_have_attribute("data-mode", "paint")
    expect(desktop.button("Clear all")).to_be_enabled()
    expect(desktop.button("Save")).to_be_visible()  # nothing painted to remove yet
