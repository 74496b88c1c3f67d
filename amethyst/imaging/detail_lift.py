"""Give an exemplar fill made on a downscaled crop the photo's own full-resolution detail.

A PatchMatch fill is a mosaic of pieces of the photo, but when the crop was shrunk to the
engine's working size and the fill upscaled back, every piece is soft at 100 %. Here each hole
pixel's source is found again at the working size (the known patch that its neighbourhood in
the fill matches best), and the fine detail of the sources around each photo pixel, read from
the photo at full resolution and blended, is laid over the upscaled fill: the fill keeps its
layout and gets its texture back.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from amethyst.cores import cpu_count, map_on_cores
from amethyst.imaging.masks import away_from, depth_inside
from amethyst.regions import Box, bounding_box

RADIUS = 2  # working-size px: patches of 5x5 are matched
DIMENSIONS = 8  # the patches are compared on this many principal components
CHECKS = 16  # FLANN's search effort per query
MIN_QUERIES_PER_CORE = 2000  # smaller searches are not worth a second thread
STRIDE = 2  # sources are searched on this grid; other pixels take the best of their neighbours'
SIGMA = 1.0  # working-size px: the detail laid over is what a Gaussian of this width removes
TAPER = 2.0  # working-size px: over this depth from the hole's edge the detail fades in
BAND_ROWS = 256  # the hole's box is lifted in bands of this many rows, at once on the cores
MAX_BLEND_GAIN = 2.0  # the most a blend of sources' bands is scaled to regain their contrast


def _lab(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)


def _project(lab: np.ndarray, kernels: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """Per pixel of ``lab``, its patch projected on the principal axes (HxWxDIMENSIONS): a sum
    of small filters, so no pixel's whole patch is ever stored."""
    projected = np.empty((*lab.shape[:2], DIMENSIONS), np.float32)
    for d in range(DIMENSIONS):
        projected[..., d] = (
            sum(
                cv2.filter2D(lab[..., c], -1, kernels[..., c, d], borderType=cv2.BORDER_REFLECT)
                for c in range(3)
            )
            - shifts[d]
        )
    return projected


