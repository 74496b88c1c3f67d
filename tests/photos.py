"""Real test photos shipped in tests/data and masks drawn on them, shared by the tests."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

DATA = Path(__file__).parent / "data"


def photo(name: str = "coffee.jpg") -> Image.Image:
    """A real photo from tests/data, decoded as RGB."""
    with Image.open(DATA / name) as image:
        return image.convert("RGB")


def disc_mask(size: tuple[int, int], center: tuple[int, int], radius: int) -> np.ndarray:
    """A bool HxW mask with a filled disc, like a blob a user paints over an object."""
    mask = np.zeros((size[1], size[0]), np.uint8)
    cv2.circle(mask, center, radius, 1, -1)
    return mask.astype(bool)


FUR_HOLE = disc_mask((256, 256), (128, 140), 40)


def fur() -> tuple[np.ndarray, np.ndarray]:
    """The cat's fur from chelsea.jpg (fine, even detail all over) and a disc-shaped hole in it."""
    return np.asarray(photo("chelsea.jpg"))[:256, 100:356].copy(), FUR_HOLE.copy()


def upscale(image: Image.Image, size: tuple[int, int]) -> np.ndarray:
    """A real photo resized to ``size`` (width, height), to make large test photos quickly."""
    return np.asarray(image.resize(size, Image.Resampling.BILINEAR))
