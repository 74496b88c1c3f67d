"""Validation that sees texture: hole PSNR, texture distance, haze and seam on the fixed
validation crops, OpenCV Telea on the same crops as the bar to beat, a grid of fills at 100 %,
and the rule that picks the best checkpoint.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import torch
from PIL import Image

from amethyst.evaluation.metrics import haze, hole_psnr, seam, texture_distance

#: The margin over Telea's hole PSNR a checkpoint must keep to be chosen for texture.
PSNR_MARGIN_DB = 0.3
HOLE_COLOUR = (128, 128, 128)


def to_uint8(images: torch.Tensor | np.ndarray) -> np.ndarray:
    """N,3,H,W in [-1, 1] to N,H,W,3 uint8."""
    if isinstance(images, torch.Tensor):
        images = images.detach().cpu().numpy()
    return np.clip(np.rint((images.transpose(0, 2, 3, 1) + 1) * 127.5), 0, 255).astype(np.uint8)


def telea(images: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """OpenCV Telea (radius 5) on each crop, back in the trainer's [-1, 1] N,3,H,W layout."""
    out = np.empty_like(images)
    for i, (rgb, mask) in enumerate(zip(to_uint8(images), masks, strict=True)):
        filled = cv2.inpaint(rgb, mask[0].astype(np.uint8), 5, cv2.INPAINT_TELEA)
        out[i] = filled.transpose(2, 0, 1).astype(np.float32) / 127.5 - 1
    return out


def fill_quality(
    output: torch.Tensor | np.ndarray, images: np.ndarray, masks: np.ndarray
) -> dict[str, float]:
    """Means over the crops of hole PSNR (dB), texture distance, haze and seam (the metrics of
    ``amethyst.evaluation.metrics``, on uint8 pixels; haze skips crops it cannot score)."""
    outs, originals = to_uint8(output), to_uint8(images)
    scores: dict[str, list[float]] = {"psnr": [], "texture": [], "haze": [], "seam": []}
    for out, original, mask in zip(outs, originals, masks[:, 0] > 0.5, strict=True):
        scores["psnr"].append(hole_psnr(out, original, mask))
        scores["texture"].append(texture_distance(out, original, mask))
        scores["haze"].append(haze(out, original, mask))
        scores["seam"].append(seam(out, original, mask))
    return {f"val_{k}": float(np.nanmean(v)) for k, v in scores.items()}


def selection_key(metrics: dict[str, float], telea_psnr: float) -> tuple[int, float]:
    """Sort key of a checkpoint's validation (smaller is better): checkpoints at least
    ``PSNR_MARGIN_DB`` above Telea come first, ranked by texture distance + haze; the rest
    after them, ranked by hole PSNR."""
    if metrics["val_psnr"] >= telea_psnr + PSNR_MARGIN_DB:
        return (0, metrics["val_texture"] + metrics["val_haze"])
    return (1, -metrics["val_psnr"])


def write_grid(
    path: Path, images: np.ndarray, masks: np.ndarray, output: torch.Tensor | np.ndarray
) -> None:
    """A PNG at 100 %: one row per crop of (input with the hole grey, fill, original)."""
    originals = to_uint8(images)
    holed = originals.copy()
    holed[masks[:, 0] > 0.5] = HOLE_COLOUR
    rows = [np.concatenate(t, axis=1) for t in zip(holed, to_uint8(output), originals, strict=True)]
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.concatenate(rows, axis=0)).save(path)
