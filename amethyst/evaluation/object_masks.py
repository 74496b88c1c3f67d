"""Object-shaped hole masks: what a user paints over to remove a thing, not a scratch.

Three families of shapes, each scaled until it covers a drawn share of the photo:

- ``blob``: a smooth random closed outline (a bag, a bush, a rock, a sign's shadow).
- ``silhouette``: a standing person: head, neck, torso, arms and legs, with a random stance.
- ``box``: one rectangle of random aspect, sometimes slightly tilted (a boat, a car, a sign).

About a third of the shapes run off one of the photo's edges (a person cut by the frame's
bottom, a car entering from the side); the rest lie inside the frame. A person taller than the
frame keeps its head inside and is cut at the bottom. The same generator state always gives
the same mask.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from amethyst.evaluation.masks import choose_kind

OBJECT_KINDS = ("blob", "silhouette", "box")
MIN_RATIO = 0.02
MAX_RATIO = 0.30
BORDER_CHANCE = 0.35
HEAD_ROOM = 0.04  # a person's head is at least this far (share of the height) below the top
EDGES = ("top", "bottom", "left", "right")
# The side of the frame, per axis (x, y), that a shape running off each edge crosses.
_SIDES = {
    None: (None, None),
    "top": (None, "low"),
    "bottom": (None, "high"),
    "left": ("low", None),
    "right": ("high", None),
}


@dataclass(frozen=True)
class _Shape:
    """A shape in unit coordinates: filled polygons, round-capped thick lines and discs."""

    polygons: tuple[np.ndarray, ...] = ()
    lines: tuple[tuple[float, float, float, float, float], ...] = ()  # x0, y0, x1, y1, width
    discs: tuple[tuple[float, float, float], ...] = ()  # x, y, radius

    def bounds(self) -> tuple[float, float, float, float]:
        """``(left, top, right, bottom)`` of the shape in unit coordinates."""
        xs, ys = [], []
        for points in self.polygons:
            xs += list(points[:, 0])
            ys += list(points[:, 1])
        for x0, y0, x1, y1, width in self.lines:
            xs += [x0 - width / 2, x0 + width / 2, x1 - width / 2, x1 + width / 2]
            ys += [y0 - width / 2, y0 + width / 2, y1 - width / 2, y1 + width / 2]
        for x, y, radius in self.discs:
            xs += [x - radius, x + radius]
            ys += [y - radius, y + radius]
        return min(xs), min(ys), max(xs), max(ys)

    def render(self, height: int, width: int, scale: float, left: float, top: float) -> np.ndarray:
        """The shape scaled by ``scale`` with its bounds' corner at (``left``, ``top``)."""
        x_min, y_min, _, _ = self.bounds()
        canvas = np.zeros((height, width), np.uint8)

        def at(x: float, y: float) -> tuple[int, int]:
            return round(left + (x - x_min) * scale), round(top + (y - y_min) * scale)

        for points in self.polygons:
            pixels = np.array([at(x, y) for x, y in points], np.int32)
            cv2.fillPoly(canvas, [pixels], 1)
        for x0, y0, x1, y1, line_width in self.lines:
            cv2.line(canvas, at(x0, y0), at(x1, y1), 1, max(1, round(line_width * scale)))
        for x, y, radius in self.discs:
            cv2.circle(canvas, at(x, y), max(1, round(radius * scale)), 1, -1)
        return canvas


def _blob(rng: np.random.Generator) -> _Shape:
    """A smooth closed outline: a circle bent by a few random low harmonics, then stretched."""
    angles = np.linspace(0, 2 * np.pi, 120, endpoint=False)
    radius = np.ones_like(angles)
    for harmonic in range(2, 6):
        amplitude = rng.uniform(0, 0.3) / (harmonic - 1)
        radius += amplitude * np.cos(harmonic * angles + rng.uniform(0, 2 * np.pi))
    aspect = np.exp(rng.uniform(np.log(0.6), np.log(1.6)))
    points = np.stack([radius * np.cos(angles) * aspect, radius * np.sin(angles)], axis=1)
    return _Shape(polygons=(points,))


