"""Find where a mask needs filling: boxes around its parts, merged when close, with context."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Box:
    """A pixel box, ``x0``/``y0`` inclusive and ``x1``/``y1`` exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def grown(self, by: int, width: int, height: int) -> Box:
        """This box grown by ``by`` px on each side, clipped to a ``width`` x ``height`` image."""
        return Box(
            max(0, self.x0 - by),
            max(0, self.y0 - by),
            min(width, self.x1 + by),
            min(height, self.y1 + by),
        )

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    @property
    def slices(self) -> tuple[slice, slice]:
        return slice(self.y0, self.y1), slice(self.x0, self.x1)

    def slices_in(self, outer: Box) -> tuple[slice, slice]:
        """This box's slices in an array that holds ``outer``'s pixels."""
        return (
            slice(self.y0 - outer.y0, self.y1 - outer.y0),
            slice(self.x0 - outer.x0, self.x1 - outer.x0),
        )


def context_margin(box: Box, ratio: float, minimum: int) -> int:
    """Context to add around a hole: proportional to its size, never less than ``minimum``."""
    return max(minimum, int(round(ratio * max(box.width, box.height))))


def hole_box(mask: np.ndarray, *, context_ratio: float = 0.5, min_margin: int = 32) -> Box | None:
    """The box holding every part of ``mask`` with all the context ``find_regions`` gives it.

    Each part's context margin is at most the whole mask's, so the regions found in this crop
    are the regions of the full frame. ``None`` for an empty mask.
    """
    holes = bounding_box(mask)
    if holes is None:
        return None
    height, width = mask.shape
    return holes.grown(context_margin(holes, context_ratio, min_margin), width, height)


def bounding_box(mask: np.ndarray) -> Box | None:
    """The smallest box holding every set pixel of ``mask``; ``None`` for an empty mask."""
    x, y, w, h = cv2.boundingRect(mask.view(np.uint8) if mask.dtype == bool else mask)
    if w == 0 or h == 0:
        return None
    return Box(x, y, x + w, y + h)


def find_regions(
    mask: np.ndarray, *, context_ratio: float = 0.5, min_margin: int = 32
) -> list[Box]:
    """Crop boxes covering every part of ``mask``, each with a margin of context.

    Parts whose context boxes overlap are merged into one box (and merged again until no two
    boxes overlap), so a fill never sees another part's hole in its context and no pixel is
    filled twice.
    """
    height, width = mask.shape
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    holes = [Box(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[1:count]]
    crops = [h.grown(context_margin(h, context_ratio, min_margin), width, height) for h in holes]
    merged = True
    while merged:
        merged = False
        out: list[Box] = []
        for box in sorted(crops, key=lambda b: (b.y0, b.x0)):
            for i, kept in enumerate(out):
                if kept.overlaps(box):
                    out[i] = kept.union(box)
                    merged = True
                    break
            else:
                out.append(box)
        crops = out
    return crops
