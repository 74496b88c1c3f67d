"""Time whole fills through ``amethyst.inpaint``: the fill-quality issue's two speed cases.

A 512x512 crop with a 256x256 hole (25 %) and a 12 MP photo (4000x3000) with an ellipse
covering 5 %, both made from the bundled example photo, the same 12 MP photo with three
separate 1.3 % blobs (filled one region per core), and with two thin wires across it (filled
in tiles near full resolution, see ``amethyst.tiles``). Each engine is warmed up once (model
loading), then timed ``--repeats`` times; the median and fastest are printed.

Usage: python scripts/fill_speed.py [--engine auto --engine gan ...] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

import amethyst
from amethyst.bench.speed import object_mask
from amethyst.engines import resolve

EXAMPLE = Path(amethyst.__file__).parent / "examples" / "rocket.jpg"


def _cases() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    photo = Image.open(EXAMPLE).convert("RGB")
    crop = np.asarray(photo.resize((768, 512)).crop((128, 0, 640, 512)))
    square = np.zeros((512, 512), bool)
    square[128:384, 128:384] = True
    big = np.asarray(photo.resize((4000, 3000), Image.Resampling.BICUBIC))
    blobs = np.zeros((3000, 4000), bool)
    yy, xx = np.ogrid[:3000, :4000]
    for cx, cy in ((700, 600), (3200, 900), (2000, 2400)):
        blobs |= ((xx - cx) / 240.0) ** 2 + ((yy - cy) / 200.0) ** 2 <= 1  # 1.3 % each
    wires = np.zeros((3000, 4000), np.uint8)
    cv2.line(wires, (0, 900), (3999, 1350), 1, 10)
    cv2.line(wires, (800, 0), (1000, 2999), 1, 6)
    return {
        "512x512, 25 % square hole": (crop, square),
        "4000x3000, 5 % ellipse": (big, object_mask(3000, 4000)),
        "4000x3000, three 1.3 % blobs": (big, blobs),
        "4000x3000, two wires (0.55 %)": (big, wires.astype(bool)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", default=None)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    cases = _cases()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| engine | case | median ms | fastest ms |\n|---|---|---:|---:|")
    for engine in args.engine or ["auto", "gan", "patchmatch", "telea"]:
        for case, (rgb, mask) in cases.items():
            amethyst.inpaint(rgb, mask, engine=engine)  # warm-up: loads models and caches
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                amethyst.inpaint(rgb, mask, engine=engine)
                times.append(1000 * (time.perf_counter() - start))
            name = f"{engine} ({resolve(engine)})" if engine == "auto" else engine
            print(f"| {name} | {case} | {statistics.median(times):.0f} | {min(times):.0f} |")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
