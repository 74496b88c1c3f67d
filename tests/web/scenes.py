"""Test photos for the browser tests: a smooth scene with bright objects to remove."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

RED = (220, 30, 40)
YELLOW = (250, 210, 20)


def backdrop(width: int, height: int) -> Image.Image:
    """A sky-to-meadow gradient with a gentle ripple, like an out-of-focus background."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    t = y / max(1, height - 1)
    ripple = 6 * np.sin(x / 23.0) * np.cos(y / 31.0)
    r = 90 + 40 * t + ripple
    g = 140 + 50 * t + ripple
    b = 200 - 110 * t + ripple
    rgb = np.stack([r, g, b], axis=-1).clip(0, 255).astype(np.uint8)
    return Image.fromarray(rgb)


def small_scene(path: Path) -> Path:
    """A 640x480 PNG with a red disc at (200, 240) and a yellow square at (470, 150)."""
    image = backdrop(640, 480)
    draw = ImageDraw.Draw(image)
    draw.ellipse((160, 200, 240, 280), fill=RED)
    draw.rectangle((440, 120, 500, 180), fill=YELLOW)
    image.save(path)
    return path


def rotated_phone_photo(path: Path) -> tuple[Path, Image.Image]:
    """A 12 MP JPEG stored sideways with EXIF orientation 6, as phones write them.

    Upright it is 3000x4000 with a red disc at (2200, 1000); returns the path and the
    upright image, which is what every viewer (and the editor) must show.
    """
    upright = backdrop(3000, 4000)
    ImageDraw.Draw(upright).ellipse((2050, 850, 2350, 1150), fill=RED)
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # 90 degrees counter-clockwise
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    stored.save(path, quality=90, exif=exif)
    return path, upright
