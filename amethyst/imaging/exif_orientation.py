"""Move pixels and boxes between a photo's stored orientation and its upright (displayed) one.

EXIF orientation ``n`` says how the stored pixels must be turned to be shown upright. Decoding
turns them upright; the JPEG block editor works on the stored frame, and a mask may come in
either. Arrays are turned as views (no copy); boxes are mapped with the same geometry.
"""

from __future__ import annotations

import numpy as np

from amethyst.regions import Box

# Orientations whose upright frame has the stored frame's width and height swapped.
SWAPS_AXES = (5, 6, 7, 8)
# The orientation that undoes each one: every turn is its own inverse except the quarter turns.
_INVERSE = {6: 8, 8: 6}


def to_stored_orientation(upright: np.ndarray, orientation: int) -> np.ndarray:
    """Undo the EXIF ``orientation`` transpose that decoding applied (rows, columns first)."""
    if orientation == 2:
        return upright[:, ::-1]
    if orientation == 3:
        return upright[::-1, ::-1]
    if orientation == 4:
        return upright[::-1]
    if orientation == 5:
        return upright.swapaxes(0, 1)
    if orientation == 6:
        return np.rot90(upright, 1)
    if orientation == 7:
        return upright.swapaxes(0, 1)[::-1, ::-1]
    if orientation == 8:
        return np.rot90(upright, -1)
    return upright


def to_upright(stored: np.ndarray, orientation: int) -> np.ndarray:
    """Turn ``stored`` pixels upright per the EXIF ``orientation``, as decoding does."""
    return to_stored_orientation(stored, _INVERSE.get(orientation, orientation))


def box_to_stored(box: Box, orientation: int, width: int, height: int) -> Box:
    """Where ``box`` of a ``width`` x ``height`` upright frame lies in the stored frame."""
    x0, y0, x1, y1 = box.x0, box.y0, box.x1, box.y1
    flipped_x, flipped_y = (width - x1, width - x0), (height - y1, height - y0)
    if orientation == 2:
        return Box(flipped_x[0], y0, flipped_x[1], y1)
    if orientation == 3:
        return Box(flipped_x[0], flipped_y[0], flipped_x[1], flipped_y[1])
    if orientation == 4:
        return Box(x0, flipped_y[0], x1, flipped_y[1])
    if orientation == 5:
        return Box(y0, x0, y1, x1)
    if orientation == 6:
        return Box(y0, flipped_x[0], y1, flipped_x[1])
    if orientation == 7:
        return Box(flipped_y[0], flipped_x[0], flipped_y[1], flipped_x[1])
    if orientation == 8:
        return Box(flipped_y[0], x0, flipped_y[1], x1)
    return box


def box_to_upright(box: Box, orientation: int, width: int, height: int) -> Box:
    """Where ``box`` of a ``width`` x ``height`` stored frame lies in the upright frame."""
    return box_to_stored(box, _INVERSE.get(orientation, orientation), width, height)
