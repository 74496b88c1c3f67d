"""The high-resolution strategy shared by every engine: crop, scale, fill, paste back.

Engines only fill an RGB crop at their working size. Here we decide what to crop (each part
of the mask with context, see ``regions``), shrink crops larger than the engine's working size
(or, for a thin hole such as a wire, cut them into tiles, see ``tiles``), pad to the engine's
stride, and paste back only masked pixels at full resolution. Callers
hand over only ``hole_box``'s crop of the photo, so a small object in a 12 MP photo costs what
its neighbourhood costs: no step here touches the rest of the frame.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np
from PIL import Image

from amethyst.cores import cpu_count, map_on_cores
from amethyst.engines.base import Engine
from amethyst.errors import EngineFailure, InvalidMask
from amethyst.imaging.border_texture import continue_texture
from amethyst.imaging.detail_lift import lift_detail, read_photo
from amethyst.imaging.flips import flipped
from amethyst.imaging.masks import depth_inside, shrunk_hole
from amethyst.regions import Box, find_regions, hole_box
from amethyst.tiles import Tile, plan_tiles


def _pad_to_multiple(
    rgb: np.ndarray, mask: np.ndarray, multiple: int
) -> tuple[np.ndarray, np.ndarray]:
    height, width = mask.shape
    pad_h, pad_w = -height % multiple, -width % multiple
    if not pad_h and not pad_w:
        return rgb, mask
    rgb = np.pad(rgb, ((0, pad_h), (0, pad_w), (0, 0)), mode="symmetric")
    mask = np.pad(mask, ((0, pad_h), (0, pad_w)), mode="symmetric")
    return rgb, mask


def _fill_at_working_size(
    engine: Engine,
    rgb: np.ndarray,
    mask: np.ndarray,
    variant: int,
    keep_out: np.ndarray | None = None,
) -> np.ndarray:
    """Fill one crop, downscaling it first when it exceeds the engine's working size (then an
    exemplar engine's fill gets its sources' full-resolution detail back, and the engine may
    finish it at full resolution). Nothing of the ``keep_out`` pixels reaches the fill."""
    height, width = mask.shape
    scale = min(1.0, engine.working_size / max(height, width))
    small_keep_out = keep_out
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
        small_mask = shrunk_hole(mask, size)
        if keep_out is not None:
            small_keep_out = shrunk_hole(keep_out, size) & ~small_mask
    else:
        small, small_mask = rgb.copy(), mask
    # Engines never see what is being removed: OpenCV's inpainting, for one, blends the hole's
    # own pixels into its fill where the hole touches the frame's edge.
    small[small_mask] = 0
    if small_keep_out is not None:
        if (small_mask | small_keep_out).all():
            raise InvalidMask(
                "keep_out covers all of the photo around the hole, so nothing is left to fill "
                "it from: keep less out, or leave some of the photo next to the hole"
            )
        small[small_keep_out] = 0
    if scale == 1.0:
        return _engine_fill(engine, small, small_mask, variant, small_keep_out)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # What the detail lift and the engine's last step read from the photo alone (an
        # exemplar engine's known patches indexed, the photo's fine band, ...) is worked out on
        # another core while the engine fills (from a copy: an engine may write into its input).
        side = None
        if engine.copies_photo:
            side = pool.submit(read_photo, rgb, mask, small.copy(), small_mask, small_keep_out)
        ahead = pool.submit(engine.read_full_size, rgb, mask)
        filled = _engine_fill(engine, small, small_mask, variant, small_keep_out)
    full = cv2.resize(filled, (width, height), interpolation=cv2.INTER_CUBIC)
    if side is not None:
        lifted = lift_detail(rgb, mask, filled, small_mask, full, side.result())
        full = continue_texture(rgb, mask, lifted, scale, keep_out)
    return engine.finish_full_size(rgb, mask, full, ahead.result())


def _engine_fill(
    engine: Engine,
    small: np.ndarray,
    small_mask: np.ndarray,
    variant: int,
    keep_out: np.ndarray | None = None,
) -> np.ndarray:
    """``engine``'s fill of the crop ``small`` (its hole blanked) at its working size, checked.

    ``variant`` picks one of the engine's ``variants`` fills (modulo their number): the crop is
    flipped before the engine sees it and the fill flipped back. ``keep_out`` pixels (blanked
    too) are hidden from the engine (``Engine.fill_keeping_out``)."""
    flips = variant % engine.variants
    padded, padded_mask = _pad_to_multiple(
        flipped(small, flips), flipped(small_mask, flips), engine.pad_multiple
    )
    try:
        if keep_out is None or not keep_out.any():
            filled = engine.fill(np.ascontiguousarray(padded), padded_mask)
        else:
            grown = [(0, p - s) for p, s in zip(padded_mask.shape, small_mask.shape, strict=True)]
            padded_keep_out = np.pad(flipped(keep_out, flips), grown, mode="symmetric")
            filled = engine.fill_keeping_out(
                np.ascontiguousarray(padded), padded_mask, padded_keep_out
            )
    except Exception as exc:  # engines are third-party code: report which one failed
        raise EngineFailure(f"engine {engine.name!r} failed: {exc}") from exc
    if filled.shape != padded.shape or filled.dtype != np.uint8:
        raise EngineFailure(
            f"engine {engine.name!r} returned {filled.shape} {filled.dtype}, "
            f"expected {padded.shape} uint8"
        )
    return flipped(filled[: small.shape[0], : small.shape[1]], flips)


def _feather_weights(mask: np.ndarray, feather: int) -> np.ndarray | None:
    """Weight of the fill per pixel: ramps from the mask's edge to 1 at ``feather`` px inside;
    ``None`` without feathering."""
    if feather <= 0:
        return None
    return np.clip(depth_inside(mask) / float(feather), 0.0, 1.0)[..., None]


def _paste_fill(
    target: np.ndarray, filled: np.ndarray, mask: np.ndarray, weight: np.ndarray | None
) -> None:
    """Paste ``filled`` into ``target`` (in place) where ``mask`` is set, blended into the
    original by ``weight`` where one is given."""
    if weight is not None:
        blended = weight * filled + (1.0 - weight) * target
        filled = np.clip(np.rint(blended), 0, 255).astype(np.uint8)
    _paste(target, filled, mask)


def _fill_tiles(
    engine: Engine,
    rgb: np.ndarray,
    mask: np.ndarray,
    phases: tuple[list[Tile], list[Tile]],
    variant: int,
    keep_out: np.ndarray | None = None,
) -> None:
    """Fill the thin hole of the region ``rgb`` tile by tile (``tiles.plan_tiles``), in place.

    Each tile reads its crop as it was when its phase began, and writes only its core, so a
    phase's tiles fill at once and give the same pixels in any order. Hole pixels of a tile's
    context not yet filled are filled with it and dropped."""
    remaining = mask.copy()

    def fill_tile(work: tuple[Tile, np.ndarray, np.ndarray]) -> None:
        tile, crop, hole = work
        kept = None if keep_out is None else keep_out[tile.crop.slices]
        filled = _fill_at_working_size(engine, crop, hole, variant, kept)
        core = tile.core.slices
        _paste(rgb[core], filled[tile.core.slices_in(tile.crop)], mask[core])
        remaining[core] = False

    for phase in phases:
        crops = [(t, rgb[t.crop.slices].copy(), remaining[t.crop.slices].copy()) for t in phase]
        map_on_cores(fill_tile, crops, cpu_count())


def _fill_into(
    rgb: np.ndarray,
    mask: np.ndarray,
    engine: Engine,
    *,
    context_ratio: float = 0.5,
    min_margin: int = 32,
    feather: int = 0,
    variant: int = 0,
    keep_out: np.ndarray | None = None,
) -> None:
    """Fill the ``mask`` pixels of the writable RGB array ``rgb`` in place, region by region,
    copying nothing from the ``keep_out`` pixels.

    Regions never overlap (``find_regions`` merges them until they do not), so each is read
    and written by one thread only: several are filled at once, one per core. A thin hole
    across a region too large for the engine is filled in tiles near full resolution
    (``tiles``) rather than shrunk whole. Every engine we
    ship releases the GIL while it fills (ctypes, ONNX Runtime, OpenCV) and gives the same
    pixels in parallel as in turn."""

    def fill_region(box: Box) -> None:
        crop_mask = mask[box.slices]
        crop_keep_out = None if keep_out is None else keep_out[box.slices]
        target = rgb[box.slices]
        phases = plan_tiles(crop_mask, engine.working_size)
        if phases is None:
            filled = _fill_at_working_size(engine, target, crop_mask, variant, crop_keep_out)
        else:
            filled = target.copy()
            _fill_tiles(engine, filled, crop_mask, phases, variant, crop_keep_out)
        _paste_fill(target, filled, crop_mask, _feather_weights(crop_mask, feather))

    regions = find_regions(mask, context_ratio=context_ratio, min_margin=min_margin)
    map_on_cores(fill_region, regions, cpu_count())


def _paste(target: np.ndarray, source: np.ndarray, mask: np.ndarray) -> None:
    """Copy ``source`` into ``target`` (in place) where ``mask`` is set: OpenCV's masked copy,
    several times faster than numpy's on large crops."""
    if cv2.copyTo(source, mask.view(np.uint8), target) is not target:
        raise RuntimeError("the masked copy did not write in place")


