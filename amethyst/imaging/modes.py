"""Move between a photo's own colour mode and the RGB array that engines fill.

Engines see RGB only. These two functions take any supported PIL mode to RGB and bring a
filled RGB array back to the original mode, so callers get back what they passed in.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from amethyst.errors import InvalidImage

SUPPORTED_MODES = ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "I;16", "I")


def to_rgb(image: Image.Image) -> np.ndarray:
    """Return an HxWx3 uint8 RGB view of ``image`` for the engines to fill."""
    if image.mode not in SUPPORTED_MODES:
        raise InvalidImage(f"images in mode {image.mode} are not supported")
    if image.mode == "RGB":
        return np.asarray(image)
    if image.mode in ("I;16", "I"):
        # 16-bit greyscale: engines fill at 8 bits, the result is scaled back.
        grey = (np.asarray(image, dtype=np.uint32) >> 8).clip(0, 255).astype(np.uint8)
        return np.repeat(grey[..., None], 3, axis=2)
    if image.mode in ("P", "PA", "LA"):
        return np.asarray(image.convert("RGBA"))[..., :3]
    return np.asarray(image.convert("RGB"))


def from_rgb(rgb: np.ndarray, like: Image.Image) -> Image.Image:
    """Return ``rgb`` converted to ``like``'s mode (alpha and palette taken from ``like``)."""
    filled = Image.fromarray(rgb, "RGB")
    mode = like.mode
    if mode == "RGB":
        return filled
    if mode in ("RGBA", "LA"):
        out = filled.convert(mode[:-1])
        out.putalpha(like.getchannel("A"))
        return out
    if mode in ("P", "PA"):
        palette = like if like.mode == "P" else like.convert("P")
        return filled.quantize(palette=palette, dither=Image.Dither.NONE)
    if mode in ("I;16", "I"):
        grey = np.asarray(filled.convert("L"), dtype=np.uint32) * 257
        return Image.fromarray(grey.astype(np.uint16 if mode == "I;16" else np.int32))
    return filled.convert(mode)
