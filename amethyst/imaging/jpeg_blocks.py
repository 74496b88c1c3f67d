"""Save an edited JPEG by re-encoding only the DCT blocks the edit changed.

Re-encoding a whole JPEG shifts every pixel a little (generation loss). Here the quantized DCT
coefficients of the original file are read (``jpeg_coefficients``), the blocks whose pixels the
fill changed get new coefficients under the file's own quantization tables, and every other
block is written back unchanged, so it decodes exactly as before. The file's APPn/COM segments
(EXIF with its orientation tag, ICC, XMP) are copied as they are, since the pixels stay in
stored orientation.

One limit: with 4:2:0 or 4:2:2 chroma, libjpeg-turbo's default ("fancy") upsampling blends the
edge samples of a re-encoded chroma block into the outermost pixel row or column of the kept
blocks beside it, so those pixels can move by a level or two even though their coefficients
are unchanged. Decoders that upsample block by block see no change there at all.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import jpeglib
import numpy as np
from PIL import Image

from amethyst.imaging.exif_orientation import to_stored_orientation
from amethyst.imaging.jpeg_coefficients import read_coefficients, write_coefficients
from amethyst.regions import Box

# RGB -> YCbCr rows of the JFIF colour transform that libjpeg applies when encoding; the
# +128 offsets of Cb and Cr cancel out because only differences are transformed here.
_YCBCR = np.array(
    [[0.299, 0.587, 0.114], [-0.168736, -0.331264, 0.5], [0.5, -0.418688, -0.081312]],
    np.float32,
)
# Orthonormal 8-point DCT-II matrix: JPEG's forward DCT of a block B is DCT @ B @ DCT.T, and
# the samples of dequantized coefficients C are DCT.T @ C @ DCT.
DCT = np.array(
    [
        [np.sqrt((1 if k == 0 else 2) / 8) * np.cos((2 * n + 1) * k * np.pi / 16) for n in range(8)]
        for k in range(8)
    ],
    np.float32,
)
# Largest magnitudes baseline Huffman coding can carry for 8-bit samples (DC may reach -1024).
_AC_LIMIT = 1023
_DC_RANGE = (-1024, 1023)
# jpeglib's limit on APPn/COM segments; it fails on files with more.
_MAX_MARKERS = 50
_JFIF_APP0 = b"JFIF\0"
# Rounds of rounding-error compensation for blocks that mix filled and unchanged pixels.
_REFINE_ROUNDS = 4


class NotBlockEditable(Exception):
    """The JPEG cannot be edited block by block; the message says why, for the user."""


@dataclass
class BlockEdit:
    """A JPEG written by :func:`reencode_changed_blocks`, with how many blocks it rewrote."""

    data: bytes
    blocks: int
    changed_blocks: int
    progressive: bool

    @property
    def kept_fraction(self) -> float:
        """Share of all DCT blocks (every component) whose coefficients were copied as they were."""
        return 1 - self.changed_blocks / self.blocks if self.blocks else 1.0


def reencode_changed_blocks(
    source: bytes, original: np.ndarray, result: np.ndarray, orientation: int = 1
) -> BlockEdit:
    """Write ``result`` as the JPEG ``source`` with only the blocks that differ re-encoded.

    ``original`` is ``source`` decoded upright (HxW or HxWx3 uint8) and ``result`` the edited
    copy of it. Raises :class:`NotBlockEditable` when the file's layout does not allow it.
    """
    if original.shape != result.shape:
        raise NotBlockEditable(
            f"the result is {result.shape} but the photo decodes to {original.shape}"
        )
    jpeg = open_coefficients(source)
    result = to_stored_orientation(result, orientation)
    check_layout(jpeg, result.shape)
    changed = requantize_changes(jpeg, to_stored_orientation(original, orientation), result)
    return write_edit(jpeg, source, changed)


def open_coefficients(source: bytes) -> jpeglib.DCTJPEG:
    """The JPEG ``source``'s DCT coefficients, or :class:`NotBlockEditable` saying why not."""
    with Image.open(io.BytesIO(source)) as header:
        segments = len(getattr(header, "applist", []))
    if segments > _MAX_MARKERS:
        raise NotBlockEditable(
            f"it has {segments} metadata segments and jpeglib keeps at most {_MAX_MARKERS}"
        )
    try:
        return read_coefficients(source)
    except OSError as exc:
        raise NotBlockEditable("libjpeg could not read its DCT coefficients") from exc


