"""``amethyst.inpaint``: the public entry point for PIL images and numpy arrays."""

from __future__ import annotations

import numpy as np
from PIL import Image

from amethyst.engines import get_engine
from amethyst.errors import InvalidImage
from amethyst.imaging.masks import check_mask, to_bool_mask
from amethyst.imaging.modes import from_rgb, to_rgb
from amethyst.pipeline import fill_rgb


def _array_to_rgb(array: np.ndarray) -> np.ndarray:
    if array.dtype != np.uint8:
        raise InvalidImage(f"image arrays must be uint8, got {array.dtype}")
    if array.ndim == 2:
        return np.repeat(array[..., None], 3, axis=2)
    if array.ndim == 3 and array.shape[2] in (3, 4):
        return np.ascontiguousarray(array[..., :3])
    raise InvalidImage(f"image arrays must be HxW, HxWx3 or HxWx4, got shape {array.shape}")


def inpaint(
    image: Image.Image | np.ndarray,
    mask: Image.Image | np.ndarray,
    engine: str = "auto",
    *,
    context_ratio: float = 0.5,
    min_margin: int = 32,
    feather: int = 0,
) -> Image.Image | np.ndarray:
    """Remove what ``mask`` marks from ``image`` and return the result in the same type.

    Parameters
    ----------
    image : PIL image (any common mode) or uint8 array of shape HxW, HxWx3 (RGB) or HxWx4.
    mask : PIL image or HxW array of the same size; nonzero marks pixels to remove.
    engine : an engine name from ``amethyst.engines()``, or ``"auto"`` for the best installed.
    context_ratio, min_margin : context kept around each hole, as a fraction of its size and
        a minimum in pixels.
    feather : blend the fill over this many pixels inside the mask's edge (0: hard edge).

    Returns
    -------
    The same type, size and mode as ``image``. Pixels outside the mask are bit-identical and
    an alpha channel is kept untouched.

    Raises
    ------
    InvalidImage, InvalidMask, UnknownEngine, EngineFailure

    Examples
    --------
    >>> import numpy as np, amethyst
    >>> photo = np.full((64, 64, 3), 120, np.uint8); hole = np.zeros((64, 64), bool)
    >>> hole[20:30, 20:30] = True
    >>> amethyst.inpaint(photo, hole, engine="telea").shape
    (64, 64, 3)
    """
    if isinstance(image, Image.Image):
        rgb, size = to_rgb(image), image.size
    elif isinstance(image, np.ndarray):
        rgb, size = _array_to_rgb(image), (image.shape[1], image.shape[0])
    else:
        raise InvalidImage(
            f"image must be a PIL image or a numpy array, got {type(image).__name__}"
        )
    holes = to_bool_mask(mask)
    check_mask(holes, size)
    if not holes.any():
        return image.copy()
    filled = fill_rgb(
        rgb,
        holes,
        get_engine(engine),
        context_ratio=context_ratio,
        min_margin=min_margin,
        feather=feather,
    )
    if isinstance(image, np.ndarray):
        out = image.copy()
        if image.ndim == 2:
            grey = np.asarray(Image.fromarray(filled).convert("L"))
            out[holes] = grey[holes]
        else:
            out[..., :3][holes] = filled[holes]
        return out
    refilled = from_rgb(filled, image)
    if image.mode in ("I;16", "I"):
        # Pillow's masked paste is not exact for 32-bit and 16-bit modes: composite in numpy.
        pixels = np.array(image)
        pixels[holes] = np.asarray(refilled)[holes]
        return Image.fromarray(pixels)
    result = image.copy()
    result.paste(refilled, (0, 0), Image.fromarray(holes.astype(np.uint8) * 255))
    return result
