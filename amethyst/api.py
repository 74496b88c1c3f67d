"""``amethyst.inpaint``: the public entry point for PIL images and numpy arrays."""

from __future__ import annotations

import operator

import numpy as np
from PIL import Image

from amethyst.engines import get_engine
from amethyst.errors import InvalidImage
from amethyst.imaging.masks import check_mask, keep_out_mask, to_bool_mask
from amethyst.imaging.modes import SUPPORTED_MODES, from_rgb, to_rgb
from amethyst.pipeline import fill_crop, fill_pixels
from amethyst.regions import hole_box


def _check_array(array: np.ndarray) -> None:
    """Refuse arrays the engines cannot fill: not uint8, or not HxW, HxWx3 or HxWx4."""
    if array.dtype != np.uint8:
        raise InvalidImage(f"image arrays must be uint8, got {array.dtype}")
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (3, 4))):
        raise InvalidImage(f"image arrays must be HxW, HxWx3 or HxWx4, got shape {array.shape}")


def inpaint(
    image: Image.Image | np.ndarray,
    mask: Image.Image | np.ndarray,
    engine: str = "auto",
    *,
    context_ratio: float = 0.5,
    min_margin: int = 32,
    feather: int = 0,
    variant: int = 0,
    keep_out: Image.Image | np.ndarray | None = None,
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
    variant : which of the engine's different fills to return, for "try another fill": 0 is
        its usual one, and variants count modulo ``amethyst.variants(engine)`` (PatchMatch
        engines give 4, ``gan`` 2, OpenCV's 1). Each is deterministic.
    keep_out : optional mask like ``mask`` of pixels to copy nothing from (a person beside the
        one removed, whom the fill would otherwise draw on into the hole). They are kept as
        they are; where they overlap ``mask``, ``mask`` wins.

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
        if image.mode not in SUPPORTED_MODES:
            raise InvalidImage(f"images in mode {image.mode} are not supported")
        size = image.size
    elif isinstance(image, np.ndarray):
        _check_array(image)
        size = (image.shape[1], image.shape[0])
    else:
        raise InvalidImage(
            f"image must be a PIL image or a numpy array, got {type(image).__name__}"
        )
    variant = operator.index(variant)  # a whole number: 1.5 is a TypeError, not a silent 1
    holes = to_bool_mask(mask)
    check_mask(holes, size)
    if keep_out is not None:
        keep_out = to_bool_mask(keep_out)
        check_mask(keep_out, size, "keep_out")
    kept = keep_out_mask(keep_out, holes)
    box = hole_box(holes, context_ratio=context_ratio, min_margin=min_margin)
    if box is None:
        return image.copy()
    # Everything below works on the crop around the holes only.
    hole = holes[box.slices]
    kept = None if kept is None else kept[box.slices]
    fill = get_engine(engine)
    options = {
        "context_ratio": context_ratio,
        "min_margin": min_margin,
        "feather": feather,
        "variant": variant,
    }
    if isinstance(image, np.ndarray):
        out = image.copy()
        out[box.slices] = fill_pixels(image[box.slices], hole, fill, kept, **options)
        return out
    crop = image.crop((box.x0, box.y0, box.x1, box.y1))
    refilled = from_rgb(fill_crop(to_rgb(crop), hole, fill, kept, **options), crop)
    if image.mode in ("I;16", "I"):
        # Pillow's masked paste is not exact for 32-bit and 16-bit modes: composite in numpy.
        pixels = np.array(image)
        pixels[box.slices][hole] = np.asarray(refilled)[hole]
        return Image.fromarray(pixels)
    result = image.copy()
    result.paste(refilled, (box.x0, box.y0), Image.fromarray(hole.astype(np.uint8) * 255))
    return result


def variants(engine: str = "auto") -> int:
    """How many different fills ``engine`` gives one hole: ``inpaint``'s ``variant`` counts
    modulo this (1 means every variant is the same fill)."""
    return get_engine(engine).variants