class SourcePatches:
    """The known patches of a crop at the working size, reduced to their principal components
    and indexed for nearest-neighbour search (FLANN's k-d tree). They lie wholly outside the
    hole, so they are the same before and after the fill: the pipeline indexes them on another
    core while the engine fills."""

    def __init__(
        self, image: np.ndarray, hole: np.ndarray, keep_out: np.ndarray | None = None
    ) -> None:
        height, width = hole.shape
        self.hole = hole
        self.usable = away_from(hole if keep_out is None else hole | keep_out, RADIUS + 1)
        self.usable[:RADIUS], self.usable[height - RADIUS :] = False, False
        self.usable[:, :RADIUS], self.usable[:, width - RADIUS :] = False, False
        self.sy, self.sx = np.nonzero(self.usable)
        if self.sy.size < 2 or not hole.any():
            self.index = None
            return
        lab = _lab(image)
        side = 2 * RADIUS + 1
        step = max(1, self.sy.size // 4000)
        sy, sx = self.sy[::step], self.sx[::step]
        sample = np.concatenate(
            [lab[sy + dy - RADIUS, sx + dx - RADIUS] for dy in range(side) for dx in range(side)],
            axis=1,
        )
        mean = sample.mean(axis=0)
        centred = sample - mean
        axes = np.linalg.eigh(centred.T @ centred)[1][:, ::-1][:, :DIMENSIONS].astype(np.float32)
        self.kernels = axes.reshape(side, side, 3, DIMENSIONS)
        self.shifts = mean @ axes
        self.projected = _project(lab, self.kernels, self.shifts)
        # FLANN's randomised k-d tree draws from OpenCV's per-thread generator: seed it, so the
        # same crop always finds the same sources.
        cv2.setRNGSeed(0)
        sources = np.ascontiguousarray(self.projected[self.sy, self.sx])
        self.index = cv2.flann_Index(sources, {"algorithm": 1, "trees": 1})

    def offsets(self, fill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per pixel of ``fill`` (the crop with its hole filled), the (dy, dx) HxW int32 arrays
        to the known pixel whose patch best matches its own; (0, 0) outside the hole and where
        no source exists."""
        hole = self.hole
        dy, dx = np.zeros(hole.shape, np.int32), np.zeros(hole.shape, np.int32)
        if self.index is None:
            return dy, dx
        projected = self._with_fill(fill)
        grid = hole.copy()
        grid[1::STRIDE] = False
        grid[:, 1::STRIDE] = False
        gy, gx = np.nonzero(grid)
        found = self._nearest(np.ascontiguousarray(projected[gy, gx]))
        dy[gy, gx] = self.sy[found[:, 0]] - gy
        dx[gy, gx] = self.sx[found[:, 0]] - gx
        _spread_from_grid(projected, hole, grid, self.usable, dy, dx)
        return dy, dx

    def _nearest(self, queries: np.ndarray) -> np.ndarray:
        """Index of each query's nearest source (Nx1). Large batches are split over the cores:
        each query's search is independent, so the answer does not change."""
        parts = min(cpu_count(), max(1, len(queries) // MIN_QUERIES_PER_CORE))

        def search(batch: np.ndarray) -> np.ndarray:
            return self.index.knnSearch(batch, 1, params={"checks": CHECKS})[0]

        return np.concatenate(map_on_cores(search, np.array_split(queries, parts), parts))

    def _with_fill(self, fill: np.ndarray) -> np.ndarray:
        """The projection with the patches that touch the hole taken from ``fill`` (in place:
        those patches are all replaced on every call), computed on the hole's bounding box grown
        by two patch radii and kept on it grown by one."""
        height, width = self.hole.shape
        holes = _bounding_box(self.hole)
        outer, inner = holes.grown(2 * RADIUS, width, height), holes.grown(RADIUS, width, height)
        near = _project(_lab(np.ascontiguousarray(fill[outer.slices])), self.kernels, self.shifts)
        self.projected[inner.slices] = near[inner.slices_in(outer)]
        return self.projected


def _bounding_box(mask: np.ndarray) -> Box:
    """The bounding box of a non-empty bool ``mask``."""
    box = bounding_box(mask)
    assert box is not None, "the mask is empty"
    return box


def _spread_from_grid(
    projected: np.ndarray,
    hole: np.ndarray,
    grid: np.ndarray,
    usable: np.ndarray,
    dy: np.ndarray,
    dx: np.ndarray,
) -> None:
    """Give each hole pixel off the grid (in place) the offset, among those of the grid pixels
    around it, whose source matches it best."""
    height, width = hole.shape
    ys, xs = np.nonzero(hole & ~grid)
    if ys.size == 0:
        return
    best = np.full(ys.size, np.inf, np.float32)
    chosen_y, chosen_x = np.zeros(ys.size, np.int32), np.zeros(ys.size, np.int32)
    for step_y in (0, 1):
        for step_x in (0, 1):
            ny = np.clip(ys - ys % STRIDE + step_y * STRIDE, 0, height - 1)
            nx = np.clip(xs - xs % STRIDE + step_x * STRIDE, 0, width - 1)
            on_grid = grid[ny, nx]
            oy, ox = dy[ny, nx], dx[ny, nx]
            ty, tx = np.clip(ys + oy, 0, height - 1), np.clip(xs + ox, 0, width - 1)
            valid = on_grid & usable[ty, tx]
            cost = ((projected[ys, xs] - projected[ty, tx]) ** 2).sum(axis=1)
            better = valid & (cost < best)
            best[better] = cost[better]
            chosen_y[better], chosen_x[better] = oy[better], ox[better]
    dy[ys, xs], dx[ys, xs] = chosen_y, chosen_x


@dataclass(frozen=True)
class PhotoSide:
    """What the lift reads from the photo alone, worked out on another core while the engine
    fills: the known patches at the working size (``sources``), the photo's fine band at full
    resolution (``detail``: the photo minus its blur, the hole blanked), the pixels where that
    band is the photo's own (``trusted``: the blanked hole never reaches them), and how far into
    the hole's box (``holes``) the detail fades in."""

    sources: SourcePatches
    detail: np.ndarray
    trusted: np.ndarray
    holes: Box
    fade: np.ndarray


def _scale(mask: np.ndarray, small_hole: np.ndarray) -> float:
    """The working size's scale: ``small_hole``'s width over ``mask``'s."""
    return small_hole.shape[1] / mask.shape[1]


def read_photo(
    photo: np.ndarray,
    mask: np.ndarray,
    small: np.ndarray,
    small_hole: np.ndarray,
    keep_out: np.ndarray | None = None,
) -> PhotoSide:
    """The photo's side of ``lift_detail`` for the non-empty bool ``mask``, from the full
    ``photo`` and its working-size crop ``small`` (hole ``small_hole``); neither's hole pixels
    are looked at, and no source is taken from ``keep_out`` (at the working size)."""
    scale = _scale(mask, small_hole)
    sigma = SIGMA / scale
    blank = np.array(photo, order="C")
    blank[mask] = 0
    holes = _bounding_box(mask)
    # OpenCV's 8-bit Gaussian kernels reach 3 sigma: sources farther from the hole than that
    # are blurred from photo pixels only.
    trusted = away_from(mask, int(np.ceil(3 * sigma))).view(np.uint8)
    fade = np.clip(_depth(mask, holes) * (scale / TAPER), 0.0, 1.0)[..., None]
    detail = cv2.subtract(blank, cv2.GaussianBlur(blank, (0, 0), sigma), dtype=cv2.CV_16S)
    return PhotoSide(SourcePatches(small, small_hole, keep_out), detail, trusted, holes, fade)


def lift_detail(
    photo: np.ndarray,
    mask: np.ndarray,
    small_fill: np.ndarray,
    small_hole: np.ndarray,
    upscaled: np.ndarray,
    side: PhotoSide | None = None,
) -> np.ndarray:
    """``upscaled`` (HxWx3 uint8, ``small_fill`` resized to ``photo``'s size) whose fine band
    inside ``mask`` is replaced by that of each pixel's sources in ``photo``, at full resolution.
    ``side`` may hold ``read_photo``'s result, worked out beforehand. The photo's pixels inside
    ``mask`` (what is being removed) are never looked at.

    A full-resolution pixel lies between four working-size pixels, each with its own source;
    their bands are blended by the pixel's distance to each (bilinear weights), so that where
    the sources change there is no block edge: one source per working-size pixel left a grid
    of 6-8 px blocks across 12 MP fills. Blending unrelated textures flattens them, so the
    blend's local contrast is brought back to its sources' (``_Blend``)."""
    mask = mask.astype(bool)
    out = upscaled.copy()
    if not mask.any():
        return out
    if side is None:
        side = read_photo(photo, mask, small_fill, small_hole)
    scale = _scale(mask, small_hole)
    offset_y, offset_x = side.sources.offsets(small_fill)
    holes = side.holes

    # Everything else is worked out on the hole's bounding box only, in bands of rows at once
    # on the cores: a band's blend needs only its own sources and rows within the blur's reach.
    # Each working-size pixel's offset to its source, in full-resolution pixels:
    step_y, step_x = (np.rint(offset / scale).astype(np.float32) for offset in (offset_y, offset_x))
    cols = np.arange(holes.x0, holes.x1)
    col_positions = cols[None, :].astype(np.float32)
    cell = 1.0 / scale
    reach = int(np.ceil(4 * cell)) + 1  # OpenCV's float Gaussian kernels reach 4 sigma
    blurred = _blurred_fill(photo, mask, upscaled, holes, SIGMA / scale)

    def lift_rows(band: tuple[int, int]) -> None:
        top, bottom = band
        start, stop = max(holes.y0, top - reach), min(holes.y1, bottom + reach)
        rows = np.arange(start, stop)
        row_positions = rows[:, None].astype(np.float32)
        blend = _Blend((rows.size, cols.size))
        for cells, weight in _neighbour_cells(rows, cols, scale, small_hole.shape):
            map_y = row_positions + step_y[cells]
            map_x = col_positions + step_x[cells]
            blend.add(map_y, map_x, weight * small_hole[cells], side)
        inner = slice(top - start, bottom - start)
        values = blend.result(cell)[inner]
        used = blend.total[inner] > 0
        here = np.s_[top:bottom, holes.x0 : holes.x1]
        in_box = slice(top - holes.y0, bottom - holes.y0)
        # upscaled + fade * (the sources' band - the upscaled fill's own), in one float array.
        values += blurred[in_box]
        values -= upscaled[here]
        values *= side.fade[in_box]
        values += upscaled[here]
        values += 0.5
        np.clip(values, 0, 255, out=values)
        np.copyto(out[here], values.astype(np.uint8), where=(mask[here] & used)[..., None])

    bands = [(top, min(top + BAND_ROWS, holes.y1)) for top in range(holes.y0, holes.y1, BAND_ROWS)]
    map_on_cores(lift_rows, bands, cpu_count())
    return out


def _neighbour_cells(
    rows: np.ndarray, cols: np.ndarray, scale: float, shape: tuple[int, int]
) -> list[tuple[tuple[np.ndarray, np.ndarray], np.ndarray]]:
    """For the full-resolution ``rows`` x ``cols``, the four working-size pixels around each
    (as ``np.ix_`` indices into an array of ``shape``) and their bilinear weights."""
    spots_y, spots_x = (rows + 0.5) * scale - 0.5, (cols + 0.5) * scale - 0.5
    first_y, first_x = np.floor(spots_y).astype(np.int64), np.floor(spots_x).astype(np.int64)
    part_y = (spots_y - first_y).astype(np.float32)
    part_x = (spots_x - first_x).astype(np.float32)
    neighbours = []
    for step_y, weight_y in ((0, 1 - part_y), (1, part_y)):
        for step_x, weight_x in ((0, 1 - part_x), (1, part_x)):
            cells = np.ix_(
                np.clip(first_y + step_y, 0, shape[0] - 1),
                np.clip(first_x + step_x, 0, shape[1] - 1),
            )
            neighbours.append((cells, weight_y[:, None] * weight_x[None, :]))
    return neighbours


class _Blend:
    """The bands of a pixel's neighbouring sources, summed by weight as they are added
    (``add``), then averaged with their local contrast brought back (``result``)."""

    def __init__(self, shape: tuple[int, int]) -> None:
        self.total = np.zeros(shape, np.float32)  # the weights
        self.bands = np.zeros((*shape, 3), np.float32)  # the bands times their weights
        self.energy = np.zeros(shape, np.float32)  # the bands' energies times their weights

    def add(
        self, map_y: np.ndarray, map_x: np.ndarray, weight: np.ndarray, side: PhotoSide
    ) -> None:
        """Add the source at (``map_y``, ``map_x``) of each pixel, by ``weight`` where trusted."""

        def at_sources(image: np.ndarray) -> np.ndarray:
            return cv2.remap(image, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT)

        weight = weight * (at_sources(side.trusted) > 0)
        band = at_sources(side.detail).astype(np.float32)
        self.energy += _energy(band) * weight
        band *= weight[..., None]
        self.bands += band
        self.total += weight

    def result(self, cell: float) -> np.ndarray:
        """The weighted mean of the bands, its local contrast brought back to the weighted mean
        of theirs: unrelated textures averaged lose contrast, a texture averaged with itself
        does not, and the local energy over a working-size pixel (``cell`` px) tells which."""
        total = np.maximum(self.total, 1e-6)
        blend = self.bands / total[..., None]
        wanted = self.energy / total
        present = _energy(blend)
        wanted, present = (cv2.GaussianBlur(x, (0, 0), cell) for x in (wanted, present))
        gain = np.sqrt(np.clip(wanted / np.maximum(present, 1e-3), 1.0, MAX_BLEND_GAIN**2))
        blend *= gain[..., None]
        return blend


def _energy(band: np.ndarray) -> np.ndarray:
    """Per pixel, the mean square of an HxWx3 float32 band over its channels."""
    return np.einsum("ijk,ijk->ij", band, band) / 3.0


def _blurred_fill(
    photo: np.ndarray, mask: np.ndarray, upscaled: np.ndarray, holes: Box, sigma: float
) -> np.ndarray:
    """The photo with ``upscaled`` pasted into ``mask``, blurred by ``sigma``, on ``holes`` (the
    hole's box): blurred on the box grown by the kernel's reach only, which gives the same
    pixels as blurring the whole photo."""
    height, width = mask.shape
    grown = holes.grown(int(np.ceil(3 * sigma)) + 1, width, height)
    clean = np.array(photo[grown.slices], order="C")
    cv2.copyTo(upscaled[grown.slices], mask[grown.slices].view(np.uint8), clean)
    return cv2.GaussianBlur(clean, (0, 0), sigma)[holes.slices_in(grown)]


def _depth(mask: np.ndarray, holes: Box) -> np.ndarray:
    """Each pixel's distance to the nearest pixel outside ``mask``, on ``holes`` (its bounding
    box): computed on the box grown by a pixel, a ring outside the mask, where the photo
    allows."""
    grown = holes.grown(1, mask.shape[1], mask.shape[0])
    return depth_inside(mask[grown.slices])[holes.slices_in(grown)]
