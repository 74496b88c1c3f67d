"""Checks shared by the phone and desktop tests of the result's before/after compare slider."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from tests.web.editor_driver import EditorDriver
from tests.web.scenes import RED


def white_columns(shot: np.ndarray, box: dict, scale: float) -> float:
    """Mean x, in CSS pixels, of the pure white pixels of a screenshot inside a CSS box."""
    x0, y0 = int(box["x"] * scale), int(box["y"] * scale)
    x1, y1 = int((box["x"] + box["width"]) * scale), int((box["y"] + box["height"]) * scale)
    ys, xs = np.nonzero((shot[y0:y1, x0:x1] >= 250).all(axis=-1))
    assert xs.size, f"nothing white in {box}"
    return (x0 + xs.mean() + 0.5) / scale


def check_compare_slider(editor: EditorDriver, disc: dict) -> float:
    """With a result shown whose red disc (at `disc`, stage pixels) was removed: the labels read
    Before, After left to right; at every position the line sits under the thumb (2 px),
    the photo shows before left of it and after right of it. Returns the slider's length."""
    page = editor.page
    slider = page.locator("#compare")
    ends = sorted(page.locator(".compare-end").all(), key=lambda end: end.bounding_box()["x"])
    labels = [end.text_content() for end in ends]
    assert labels == ["Before", "After"], f"the slider's labels read {labels} left to right"
    stage = editor.canvas.bounding_box()
    scale = page.evaluate("devicePixelRatio")
    # The line is looked for in a band across the photo's middle, clear of the chips on top.
    band = {"x": stage["x"], "y": stage["y"] + disc["y"] - 20, "width": stage["width"]}
    band["height"] = 40
    for value in (5, 25, 50, 75, 95):
        slider.fill(str(value))
        shown = editor.around(disc, 10)
        shot = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB"), int)
        thumb = white_columns(shot, slider.bounding_box(), scale)
        line = white_columns(shot, band, scale)
        assert abs(thumb - line) <= 2, f"at {value}: thumb at x={thumb:.1f}, line at x={line:.1f}"
        editor.screenshot(f"compare-{value}")
        red = np.abs(shown.mean(axis=(0, 1)) - np.array(RED)).sum() < 60
        line_x = line - stage["x"]
        if line_x > disc["x"] + 15:
            assert red, f"at {value}: left of the line is the photo before the removal"
        if line_x < disc["x"] - 15:
            assert not red, f"at {value}: right of the line is the result"
    slider.fill("0")
    return slider.bounding_box()["width"]
