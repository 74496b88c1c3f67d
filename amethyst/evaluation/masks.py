"""Random hole masks drawn the way a user paints, for training and evaluating inpainting.

Two published recipes, scaled to the image size so a mask looks the same at any resolution:

- ``freeform``: DeepFill v2's free-form brush (Yu et al., 2019): a few strokes, each a chain of
  straight segments at random angles with round joints, of varying brush thickness.
- ``thin`` / ``medium`` / ``thick``: LaMa's irregular strokes (Suvorov et al., 2022), from many
  thin lines to a few fat ones, plus ``box``: LaMa's random rectangles.

Every mask covers 1%–60% of the image (a recipe is redrawn, or topped up, until it does), and
the same generator state always gives the same mask.
"""

from __future__ import annotations

import cv2
import numpy as np

MASK_KINDS = ("freeform", "thin", "medium", "thick", "box")
MIN_RATIO = 0.01
MAX_RATIO = 0.60

# LaMa's irregular-stroke settings at 256 px, as (max strokes, max segments, max length,
# min width, max width); lengths and widths scale with the image's shorter side.
_LAMA_STROKES = {
    "thin": (12, 4, 40, 2, 12),
    "medium": (8, 5, 70, 10, 28),
    "thick": (6, 5, 100, 28, 64),
}


def _freeform(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """DeepFill v2's free-form brush strokes: angle-perturbed polylines with round joints."""
    canvas = np.zeros((h, w), np.uint8)
    side = min(h, w)
    average_radius = np.hypot(h, w) / 8
    for _ in range(int(rng.integers(1, 7))):
        vertices = int(rng.integers(4, 13))
        width = max(2, int(rng.uniform(0.03, 0.15) * side))
        angle_min = 2 * np.pi / 5 - rng.uniform(0, 2 * np.pi / 15)
        angle_max = 2 * np.pi / 5 + rng.uniform(0, 2 * np.pi / 15)
        x, y = float(rng.integers(0, w)), float(rng.integers(0, h))
        points = [(x, y)]
        for i in range(vertices):
            angle = rng.uniform(angle_min, angle_max)
            if i % 2 == 0:
                angle = 2 * np.pi - angle
            length = np.clip(rng.normal(average_radius, average_radius / 2), 0, 2 * average_radius)
            x = float(np.clip(x + length * np.cos(angle), 0, w - 1))
            y = float(np.clip(y + length * np.sin(angle), 0, h - 1))
            points.append((x, y))
        for (x0, y0), (x1, y1) in zip(points[:-1], points[1:], strict=True):
            cv2.line(canvas, (int(x0), int(y0)), (int(x1), int(y1)), 1, width)
        for x, y in points:
            cv2.circle(canvas, (int(x), int(y)), width // 2, 1, -1)
    if rng.random() < 0.5:
        canvas = canvas[:, ::-1]
    if rng.random() < 0.5:
        canvas = canvas[::-1, :]
    return np.ascontiguousarray(canvas)


def _lama_strokes(h: int, w: int, rng: np.random.Generator, kind: str) -> np.ndarray:
    """LaMa's irregular strokes: random walks of thick line segments."""
    max_strokes, max_segments, max_length, min_width, max_width = _LAMA_STROKES[kind]
    scale = min(h, w) / 256
    canvas = np.zeros((h, w), np.uint8)
    for _ in range(int(rng.integers(1, max_strokes + 1))):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        for _ in range(int(rng.integers(1, max_segments + 1))):
            angle = rng.uniform(0, 2 * np.pi)
            length = rng.uniform(10, max_length) * scale
            width = max(1, int(rng.uniform(min_width, max_width) * scale))
            nx = int(np.clip(x + length * np.cos(angle), 0, w - 1))
            ny = int(np.clip(y + length * np.sin(angle), 0, h - 1))
            cv2.line(canvas, (x, y), (nx, ny), 1, width)
            x, y = nx, ny
    return canvas


def _boxes(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """LaMa's random rectangles: a few boxes from 10% to 50% of each side."""
    canvas = np.zeros((h, w), np.uint8)
    for _ in range(int(rng.integers(1, 5))):
        bh = max(1, int(rng.uniform(0.1, 0.5) * h))
        bw = max(1, int(rng.uniform(0.1, 0.5) * w))
        top, left = int(rng.integers(0, h - bh + 1)), int(rng.integers(0, w - bw + 1))
        canvas[top : top + bh, left : left + bw] = 1
    return canvas


def _draw(h: int, w: int, rng: np.random.Generator, kind: str) -> np.ndarray:
    if kind == "freeform":
        return _freeform(h, w, rng)
    if kind == "box":
        return _boxes(h, w, rng)
    return _lama_strokes(h, w, rng, kind)


def choose_kind(
    rng: np.random.Generator, kind: str | None, kinds: tuple[str, ...], noun: str
) -> str:
    """``kind``, or one of ``kinds`` drawn from ``rng`` when None; an unknown kind is a
    ValueError naming the ``noun`` (``mask``, ``object``)."""
    if kind is None:
        kind = kinds[int(rng.integers(len(kinds)))]
    if kind not in kinds:
        raise ValueError(f"unknown {noun} kind {kind!r}; choose from {', '.join(kinds)}")
    return kind


def generate_mask(
    height: int, width: int, rng: np.random.Generator, kind: str | None = None
) -> np.ndarray:
    """A boolean ``height`` x ``width`` hole mask drawn by recipe ``kind`` (random when None).

    The hole covers between 1% and 60% of the image: an over-full draw is redrawn, a too-small
    one gets more strokes of the same recipe.
    """
    if height < 4 or width < 4:
        raise ValueError(f"mask size must be at least 4x4, got {height}x{width}")
    kind = choose_kind(rng, kind, MASK_KINDS, "mask")
    area = height * width
    for _ in range(20):
        mask = _draw(height, width, rng, kind)
        while mask.sum() < MIN_RATIO * area:
            mask |= _draw(height, width, rng, kind)
        if mask.sum() <= MAX_RATIO * area:
            return mask.astype(bool)
    # Rare: every draw overflowed (tiny images with fat brushes). Keep a centred 60% box.
    mask = np.zeros((height, width), bool)
    bh, bw = int(height * 0.77), int(width * 0.77)
    top, left = (height - bh) // 2, (width - bw) // 2
    mask[top : top + bh, left : left + bw] = True
    return mask
