"""Cut a thin hole that spans a large region into tiles that are filled near full resolution.

A wire or a scratch across a 12 MP photo makes a region as large as the photo. Shrunk to the
engine's working size, a 10 px wire becomes a line a pixel wide: its fill is made of patches
eight times coarser than the photo's detail, and comes back as a visible ghost line. When the
hole is thin and small in area, the region is cut instead into tiles of the working size at
(close to) full resolution. They are filled in two checkerboard phases, so every edge between
two tiles is filled with its neighbour's fill already in place; IOPaint's "crop" strategy does
the same for separate masks, not for one long one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from amethyst.imaging.masks import depth_inside, shrunk_hole
from amethyst.regions import Box, bounding_box

# Hole pixels a region may hold at the tiles' scale; larger holes are tiled at the scale that
# brings them to it. pypatchmatch's time follows the hole's area and, per tile, the crop's.
HOLE_BUDGET = 120_000
# Tiles are used only if their scale is at least this many times the region's own.
MIN_GAIN = 1.5
# At most this many tiles (each costs pypatchmatch up to ~90 ms whatever its hole): a hole
# that needs more at its scale is tiled at a smaller one, where each tile covers more of it.
MAX_TILES = 32
# The context around a tile's core, as a share of the tile's side (20 % was judged; 15 % gave
# the same scores on 16 wire removals in 18 % less time).
CONTEXT_SHARE = 0.15
# Tiles are used only for a hole that, shrunk with its region, lies no deeper than this many
# pixels from a known one: about as thin as the engine's 7x7 patches, it is filled from
# patches far coarser than the photo's detail. Deeper holes lose little to the shrinking, and
# ``detail_lift`` restores their detail.
MAX_SHRUNK_DEPTH = 4.0


@dataclass(frozen=True)
class Tile:
    """The hole pixels in ``core`` are filled by this tile; the engine sees ``crop``."""

    core: Box
    crop: Box


def plan_tiles(mask: np.ndarray, working_size: int) -> tuple[list[Tile], list[Tile]] | None:
    """The two phases of tiles that fill the region ``mask`` (HxW bool) near full resolution,
    or ``None`` when filling it whole, shrunk to ``working_size``, loses little: the region
    fits, the hole is too large in area (or too long for ``MAX_TILES``) for tiles to be much
    sharper, or it is wide enough to survive the shrinking."""
    height, width = mask.shape
    region_scale = min(1.0, working_size / max(height, width))
    area = int(np.count_nonzero(mask))
    if area == 0:
        return None
    scale = min(1.0, math.sqrt(HOLE_BUDGET / area))
    if scale < MIN_GAIN * region_scale:
        return None
    shrunk = (max(1, round(width * region_scale)), max(1, round(height * region_scale)))
    if depth_inside(shrunk_hole(mask, shrunk)).max() > MAX_SHRUNK_DEPTH:
        return None
    while scale >= MIN_GAIN * region_scale:
        phases = _tiles(mask, working_size / scale)
        count = len(phases[0]) + len(phases[1])
        if count <= MAX_TILES:
            return phases
        scale *= 0.9 * MAX_TILES / count
    return None


def _tiles(mask: np.ndarray, side: float) -> tuple[list[Tile], list[Tile]]:
    """Tiles over the hole on a grid of cells ``side`` px wide less the context, in two
    checkerboard phases: each cell that holds some of the hole gives one tile."""
    height, width = mask.shape
    margin = round(CONTEXT_SHARE * side)
    step = max(1, math.floor(side) - 2 * margin)
    holes = bounding_box(mask)
    phases: tuple[list[Tile], list[Tile]] = ([], [])
    for row, y0 in enumerate(range(holes.y0, holes.y1, step)):
        for column, x0 in enumerate(range(holes.x0, holes.x1, step)):
            cell = Box(x0, y0, min(x0 + step, holes.x1), min(y0 + step, holes.y1))
            inside = bounding_box(mask[cell.slices])
            if inside is None:
                continue
            # the core is the hole's box within the cell: a wire's crop is a band, not a square
            core = Box(
                cell.x0 + inside.x0, cell.y0 + inside.y0, cell.x0 + inside.x1, cell.y0 + inside.y1
            )
            phases[(row + column) % 2].append(Tile(core, core.grown(margin, width, height)))
    return phases
