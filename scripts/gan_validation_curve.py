"""Plot a training run's validation curve (hole PSNR on the fixed validation crops) beside
OpenCV Telea and the push-pull fill on the very same crops and masks, and print it as a table.

Usage: python scripts/gan_validation_curve.py RUN/last.pt [-o docs/images/gan-validation-curve.png]
Needs the [train] extra (PyTorch) and matplotlib.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import matplotlib
import numpy as np
import torch

from amethyst.evaluation.split import split_photos
from amethyst.training.data import fixed_validation_set
from amethyst.training.model import push_pull_fill
from amethyst.training.train import mean_hole_psnr

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402


def telea(images: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """OpenCV Telea (radius 5) on each crop, back in the trainer's [-1, 1] layout."""
    out = np.empty_like(images)
    for i, (image, mask) in enumerate(zip(images, masks, strict=True)):
        rgb = np.clip(np.rint((image.transpose(1, 2, 0) + 1) * 127.5), 0, 255).astype(np.uint8)
        filled = cv2.inpaint(rgb, mask[0].astype(np.uint8), 5, cv2.INPAINT_TELEA)
        out[i] = filled.transpose(2, 0, 1).astype(np.float32) / 127.5 - 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument(
        "-o", "--output", type=Path, default=Path("docs/images/gan-validation-curve.png")
    )
    args = parser.parse_args()
    state = torch.load(args.checkpoint, map_location="cpu", weights_only=False)
    cfg, history = state["config"], state["history"]
    _, val_paths = split_photos(cfg["data"])
    images, masks = fixed_validation_set(val_paths, cfg["size"], cfg["val_count"])
    known, holes = torch.from_numpy(images), torch.from_numpy(masks)
    telea_fill = torch.from_numpy(telea(images, masks))
    baselines = {
        "OpenCV Telea (radius 5)": mean_hole_psnr(telea_fill, known, holes),
        "push-pull fill alone": mean_hole_psnr(
            push_pull_fill(known * (1 - holes), 1 - holes), known, holes
        ),
    }
    steps = [h["step"] for h in history]
    psnr = [h["val_hole_psnr"] for h in history]
    print(f"{len(images)} validation crops of {cfg['size']}x{cfg['size']}")
    for name, value in baselines.items():
        print(f"{name}: {value:.3f} dB")
    print("| step | " + " | ".join(str(s) for s in steps) + " |")
    print("| hole PSNR (dB) | " + " | ".join(f"{p:.3f}" for p in psnr) + " |")

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(steps, psnr, marker="o", markersize=3, label="Amethyst GAN")
    for (name, value), style in zip(baselines.items(), ("--", ":"), strict=True):
        ax.axhline(value, linestyle=style, color="grey", label=f"{name}: {value:.2f} dB")
    ax.set_xlabel("training step")
    ax.set_ylabel("hole PSNR on validation crops (dB)")
    ax.set_title(f"{len(images)} validation photos, {cfg['size']} px crops, 1-60% masks")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
