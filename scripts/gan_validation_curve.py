"""Plot training runs' validation curves (hole PSNR, texture distance, haze and seam on the
fixed validation crops) beside OpenCV Telea on the very same crops and masks, and print them
as tables. Several runs (same crop size) share one plot, each labelled by its folder; RUN@N
draws a run that started from another run's step N (``--init``) from N on.

Usage: python scripts/gan_validation_curve.py RUN/last.pt [RUN2/last.pt@1000 ...] [-o PNG]
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


def load_run(checkpoint: Path) -> tuple[dict, list[dict], dict, dict]:
    """A run's config, validation history, Telea's figures on its crops and its best step."""
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    cfg = state["config"]
    baseline = state.get("telea")
    if baseline is None:
        _, val_paths = split_photos(cfg["data"])
        val = fixed_validation_set(val_paths, cfg["size"], cfg["val_count"])
        baseline = fill_quality(telea(*val), *val)
    return cfg, state["history"], baseline, state.get("best") or {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoints", nargs="+", help="RUN/last.pt, or RUN/last.pt@OFFSET")
    parser.add_argument(
        "-o", "--output", type=Path, default=Path("docs/images/gan-validation-curve.png")
    )
    args = parser.parse_args()
    fig, axes = plt.subplots(2, 2, figsize=(9, 6), sharex=True)
    for spec in args.checkpoints:
        path, _, offset = spec.partition("@")
        checkpoint, start = Path(path), int(offset or 0)
        cfg, history, baseline, best = load_run(checkpoint)
        name = checkpoint.parent.name
        print(f"{name}: {cfg['val_count']} validation crops of {cfg['size']}x{cfg['size']}")
        print("| | " + " | ".join(title for _, title in PANELS) + " |")
        print("|---" * (len(PANELS) + 1) + "|")
        print("| Telea | " + " | ".join(f"{baseline[k]:.3f}" for k, _ in PANELS) + " |")
        for h in history:
            mark = " (best)" if h["step"] == best.get("step") else ""
            cells = " | ".join(f"{h[k]:.3f}" for k, _ in PANELS)
            print(f"| step {h['step']}{mark} | {cells} |")
        steps = [start + h["step"] for h in history]
        for ax, (key, _) in zip(axes.flat, PANELS, strict=True):
            (line,) = ax.plot(steps, [h[key] for h in history], marker="o", markersize=3)
            line.set_label(name)
            if best:
                ax.plot(
                    [start + best["step"]],
                    [best[key]],
                    marker="*",
                    markersize=10,
                    color=line.get_color(),
                )
    for ax, (key, title) in zip(axes.flat, PANELS, strict=True):
        ax.axhline(baseline[key], linestyle="--", color="grey", label="OpenCV Telea (radius 5)")
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=8)
    for ax in axes[1]:
        ax.set_xlabel("training step (★: kept as best)")
    fig.suptitle(f"{cfg['val_count']} validation photos, {cfg['size']} px crops, 1-60% masks")
    fig.tight_layout()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
