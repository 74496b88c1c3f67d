"""Training batches: photos decoded once into memory, random crops/flips/scales, user-like masks.

Decoding JPEGs every step is too slow on a small CPU, so every training photo is decoded once
(downscaled to at most ``max_side``) and kept as a uint8 array. A batch is a pure function of
``(seed, step, rank)``: resuming at step N draws exactly the batches an uninterrupted run would
have drawn, and each DDP process draws different ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from amethyst.evaluation.masks import generate_mask


def load_photo(path: Path, max_side: int) -> np.ndarray:
    """An RGB uint8 array of the photo at ``path``, downscaled so its longer side <= max_side."""
    with Image.open(path) as im:
        im.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale when possible
        rgb = np.asarray(im.convert("RGB"))
    scale = max_side / max(rgb.shape[:2])
    if scale < 1:
        size = (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return rgb


class PhotoBatches:
    """Random training crops of a fixed set of photos, with one random hole mask each."""

    def __init__(self, paths: Sequence[Path], size: int, seed: int, max_side: int = 512) -> None:
        if not paths:
            raise ValueError("no training photos")
        self.size = size
        self.seed = seed
        self.images = [load_photo(p, max_side) for p in paths]

    def crop(self, rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A random ``size`` square: random scale (1x to 1/2x), place and horizontal flip."""
        h, w = rgb.shape[:2]
        short = min(h, w)
        # The crop's side in the photo: from `size` pixels (no rescale) to twice that, so the
        # content keeps roughly the scale the engine sees at its working size.
        side = int(rng.integers(min(self.size, short), min(2 * self.size, short) + 1))
        top = int(rng.integers(0, h - side + 1))
        left = int(rng.integers(0, w - side + 1))
        patch = rgb[top : top + side, left : left + side]
        if side != self.size:
            interp = cv2.INTER_AREA if side > self.size else cv2.INTER_CUBIC
            patch = cv2.resize(patch, (self.size, self.size), interpolation=interp)
        if rng.random() < 0.5:
            patch = patch[:, ::-1]
        return np.ascontiguousarray(patch)

    def batch(self, step: int, batch_size: int, rank: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """``(images, masks)`` for ``step``: N,3,S,S float32 in [-1, 1] and N,1,S,S float32."""
        rng = np.random.default_rng([self.seed, step, rank])
        images = np.empty((batch_size, 3, self.size, self.size), np.float32)
        masks = np.empty((batch_size, 1, self.size, self.size), np.float32)
        for i in range(batch_size):
            rgb = self.crop(self.images[int(rng.integers(len(self.images)))], rng)
            images[i] = rgb.transpose(2, 0, 1) / 127.5 - 1
            masks[i, 0] = generate_mask(self.size, self.size, rng)
        return images, masks


def centre_square(rgb: np.ndarray, size: int) -> np.ndarray:
    """The largest centred square of ``rgb``, resized to ``size`` px by area."""
    h, w = rgb.shape[:2]
    short = min(h, w)
    top, left = (h - short) // 2, (w - short) // 2
    square = rgb[top : top + short, left : left + short]
    return cv2.resize(square, (size, size), interpolation=cv2.INTER_AREA)


def fixed_validation_set(
    paths: Sequence[Path], size: int, count: int, seed: int = 1234, max_side: int = 512
) -> tuple[np.ndarray, np.ndarray]:
    """Centre crops of the first ``count`` validation photos with fixed masks, for the curve."""
    rng = np.random.default_rng(seed)
    images, masks = [], []
    for path in list(paths)[:count]:
        patch = centre_square(load_photo(path, max_side), size)
        images.append(patch.transpose(2, 0, 1).astype(np.float32) / 127.5 - 1)
        masks.append(generate_mask(size, size, rng)[None].astype(np.float32))
    return np.stack(images), np.stack(masks)
