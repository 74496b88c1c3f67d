"""Amethyst removes unwanted things from photos: paint a mask, get the hole filled.

>>> import amethyst
>>> result = amethyst.inpaint(photo, mask)  # doctest: +SKIP
"""

from __future__ import annotations

from amethyst.api import inpaint, variants
from amethyst.engines import describe as _describe
from amethyst.errors import (
    AmethystError,
    EngineFailure,
    ImageTooLarge,
    InvalidImage,
    InvalidMask,
    UnknownEngine,
)
from amethyst.imaging.strokes import mask_from_strokes

__version__ = "0.1.0"


def engines() -> list[str]:
    """The installed engines, one line each (``name: what it does``), ``auto``'s pick first."""
    return _describe()


__all__ = [
    "AmethystError",
    "EngineFailure",
    "ImageTooLarge",
    "InvalidImage",
    "InvalidMask",
    "UnknownEngine",
    "engines",
    "inpaint",
    "mask_from_strokes",
    "variants",
]