def _silhouette(rng: np.random.Generator) -> _Shape:
    """A standing person one unit tall: head, neck, torso, two arms and two legs."""
    head = rng.uniform(0.065, 0.085)
    shoulders, hips = rng.uniform(0.11, 0.16), rng.uniform(0.08, 0.11)
    waist = rng.uniform(0.52, 0.58)
    torso = np.array(
        [(-shoulders, 0.19), (shoulders, 0.19), (hips, waist), (-hips, waist)], np.float64
    )
    limb = rng.uniform(0.06, 0.085)
    lines = [(0.0, head, 0.0, 0.22, 0.08)]  # the neck joins head and shoulders
    for side in (-1, 1):
        spread = rng.uniform(0.0, 0.18)
        lines.append((side * shoulders, 0.21, side * (shoulders + spread), 0.52, limb))
        stride = rng.uniform(0.0, 0.16)
        lines.append((side * hips * 0.55, waist - 0.02, side * (hips * 0.55 + stride), 1.0, limb))
    shape = _Shape(polygons=(torso,), lines=tuple(lines), discs=((0.0, head, head),))
    return _tilt(shape, rng.uniform(-8, 8))


def _box(rng: np.random.Generator) -> _Shape:
    """One rectangle of aspect 1:2.5 to 2.5:1, tilted by up to 10 degrees a third of the time."""
    aspect = np.exp(rng.uniform(np.log(0.4), np.log(2.5)))
    corners = np.array([(0, 0), (aspect, 0), (aspect, 1), (0, 1)], np.float64)
    angle = rng.uniform(-10, 10) if rng.random() < 1 / 3 else 0.0
    return _tilt(_Shape(polygons=(corners,)), angle)


def _tilt(shape: _Shape, degrees: float) -> _Shape:
    """``shape`` turned by ``degrees`` about the origin."""
    turn = np.deg2rad(degrees)
    cos, sin = np.cos(turn), np.sin(turn)

    def rotate(x: float, y: float) -> tuple[float, float]:
        return x * cos - y * sin, x * sin + y * cos

    return _Shape(
        polygons=tuple(
            np.array([rotate(x, y) for x, y in points], np.float64) for points in shape.polygons
        ),
        lines=tuple((*rotate(x0, y0), *rotate(x1, y1), w) for x0, y0, x1, y1, w in shape.lines),
        discs=tuple((*rotate(x, y), r) for x, y, r in shape.discs),
    )


_SHAPES = {"blob": _blob, "silhouette": _silhouette, "box": _box}


def _place(size: int, extent: float, where: float, side: str | None, overhang: float) -> float:
    """The shape's start on one axis: inside the frame at ``where`` (0-1) of the free room, or,
    with ``side`` (``low`` or ``high``), running ``overhang`` of its ``extent`` past that edge."""
    if side == "low":
        return -overhang * extent
    if side == "high":
        return size - (1 - overhang) * extent
    room = size - 2 - extent
    return 1 + where * room if room > 0 else (size - extent) / 2


def generate_object_mask(
    height: int,
    width: int,
    rng: np.random.Generator,
    kind: str | None = None,
    low: float = MIN_RATIO,
    high: float = MAX_RATIO,
) -> np.ndarray:
    """A bool ``height`` x ``width`` mask of one object of ``kind`` (random when None) covering
    between ``low`` and ``high`` of the image; about a third run off one edge of the frame."""
    if height < 16 or width < 16:
        raise ValueError(f"object masks need at least 16x16 pixels, got {height}x{width}")
    if not MIN_RATIO <= low < high <= MAX_RATIO:
        raise ValueError(f"object masks cover {MIN_RATIO:.0%}-{MAX_RATIO:.0%}, got {low}-{high}")
    kind = choose_kind(rng, kind, OBJECT_KINDS, "object")
    area = height * width
    for _ in range(20):
        shape = _SHAPES[kind](rng)
        target = rng.uniform(low, high)
        edge = None
        if rng.random() < BORDER_CHANCE:
            people = ("bottom", "bottom", "left", "right")  # a person is cut mostly at the feet
            edge = str(rng.choice(people if kind == "silhouette" else EDGES))
        sides = _SIDES[edge]
        overhang = rng.uniform(0.05, 0.35)
        where_x, where_y = rng.random(2)
        left, top, right, bottom = shape.bounds()
        scale = np.sqrt(target * area) / max(right - left, bottom - top)
        best = None
        for _ in range(16):
            x = _place(width, (right - left) * scale, where_x, sides[0], overhang)
            y = _place(height, (bottom - top) * scale, where_y, sides[1], overhang)
            if kind == "silhouette":  # the head stays in the frame: a close figure is cut below
                y = max(y, HEAD_ROOM * height)
            mask = shape.render(height, width, scale, x, y)
            ratio = mask.sum() / area
            if low <= ratio < high and (best is None or abs(ratio - target) < best[0]):
                best = (abs(ratio - target), mask)
            if best is not None and best[0] < 0.1 * target:
                break
            scale *= np.sqrt(target / ratio) if ratio > 0 else 2.0
        if best is not None:
            return best[1].astype(bool)
    raise ValueError(f"could not draw a {kind} covering {low:.0%}-{high:.0%} of {width}x{height}")