def fill_crop(
    rgb: np.ndarray,
    mask: np.ndarray,
    engine: Engine,
    keep_out: np.ndarray | None = None,
    **options: int,
) -> np.ndarray:
    """Return a copy of the RGB crop ``rgb`` with its ``mask`` pixels filled by ``engine``.

    ``rgb`` holds the holes with their context (``hole_box``), or is a whole photo. Pixels
    where ``mask`` is False are bit-identical to ``rgb``. ``feather`` > 0 blends the fill into
    the original over that many pixels inside the mask's edge; ``context_ratio`` and
    ``min_margin`` set the context each region gets (see ``regions``); ``variant`` picks one of
    the engine's different fills (0: its usual one); nothing is copied from ``keep_out``'s
    pixels (HxW bool, outside ``mask``).
    """
    out = np.array(rgb, order="C")
    _fill_into(out, mask, engine, keep_out=keep_out, **options)
    return out


def fill_pixels(
    pixels: np.ndarray,
    mask: np.ndarray,
    engine: Engine,
    keep_out: np.ndarray | None = None,
    **options: int,
) -> np.ndarray:
    """``fill_crop`` for a uint8 crop that is HxW grey, HxWx3 RGB or HxWx4 (alpha kept)."""
    if pixels.ndim == 3 and pixels.shape[2] == 3:
        return fill_crop(pixels, mask, engine, keep_out, **options)
    if pixels.ndim == 2:
        rgb = np.repeat(pixels[..., None], 3, axis=2)
    else:
        rgb = np.array(pixels[..., :3], order="C")
    _fill_into(rgb, mask, engine, keep_out=keep_out, **options)
    out = np.array(pixels, order="C")
    if pixels.ndim == 2:
        # Pillow's RGB to L weights, as ``modes.from_rgb`` brings a fill back to grey.
        _paste(out, np.asarray(Image.fromarray(rgb).convert("L")), mask)
    else:
        np.copyto(out[..., :3], rgb, where=mask[..., None])
    return out


def fill_rgb(
    rgb: np.ndarray,
    mask: np.ndarray,
    engine: Engine,
    *,
    context_ratio: float = 0.5,
    min_margin: int = 32,
    feather: int = 0,
    variant: int = 0,
) -> np.ndarray:
    """Return a copy of the whole photo ``rgb`` with the ``mask`` pixels filled by ``engine``.

    Only ``hole_box``'s crop is worked on; pixels where ``mask`` is False are bit-identical.
    """
    out = np.array(rgb, order="C")
    box = hole_box(mask, context_ratio=context_ratio, min_margin=min_margin)
    if box is not None:
        _fill_into(
            out[box.slices],
            mask[box.slices],
            engine,
            context_ratio=context_ratio,
            min_margin=min_margin,
            feather=feather,
            variant=variant,
        )
    return out
