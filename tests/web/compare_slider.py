"""Checks shared by the phone and desktop tests of the result's before/after compare slider."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from tests.web.editor_driver import EditorDriver
from tests.web.scenes import RED


def white_columns(shot: np.ndarray, box: dict, scale: float) -> float:
    """Mean x, in CSS pixels, of the pure white pixels of a screenshot inside a CSS box."""
    x0, y0 = max(0, int(box["x"] * scale)), max(0, int(box["y"] * scale))
    x1, y1 = int((box["x"] + box["width"]) * scale), int((box["y"] + box["height"]) * scale)
    ys, xs = np.nonzero((shot[y0:y1, x0:x1] >= 250).all(axis=-1))
    assert xs.size, f"nothing white in {box}"
    return (x0 + xs.mean() + 0.5) / scale


def thumb_and_line(editor: EditorDriver, value: float, y: float) -> tuple[float, float]:
    """Slide to `value`; the page x of the slider's thumb and of the before/after line, which is
    looked for in a band of the stage around `y`, clear of the chips on top."""
    page = editor.page
    slider = page.locator("#compare")
    slider.fill(str(value))
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    shot = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB"), int)
    scale = page.evaluate("devicePixelRatio")
    stage = editor.canvas.bounding_box()
    band = {"x": stage["x"], "y": stage["y"] + y - 20, "width": stage["width"], "height": 40}
    return white_columns(shot, slider.bounding_box(), scale), white_columns(shot, band, scale)


def check_compare_slider(editor: EditorDriver, disc: dict) -> float:
    """With a result shown whose red disc (at `disc`, stage pixels) was removed: the labels read
    Before, After left to right; at every position the line sits under the thumb (2 px),
    the photo shows before left of it and after right of it. Returns the slider's length."""
    page = editor.page
    ends = sorted(page.locator(".compare-end").all(), key=lambda end: end.bounding_box()["x"])
    labels = [end.text_content() for end in ends]
    assert labels == ["Before", "After"], f"the slider's labels read {labels} left to right"
    stage_x = editor.canvas.bounding_box()["x"]
    for value in (5, 25, 50, 75, 95):
        thumb, line = thumb_and_line(editor, value, disc["y"])
        assert abs(thumb - line) <= 2, f"at {value}: thumb at x={thumb:.1f}, line at x={line:.1f}"
        editor.screenshot(f"compare-{value}")
        shown = editor.around(disc, 10)
        red = np.abs(shown.mean(axis=(0, 1)) - np.array(RED)).sum() < 60
        if line - stage_x > disc["x"] + 15:
            assert red, f"at {value}: left of the line is the photo before the removal"
        if line - stage_x < disc["x"] - 15:
            assert not red, f"at {value}: right of the line is the result"
    page.locator("#compare").fill("0")
    return page.locator("#compare").bounding_box()["width"]