def component_planes(jpeg: jpeglib.DCTJPEG) -> list[np.ndarray]:
    """``jpeg``'s coefficient planes: Y, Cb and Cr, or Y alone for a greyscale file."""
    return [jpeg.Y, jpeg.Cb, jpeg.Cr] if jpeg.has_chrominance else [jpeg.Y]


def mcu_size(jpeg: jpeglib.DCTJPEG) -> tuple[int, int]:
    """Rows and columns of pixels one MCU (the smallest block-aligned unit) covers."""
    rows, cols = 8 * np.asarray(jpeg.samp_factor).max(axis=0)
    return int(rows), int(cols)


def mcu_region(jpeg: jpeglib.DCTJPEG, box: Box, margin: int = 0) -> Box:
    """The MCU-aligned box of the stored frame around ``box``, ``margin`` MCUs larger on each
    side; it ends on an MCU boundary or at the photo's edge."""
    rows, cols = mcu_size(jpeg)
    return Box(
        max(0, (box.x0 // cols - margin) * cols),
        max(0, (box.y0 // rows - margin) * rows),
        min(jpeg.width, (-(-box.x1 // cols) + margin) * cols),
        min(jpeg.height, (-(-box.y1 // rows) + margin) * rows),
    )


def requantize_changes(
    jpeg: jpeglib.DCTJPEG,
    original: np.ndarray,
    result: np.ndarray,
    top: int = 0,
    left: int = 0,
) -> int:
    """Re-encode in ``jpeg`` the blocks where ``result`` differs from ``original``; return how
    many changed.

    Both are the stored-orientation pixels of the crop at (``top``, ``left``), which lies on an
    MCU boundary; the crop ends on one or at the photo's edge (the whole frame is such a crop).
    """
    components = component_planes(jpeg)
    moved = _moved_pixels(original, result)
    changed = 0
    for box in _changed_boxes(moved, mcu_size(jpeg)):
        planes = _component_deltas(result[box].astype(np.float32), len(components))
        planes[0] = planes[0] - 128  # level shift: the DCT works on samples centred on 0
        for index, (coefficients, plane) in enumerate(zip(components, planes, strict=True)):
            scale = component_scale(jpeg, index)
            first = (
                (top + box[0].start) // (8 * scale[0]),
                (left + box[1].start) // (8 * scale[1]),
            )
            changed += _requantize(
                coefficients[first[0] :, first[1] :],
                plane,
                moved[box],
                jpeg.get_component_qt(index).astype(np.float32),
                scale,
            )
    return changed


def _changed_boxes(moved: np.ndarray, mcu: tuple[int, int]) -> list[tuple[slice, slice]]:
    """MCU-aligned boxes around the ``moved`` pixels, one per run of MCU rows holding some.

    Only these boxes are transformed, so memory and time follow the size of the edit, not of
    the photo, even for holes far apart (each run gets the columns its own changes span).
    """
    height, width = moved.shape
    bands = np.nonzero(np.add.reduceat(moved.any(axis=1), np.arange(0, height, mcu[0])))[0]
    boxes = []
    for run in np.split(bands, np.nonzero(np.diff(bands) > 1)[0] + 1) if bands.size else []:
        rows = slice(run[0] * mcu[0], min((run[-1] + 1) * mcu[0], height))
        cols = np.nonzero(moved[rows].any(axis=0))[0]
        first, last = cols[0] // mcu[1] * mcu[1], -(-(cols[-1] + 1) // mcu[1]) * mcu[1]
        boxes.append((rows, slice(first, min(last, width))))
    return boxes


def write_edit(jpeg: jpeglib.DCTJPEG, source: bytes, changed: int) -> BlockEdit:
    """``jpeg``'s coefficients written as a file with ``source``'s coding and segments."""
    components = component_planes(jpeg)
    blocks = sum(plane.shape[0] * plane.shape[1] for plane in components)
    jpeg.markers = [m for m in jpeg.markers if not _is_jfif(m)]
    try:
        data = write_coefficients(jpeg, source)
    except OSError as exc:
        raise NotBlockEditable("libjpeg could not write the DCT coefficients") from exc
    return BlockEdit(data, blocks, changed, bool(jpeg.progressive_mode))


def _moved_pixels(original: np.ndarray, result: np.ndarray) -> np.ndarray:
    """HxW bool of the pixels that differ in any channel."""
    if original.ndim == 2:
        return original != result
    # Channel by channel: numpy reduces a length-3 last axis several times slower.
    moved = original[..., 0] != result[..., 0]
    for channel in range(1, original.shape[2]):
        moved |= original[..., channel] != result[..., channel]
    return moved


def _is_jfif(marker: jpeglib.Marker) -> bool:
    # libjpeg writes its own JFIF header (with the source's density) before the copied segments.
    return marker.type.name == "JPEG_APP0" and marker.content.startswith(_JFIF_APP0)


def check_layout(jpeg: jpeglib.DCTJPEG, shape: tuple[int, ...]) -> None:
    """Refuse files whose blocks cannot be matched to pixels of ``shape`` (stored frame)."""
    space = jpeg.jpeg_color_space.name
    if space not in ("JCS_YCbCr", "JCS_GRAYSCALE"):
        raise NotBlockEditable(f"its colour space is {space[4:]}, not YCbCr or grayscale")
    if shape[:2] != (jpeg.height, jpeg.width):
        raise NotBlockEditable(
            f"its frame is {jpeg.width}x{jpeg.height} but the pixels are "
            f"{shape[1]}x{shape[0]} after undoing the EXIF orientation"
        )
    if (len(shape) == 3) != (space == "JCS_YCbCr"):
        raise NotBlockEditable(f"the result has {len(shape)} dimensions for a {space[4:]} JPEG")
    for index in range(jpeg.num_components):
        component_scale(jpeg, index)


def _component_deltas(delta: np.ndarray, components: int) -> list[np.ndarray]:
    """The pixel change per JPEG component (Y, or Y, Cb, Cr) at full resolution."""
    if components == 1:
        return [delta]
    return list(np.moveaxis(delta @ _YCBCR.T, 2, 0))


def component_scale(jpeg: jpeglib.DCTJPEG, index: int) -> tuple[int, int]:
    """How many pixels (rows, columns) one sample of component ``index`` covers."""
    factors = np.asarray(jpeg.samp_factor)
    most = factors.max(axis=0)
    rows, cols = most // factors[index]
    if (most % factors[index]).any():
        raise NotBlockEditable(f"its sampling factors {factors.tolist()} are not integer ratios")
    return int(rows), int(cols)


def _requantize(
    coefficients: np.ndarray,
    plane: np.ndarray,
    moving: np.ndarray,
    quant: np.ndarray,
    scale: tuple[int, int],
) -> int:
    """Re-encode the blocks under ``plane`` (the result's component, level-shifted) that hold a
    ``moving`` (filled) pixel; return how many changed. ``plane`` starts on a block boundary
    and ends on one or at the photo's edge.

    Each filled sample is set to the result's (the mean of the pixels it covers) by adding the
    difference from what the stored coefficients decode to, before any clamping, so every
    coefficient the fill did not move keeps its original quantization. Measuring from the
    stored samples rather than from the decoded pixels matters where the photo had saturated
    colour: pure magenta strokes ring past 0-255 and carry sharp chroma edges that the decoder's
    clamp and chroma upsampling hide, and a pixel difference would bring them back as a pink
    tint in the fill. Where a block mixes filled and still pixels, a few rounds pre-compensate
    the still samples for the rounding error, which the filled samples absorb, so the unchanged
    part of the block moves as little as possible.
    """
    span = 8 * np.asarray(scale)
    rows, cols = -(-np.asarray(plane.shape) // span)
    coefficients = coefficients[:rows, :cols]
    pad = ((0, rows * span[0] - plane.shape[0]), (0, cols * span[1] - plane.shape[1]))
    # Only blocks at the photo's right and bottom edges are partial here; encoders fill them
    # by repeating the last row and column.
    plane = np.pad(plane, pad, mode="edge")
    moving = np.pad(moving, pad, mode="edge")
    moving_tiles = moving.reshape(rows, 8 * scale[0], cols, 8 * scale[1]).swapaxes(1, 2)
    block_rows, block_cols = np.nonzero(moving_tiles.any(axis=(2, 3)))
    if block_rows.size == 0:
        return 0
    shape = (-1, 8, scale[0], 8, scale[1])
    tiles = plane.reshape(rows, 8 * scale[0], cols, 8 * scale[1]).swapaxes(1, 2)
    wanted = tiles[block_rows, block_cols].reshape(shape).mean(axis=(2, 4))
    sample_moves = moving_tiles[block_rows, block_cols].reshape(shape)
    fixed = ~sample_moves.all(axis=(2, 4))
    before = coefficients[block_rows, block_cols]
    stored = DCT.T @ (before * quant) @ DCT
    samples = np.where(sample_moves.any(axis=(2, 4)), wanted - stored, 0.0).astype(np.float32)
    best = _quantize(before, samples, quant)
    # Only blocks mixing filled and still pixels are refined: elsewhere nothing is compensated
    # and every round would give the first rounding again.
    mixed = np.nonzero(fixed.any(axis=(1, 2)))[0]
    if mixed.size:
        best[mixed] = _refined(before[mixed], samples[mixed], fixed[mixed], quant, best[mixed])
    best = best.astype(coefficients.dtype)
    coefficients[block_rows, block_cols] = best
    return int((best != before).any(axis=(1, 2)).sum())


def _refined(
    before: np.ndarray,
    samples: np.ndarray,
    fixed: np.ndarray,
    quant: np.ndarray,
    first: np.ndarray,
) -> np.ndarray:
    """Blocks quantized so the ``fixed`` samples move least, from the ``first`` rounding on."""
    best, updated, wanted = first.copy(), first, samples
    best_error = np.full(len(best), np.inf, np.float32)
    for _ in range(_REFINE_ROUNDS + 1):
        error = DCT.T @ ((updated - before) * quant) @ DCT - samples
        score = np.square(error * fixed).sum(axis=(1, 2))
        better = score < best_error
        best[better], best_error[better] = updated[better], score[better]
        wanted = wanted - error * fixed
        updated = _quantize(before, wanted, quant)
    return best


def _quantize(before: np.ndarray, change: np.ndarray, quant: np.ndarray) -> np.ndarray:
    """The stored blocks ``before`` moved by the DCT of ``change``, rounded and kept codable."""
    updated = np.rint(before + DCT @ change @ DCT.T / quant)
    updated[:, 1:, :] = updated[:, 1:, :].clip(-_AC_LIMIT, _AC_LIMIT)
    updated[:, 0, 1:] = updated[:, 0, 1:].clip(-_AC_LIMIT, _AC_LIMIT)
    updated[:, 0, 0] = updated[:, 0, 0].clip(*_DC_RANGE)
    return updated
