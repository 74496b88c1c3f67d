"""Mirrored and upside-down views of a crop: how one engine gives several different fills.

PatchMatch's randomised search and the GAN's learned prior do not commute with flips: the same
crop mirrored, or turned upside down, is filled differently, and flipping that fill back gives
another plausible fill of the same hole. The pipeline uses this for "try another fill".
"""

from __future__ import annotations

import numpy as np

MIRRORED = 1  # bit of ``flips``: left and right swapped
UPSIDE_DOWN = 2  # bit of ``flips``: top and bottom swapped


def flipped(array: np.ndarray, flips: int) -> np.ndarray:
    """``array`` (HxW or HxWxC) mirrored if ``flips & MIRRORED``, upside down if ``flips &
    UPSIDE_DOWN``: a C-contiguous copy, or ``array`` itself when ``flips`` is 0.

    Each flip is its own inverse, so ``flipped(flipped(a, f), f)`` equals ``a``."""
    if not flips:
        return array
    if flips & MIRRORED:
        array = array[:, ::-1]
    if flips & UPSIDE_DOWN:
        array = array[::-1]
    return np.ascontiguousarray(array)
