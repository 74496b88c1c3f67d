"""Drive the web editor like a person would, and read back what its stage shows."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.sync_api import Page, expect

# Reads the stage canvas after the next paint: RGBA pixels of a CSS-pixel rectangle.
READ_STAGE = """async ([x, y, w, h]) => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const canvas = document.getElementById("stage-canvas");
  const k = canvas.width / canvas.getBoundingClientRect().width;
  const [px, py, pw, ph] = [x, y, w, h].map((v) => Math.round(v * k));
  const data = canvas.getContext("2d").getImageData(px, py, pw, ph).data;
  let text = "";
  for (let i = 0; i < data.length; i += 8192) {
    text += String.fromCharCode(...data.subarray(i, i + 8192));
  }
  return [pw, ph, btoa(text)];  // base64: a long JSON array of numbers is slow to pass back
}"""

# Finds where the stage shows a colour: the centre and size, in CSS pixels, of the pixels
# within `tol` of it.
FIND_COLOUR = """async ([r, g, b, tol]) => {
  await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
  const canvas = document.getElementById("stage-canvas");
  const k = canvas.width / canvas.getBoundingClientRect().width;
  const d = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0, sx = 0, sy = 0, x0 = Infinity, x1 = -1;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) > tol) continue;
    const p = i / 4, x = p % canvas.width, y = Math.floor(p / canvas.width);
    n++; sx += x; sy += y; x0 = Math.min(x0, x); x1 = Math.max(x1, x);
  }
  return n ? { x: sx / n / k, y: sy / n / k, width: (x1 - x0 + 1) / k } : null;
}"""


class EditorDriver:
    """The editor in one page; `touch` paints with touch events, otherwise with the mouse."""

    def __init__(self, page: Page, base_url: str, shots: Path, prefix: str, touch: bool) -> None:
        self.page = page
        self.base_url = base_url
        self.shots = shots
        self.prefix = prefix
        self.touch = touch
        self.canvas = page.locator("#stage-canvas")
        self._cdp = page.context.new_cdp_session(page) if touch else None

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def screenshot(self, name: str) -> None:
        """Save the screen as test-artifacts/screenshots/<prefix>-<name>.png."""
        self.shots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.shots / f"{self.prefix}-{name}.png"))

    def open(self, query: str = "") -> None:
        self.page.goto(f"{self.base_url}/{query}")

    def pick_photo(self, path: Path) -> None:
        """Open the photo through the "Pick a photo" button's file chooser."""
        with self.page.expect_file_chooser() as chooser:
            self.button("Pick a photo").click()
        chooser.value.set_files(str(path))
        self.wait_for_photo()

    def wait_for_photo(self) -> None:
        """Wait until a photo is open for painting (the editor's mode is "paint" from the start)."""
        expect(self.canvas).to_be_visible()
        expect(self.page.locator("#editor")).to_have_attribute("data-mode", "paint")

    def paint(self, points: list[tuple[float, float]]) -> None:
        """One stroke through `points` (CSS pixels relative to the stage)."""
        box = self.canvas.bounding_box()
        assert box is not None
        path = [(box["x"] + x, box["y"] + y) for x, y in points]
        if self.touch:
            self._touch("touchStart", path[0])
            for point in path[1:]:
                self._touch("touchMove", point)
            self.page.evaluate("() => 0")  # let the page handle the moves before lifting
            self._cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        else:
            self.page.mouse.move(*path[0])
            self.page.mouse.down()
            for point in path[1:]:
                self.page.mouse.move(*point, steps=2)
            self.page.mouse.up()
            self.page.mouse.move(box["x"] + box["width"] + 40, box["y"] + 20)  # off the stage

    def pinch(self, centre: tuple[float, float], start: float, end: float, steps: int = 8) -> None:
        """Two fingers on the stage, `start` px apart around `centre`, spread to `end` px."""
        box = self.canvas.bounding_box()
        assert box is not None
        cx, cy = box["x"] + centre[0], box["y"] + centre[1]

        def fingers(gap: float) -> list[dict]:
            return [
                {"x": cx - gap / 2, "y": cy, "id": 1},
                {"x": cx + gap / 2, "y": cy, "id": 2},
            ]

        send = self._cdp.send
        send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": fingers(start)[:1]})
        send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": fingers(start)[:1]})
        send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": fingers(start)})
        for gap in np.linspace(start, end, steps):
            send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": fingers(gap)})
        self.page.evaluate("() => 0")
        send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    def _touch(self, kind: str, point: tuple[float, float]) -> None:
        self._cdp.send(
            "Input.dispatchTouchEvent",
            {"type": kind, "touchPoints": [{"x": point[0], "y": point[1], "id": 1}]},
        )

    def scribble(self, centre: dict, half: float) -> None:
        """A zig-zag stroke, rows closer than the brush, covering a 2*half square at `centre`."""
        cx, cy = centre["x"], centre["y"]
        brush = float(self.page.locator("#brush-value").text_content())
        rows = np.linspace(cy - half, cy + half, int(np.ceil(2 * half / (0.6 * brush))) + 1)
        points = []
        for i, y in enumerate(rows):
            xs = (cx - half, cx + half) if i % 2 == 0 else (cx + half, cx - half)
            points += [(float(x), float(y)) for x in np.linspace(*xs, 6)]
        self.paint(points)

    def stage(self, x: float, y: float, w: float, h: float) -> np.ndarray:
        """The RGB pixels the stage shows in a CSS-pixel rectangle."""
        width, height, data = self.page.evaluate(READ_STAGE, [x, y, w, h])
        pixels = np.frombuffer(base64.b64decode(data), np.uint8)
        return pixels.reshape(height, width, 4)[..., :3].astype(int)

    def around(self, centre: dict, half: float) -> np.ndarray:
        return self.stage(centre["x"] - half, centre["y"] - half, 2 * half, 2 * half)

    def find_colour(self, rgb: tuple[int, int, int], tolerance: int = 60) -> dict | None:
        return self.page.evaluate(FIND_COLOUR, [*rgb, tolerance])

    def press_done_and_wait(self) -> None:
        self.button("Done").click()
        editor = self.page.locator("#editor")
        expect(editor).to_have_attribute("data-mode", "result", timeout=60_000)

    def save(self) -> tuple[str, bytes, Image.Image]:
        """Press Save; return the download's suggested name, bytes and decoded image."""
        with self.page.expect_download() as download:
            self.button("Save").click()
        data = Path(download.value.path()).read_bytes()
        return download.value.suggested_filename, data, Image.open(io.BytesIO(data))
