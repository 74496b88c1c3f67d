"""Edit a JPEG through one crop: one read of its coefficients, one write of them.

For the service's common case (a JPEG in, a small hole, a JPEG out) nothing here touches the
whole frame's pixels: the crop around the hole is decoded from the coefficients
(``jpeg_pixels``), the caller fills it, and only the blocks the fill changed are re-encoded
(``jpeg_blocks``) before the coefficients are written once. Boxes are upright (as shown); the
EXIF orientation is undone here.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from amethyst.imaging.exif_orientation import (
    SWAPS_AXES,
    box_to_stored,
    box_to_upright,
    to_upright,
)
from amethyst.imaging.jpeg_blocks import (
    BlockEdit,
    NotBlockEditable,
    check_layout,
    mcu_region,
    open_coefficients,
    requantize_changes,
    write_edit,
)
from amethyst.imaging.jpeg_pixels import decode_box
from amethyst.regions import Box

# Crops up to this share of the frame are decoded from the coefficients already read; larger
# ones by libjpeg in a second, faster pass over the file.
_OWN_DECODE_SHARE = 0.2
_END_OF_IMAGE = b"\xff\xd9"


class JpegCropEdit:
    """One edit of the JPEG ``source``: :meth:`pixels` of a box, then :meth:`save` the result.

    Raises ``NotBlockEditable`` (from ``jpeg_blocks``) when the file cannot be edited so.
    """

    def __init__(self, source: bytes, orientation: int = 1) -> None:
        if not source.rstrip(b"\0").endswith(_END_OF_IMAGE):
            # libjpeg reads a truncated file as grey blocks with only a warning; Pillow's full
            # decode refuses it with a clear error, so such files take that path.
            raise NotBlockEditable("it does not end with an end-of-image marker")
        self._source = source
        self._orientation = orientation
        self._jpeg = open_coefficients(source)
        grey = not self._jpeg.has_chrominance
        check_layout(self._jpeg, (self._jpeg.height, self._jpeg.width, *(() if grey else (3,))))
        self._region: Box | None = None
        self._original: np.ndarray | None = None

    @property
    def size(self) -> tuple[int, int]:
        """The upright width and height."""
        width, height = self._jpeg.width, self._jpeg.height
        return (height, width) if self._orientation in SWAPS_AXES else (width, height)

    def _upright_offset(self, box: Box) -> tuple[slice, slice]:
        """Where ``box`` lies in the upright view of the decoded region."""
        region = box_to_upright(
            self._region, self._orientation, self._jpeg.width, self._jpeg.height
        )
        return (
            slice(box.y0 - region.y0, box.y1 - region.y0),
            slice(box.x0 - region.x0, box.x1 - region.x0),
        )

    def pixels(self, box: Box) -> np.ndarray:
        """The upright pixels of ``box`` (HxWx3 RGB, or HxW for a greyscale JPEG), read-only."""
        width, height = self.size
        stored = box_to_stored(box, self._orientation, width, height)
        # The block editor works on MCU-aligned crops that end on an MCU or the photo's edge.
        self._region = mcu_region(self._jpeg, stored)
        self._original = self._decode(self._region)
        self._original.flags.writeable = False
        return to_upright(self._original, self._orientation)[self._upright_offset(box)]

    def _decode(self, region: Box) -> np.ndarray:
        """The stored pixels of ``region``: from the coefficients, or by libjpeg when large."""
        if region.width * region.height <= _OWN_DECODE_SHARE * self._jpeg.width * self._jpeg.height:
            return decode_box(self._jpeg, region)
        # libjpeg decodes a 12 MP frame in about 40 ms, our float decode about 15 ms per MP.
        try:
            with Image.open(io.BytesIO(self._source)) as stored:
                return np.asarray(stored.crop((region.x0, region.y0, region.x1, region.y1)))
        except OSError as exc:
            raise NotBlockEditable(f"libjpeg could not decode it: {exc}") from exc

    def save(self, box: Box | None = None, result: np.ndarray | None = None) -> BlockEdit:
        """Write the file with ``box`` (as passed to :meth:`pixels`) holding ``result``; with
        neither, write the coefficients unchanged."""
        if box is None or result is None or self._original is None or self._region is None:
            return write_edit(self._jpeg, self._source, 0)
        edited = self._original.copy()
        # ``to_upright`` gives a view, so this writes the stored-orientation copy.
        to_upright(edited, self._orientation)[self._upright_offset(box)] = result
        changed = requantize_changes(
            self._jpeg, self._original, edited, self._region.y0, self._region.x0
        )
        return write_edit(self._jpeg, self._source, changed)
