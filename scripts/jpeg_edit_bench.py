"""Measure what a JPEG edit keeps: block-wise save (``encode_result``) vs a whole re-encode.

Makes a camera-like JPEG (a real photo upscaled to the asked size with mild sensor noise, saved by
Pillow with EXIF), fills a disc covering ``--object`` of the frame with a real engine, saves the
result both ways and decodes everything with Pillow. Prints the share of DCT blocks and of 8x8
pixel blocks kept bit-identical, the largest pixel change (any channel) outside the mask, and the
save times (best of ``--repeats``).

    python scripts/jpeg_edit_bench.py --size 4000x3000 --object 0.05
"""

from __future__ import annotations

import argparse
import io
import json
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

import amethyst
from amethyst.imaging.io import decode_image, encode_image, encode_result
from amethyst.imaging.jpeg_blocks import reencode_changed_blocks
from amethyst.imaging.jpeg_coefficients import read_coefficients

PHOTO = Path(__file__).resolve().parents[1] / "tests" / "data" / "coffee.jpg"
SUBSAMPLING = {"444": 0, "422": 1, "420": 2}


def camera_jpeg(size: tuple[int, int], quality: int, subsampling: str, progressive: bool) -> bytes:
    """A real photo at ``size`` with sensor-like noise, saved as a camera would (EXIF, 4:2:0)."""
    upscaled = Image.open(PHOTO).convert("RGB").resize(size, Image.Resampling.LANCZOS)
    noise = np.random.default_rng(0).normal(0, 2.0, (size[1], size[0], 3))
    pixels = np.clip(np.asarray(upscaled) + noise, 0, 255).astype(np.uint8)
    exif = Image.Exif()
    exif[0x010F] = "Amethyst bench camera"
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(
        buffer,
        "JPEG",
        quality=quality,
        subsampling=SUBSAMPLING[subsampling],
        progressive=progressive,
        exif=exif.tobytes(),
    )
    return buffer.getvalue()


def object_mask(size: tuple[int, int], share: float) -> np.ndarray:
    """A disc off-centre covering ``share`` of the frame, like an object a user paints over."""
    width, height = size
    radius = np.sqrt(share * width * height / np.pi)
    rows, cols = np.ogrid[:height, :width]
    return (rows - 0.55 * height) ** 2 + (cols - 0.4 * width) ** 2 <= radius**2


def decoded(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


def kept_pixel_blocks(before: np.ndarray, after: np.ndarray) -> float:
    """Share of 8x8 pixel blocks (whole ones) that decode bit-identical."""
    height, width = (before.shape[0] // 8) * 8, (before.shape[1] // 8) * 8
    moved = (before[:height, :width] != after[:height, :width]).any(axis=2)
    return float(1 - moved.reshape(height // 8, 8, width // 8, 8).any(axis=(1, 3)).mean())


def reencoded_pixels(before: bytes, after: bytes) -> np.ndarray:
    """HxW bool: pixels covered by a block whose coefficients differ, in any component."""
    old, new = read_coefficients(before), read_coefficients(after)
    factors = np.asarray(old.samp_factor)
    area = np.zeros((old.height, old.width), bool)
    planes = ("Y", "Cb", "Cr") if old.has_chrominance else ("Y",)
    for name, factor in zip(planes, factors, strict=True):
        rows, cols = 8 * (factors.max(axis=0) // factor)
        changed = (getattr(old, name) != getattr(new, name)).any(axis=(2, 3))
        area |= changed.repeat(rows, 0).repeat(cols, 1)[: old.height, : old.width]
    return area


def best_time(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="4000x3000", help="WIDTHxHEIGHT of the test photo")
    parser.add_argument("--object", type=float, default=0.05, help="share of the frame filled")
    parser.add_argument("--quality", type=int, default=92, help="quality of the input JPEG")
    parser.add_argument("--subsampling", default="420", choices=sorted(SUBSAMPLING))
    parser.add_argument("--progressive", action="store_true")
    parser.add_argument("--engine", default="telea")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))

    source = camera_jpeg(size, args.quality, args.subsampling, args.progressive)
    original = decode_image(source)
    hole = object_mask(size, args.object)
    result = amethyst.inpaint(original.image, hole, engine=args.engine)
    before = decoded(source)
    outside = ~hole
    # Pixels more than 2 px from the mask share no 4:2:0 chroma sample with a filled pixel.
    beyond = cv2.dilate(hole.astype(np.uint8), np.ones((5, 5), np.uint8)) == 0

    edit = reencode_changed_blocks(source, np.asarray(original.image), np.asarray(result))
    blockwise = encode_result(result, original, hole).data
    whole = encode_image(result, "JPEG", like=original, quality=95)
    figures = {
        "size": args.size,
        "megapixels": round(size[0] * size[1] / 1e6, 1),
        "object_share": round(float(hole.mean()), 4),
        "input": f"Pillow q{args.quality} {args.subsampling}"
        + (" progressive" if args.progressive else ""),
        "dct_blocks": edit.blocks,
        "dct_blocks_reencoded": edit.changed_blocks,
        "dct_blocks_kept_fraction": round(edit.kept_fraction, 5),
    }
    for name, data in (("blockwise", blockwise), ("q95_whole", whole)):
        after = decoded(data)
        change_map = np.abs(after.astype(np.int16) - before).max(axis=2)
        change = change_map[outside]
        figures[name] = {
            "pixel_blocks_kept_fraction": round(kept_pixel_blocks(before, after), 5),
            "max_change_outside_mask": int(change.max()),
            "max_change_2px_beyond_mask": int(change_map[beyond].max()),
            "mean_change_outside_mask": round(float(change.mean()), 4),
            "pixels_changed_outside_mask_fraction": round(float((change > 0).mean()), 5),
            "bytes": len(data),
        }
    # Outside every re-encoded block only the chroma seam of fancy upsampling can move pixels.
    seam = ~reencoded_pixels(source, blockwise)
    change = np.abs(decoded(blockwise).astype(np.int16) - before).max(axis=2)[seam]
    figures["blockwise"]["pixels_changed_outside_reencoded_blocks"] = int((change > 0).sum())
    figures["blockwise"]["max_change_outside_reencoded_blocks"] = int(change.max())
    figures["input_bytes"] = len(source)
    figures["blockwise"]["save_seconds"] = round(
        best_time(lambda: encode_result(result, original, hole), args.repeats), 3
    )
    figures["q95_whole"]["save_seconds"] = round(
        best_time(lambda: encode_image(result, "JPEG", like=original), args.repeats), 3
    )
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
