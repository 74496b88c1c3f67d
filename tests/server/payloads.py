"""Request bodies for the service tests, built from the real photos in tests/data."""

from __future__ import annotations

import base64
import io

import cv2
import httpx
import numpy as np
from PIL import Image

from tests.photos import disc_mask, photo

MAGENTA = (255, 0, 255)


def encode(image: Image.Image, format: str = "PNG", **params: object) -> bytes:
    """``image`` saved as ``format`` bytes."""
    out = io.BytesIO()
    image.save(out, format, **params)
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64_image(text: str) -> Image.Image:
    """The image a base64 reply holds, decoded."""
    image = Image.open(io.BytesIO(base64.b64decode(text)))
    image.load()
    return image


def real_photo(size: tuple[int, int] = (256, 192), name: str = "coffee.jpg") -> Image.Image:
    """A real photo from tests/data scaled to ``size`` (width, height), RGB."""
    return photo(name).resize(size, Image.Resampling.BILINEAR)


def disc_mask_png(size: tuple[int, int], center: tuple[int, int], radius: int) -> bytes:
    """A PNG mask (255 = remove) with one disc."""
    return encode(Image.fromarray(disc_mask(size, center, radius).astype(np.uint8) * 255))


def with_magenta_strokes(image: Image.Image) -> tuple[Image.Image, np.ndarray]:
    """``image`` with a thick magenta stroke painted in, as the original client sends it.

    Returns the painted image and a bool mask of where the stroke is.
    """
    pixels = np.array(image.convert("RGB"))
    stroke = np.zeros(pixels.shape[:2], np.uint8)
    width, height = image.size
    points = (width // 4, height // 3), (width // 2, height // 2)
    cv2.line(stroke, points[0], points[1], 1, thickness=9)
    pixels[stroke.astype(bool)] = MAGENTA
    return Image.fromarray(pixels), stroke.astype(bool)


def near(mask: np.ndarray, distance: int) -> np.ndarray:
    """``mask`` grown by ``distance`` pixels: what a fill may touch around a hole."""
    kernel = np.ones((2 * distance + 1, 2 * distance + 1), np.uint8)
    return cv2.dilate(mask.astype(np.uint8), kernel).astype(bool)


def multipart(image: bytes, mask: bytes, **fields: str) -> tuple[bytes, dict[str, str]]:
    """A multipart form body (image and mask files, text ``fields``) and its headers."""
    request = httpx.Request(
        "POST",
        "http://x/api/v1/inpaint",
        files={"image": ("photo.png", image, "image/png"), "mask": ("mask.png", mask, "image/png")},
        data=fields,
    )
    body = request.read()
    return body, {"Content-Type": request.headers["Content-Type"]}
