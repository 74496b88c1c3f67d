"""Plot a training run's validation curves (hole PSNR, texture distance, haze and seam on the
fixed validation crops) beside OpenCV Telea on the very same crops and masks, and print them
as a table.

Usage: python scripts/gan_validation_curve.py RUN/last.pt [-o docs/images/gan-validation-curve.png]
Needs the [train] extra (PyTorch) and matplotlib. Runs from before the texture metrics (their
history has ``val_hole_psnr`` only) are not supported.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib
import torch

from amethyst.evaluation.split import split_photos
from amethyst.training.data import fixed_validation_set
from amethyst.training.validation import fill_quality, telea

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402

PANELS = (
    ("val_psnr", "hole PSNR (dB) ↑"),
    ("val_texture", "texture distance ↓"),
    ("val_haze", "haze ↓"),
    ("val_seam", "seam ↓"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument(
        "-o", "--output", type=Path, default=Path("docs/images/gan-validation-curve.png")
    )
    args = parser.parse_args()
    state = torch.load(args.checkpoint, map_location="cpu", weights_only=False)
    cfg, history = state["config"], state["history"]
    baseline = state.get("telea")
    if baseline is None:
        _, val_paths = split_photos(cfg["data"])
        val = fixed_validation_set(val_paths, cfg["size"], cfg["val_count"])
        baseline = fill_quality(telea(*val), *val)
    best = state.get("best") or {}
    print(f"{cfg['val_count']} validation crops of {cfg['size']}x{cfg['size']}")
    print("| | " + " | ".join(title for _, title in PANELS) + " |")
    print("|---" * (len(PANELS) + 1) + "|")
    print("| Telea | " + " | ".join(f"{baseline[k]:.3f}" for k, _ in PANELS) + " |")
    for h in history:
        mark = " (best)" if h["step"] == best.get("step") else ""
        print(f"| step {h['step']}{mark} | " + " | ".join(f"{h[k]:.3f}" for k, _ in PANELS) + " |")

    steps = [h["step"] for h in history]
    fig, axes = plt.subplots(2, 2, figsize=(9, 6), sharex=True)
    for ax, (key, title) in zip(axes.flat, PANELS, strict=True):
        ax.plot(steps, [h[key] for h in history], marker="o", markersize=3, label="Amethyst GAN")
        ax.axhline(baseline[key], linestyle="--", color="grey", label="OpenCV Telea (radius 5)")
        if best:
            ax.axvline(best["step"], linestyle=":", color="green", label="kept (best)")
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=8)
    for ax in axes[1]:
        ax.set_xlabel("training step")
    fig.suptitle(f"{cfg['val_count']} validation photos, {cfg['size']} px crops, 1-60% masks")
    fig.tight_layout()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
