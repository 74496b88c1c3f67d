"""One GAN training burst on a lent GPU: several recipes at once, each fitted to a time budget.

A session is lent at most 15 minutes of GPU time, start-up included, so this script trains every
recipe below in parallel on the one GPU (each in its own process, with its own batch workers),
for a fixed wall-clock budget. Each recipe first trains a few hundred steps to measure its speed,
then sets its run's length (and so its learning-rate schedule) to what the remaining budget
allows. What comes back is one tar per recipe, small enough for the device tool's 16 MiB per
file: the generator of the best and the last validated step (loadable by ``amethyst export``),
the validation history, the grids of validation fills and the log.

    python scripts/pack_training_photos.py ../shared/data/photos .pack/photos   # here
    python scripts/gpu_training_burst.py --data .pack/photos --out "$OUT" --seconds 500  # there
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from PIL import Image

SHIPPED = "checkpoints/amethyst-gan-stage2-step9000.pt"

#: Each recipe's TrainConfig settings beyond the common ones in ``_config``.
RECIPES: dict[str, dict] = {
    # The shipped model's own recipe (reconstruction, adversarial 0.001), trained far longer.
    "rec": dict(lr=5e-4, adv_weight=0.001, fm_weight=0.0, discount=1.0, warmup_steps=0,
                adv_ramp_steps=500),
    # Texture: LaMa-like adversarial and feature-matching terms with contextual attention
    # (the CPU runs' best line, gan10), at many times their steps.
    "tex": dict(lr=2e-4, adv_weight=0.1, fm_weight=30.0, discount=0.97, warmup_steps=300,
                adv_ramp_steps=1000, attention=True),
    # The same without attention (run gan5's recipe), which keeps the engine's speed.
    "tex_plain": dict(lr=2e-4, adv_weight=0.1, fm_weight=30.0, discount=0.97, warmup_steps=300,
                      adv_ramp_steps=1000),
}  # fmt: skip


def _config(name: str, data: str, out: Path, size: int, batch: int, workers: int):  # noqa: ANN202
    from amethyst.training.train import TrainConfig

    return TrainConfig(
        data=data, out=str(out / name), steps=1_000_000, size=size, batch=batch, lr_d=2e-4,
        ckpt_every=10_000_000, keep_every=0, val_every=10_000_000, workers=workers,
        init=SHIPPED, **RECIPES[name],
    )  # fmt: skip


def train_recipe(args: argparse.Namespace) -> None:
    """Train one recipe until ``args.end`` (a ``time.time()``), then pack its results."""
    import torch

    from amethyst.training.train import Trainer

    torch.backends.cudnn.benchmark = True  # fixed crop sizes: let cuDNN pick its fastest kernels
    runs = Path(args.runs)
    cfg = _config(args.recipe, args.data, runs, args.size, args.batch, args.workers)
    trainer = Trainer(cfg)
    print(f"{args.recipe}: device {trainer.device}, {len(trainer.data.images)} photos", flush=True)
    trainer.run(until=args.calibrate)  # includes the step-0 validation
    started = time.time()
    trainer.run(until=2 * args.calibrate)
    rate = args.calibrate / (time.time() - started)
    left = args.end - time.time()
    cfg.steps = trainer.step + max(int(rate * left * 0.9), args.calibrate)  # validations cost too
    cfg.val_every = max(100, (cfg.steps // args.validations) // 100 * 100)
    print(f"{args.recipe}: {rate:.1f} steps/s, running to step {cfg.steps}", flush=True)
    # In chunks of one validation each, so that a slower stretch ends the run early, validated.
    while trainer.step < cfg.steps and time.time() + cfg.val_every / rate < args.end:
        trainer.run(until=trainer.step + cfg.val_every)
    if trainer.history[-1]["step"] != trainer.step:
        trainer.record_validation()
    _pack(trainer, runs / args.recipe, Path(args.out) / f"{args.recipe}.tar")


def _pack(trainer, run: Path, tar_path: Path) -> None:  # noqa: ANN001 (a training.Trainer)
    """Write the generator-only checkpoints and the history, and tar them with the grids of the
    first, best and last validations."""
    import torch

    for name, source in (("g_last.pt", None), ("g_best.pt", run / "best.pt")):
        state = trainer.state() if source is None else torch.load(source, weights_only=False)
        keep = ("config", "step", "history", "best", "telea")
        generator = {k: v.cpu() for k, v in state["generator"].items()}  # loadable without CUDA
        torch.save({"generator": generator, **{k: state[k] for k in keep}}, run / name)
    (run / "history.json").write_text(json.dumps(trainer.history, indent=1))
    grids = []
    for step in sorted({trainer.history[0]["step"], trainer.best["step"], trainer.step}):
        grid = run / "grids" / f"step_{step:07d}.png"  # as JPEG: three PNGs would not fit
        grids.append(grid.with_suffix(".jpg"))
        Image.open(grid).save(grids[-1], quality=92)
    with tarfile.open(tar_path, "w") as tar:
        for path in [run / "g_last.pt", run / "g_best.pt", run / "history.json", *grids]:
            tar.add(path, arcname=str(path.relative_to(run.parent)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", default="/tmp/burst-runs", help="where the runs train")
    parser.add_argument("--seconds", type=float, default=500, help="wall-clock budget, all in")
    parser.add_argument("--recipes", default=",".join(RECIPES))
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4, help="batch workers per recipe")
    parser.add_argument("--calibrate", type=int, default=200, help="steps to time the speed")
    parser.add_argument("--validations", type=int, default=10)
    parser.add_argument("--recipe", help=argparse.SUPPRESS)
    parser.add_argument("--end", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.recipe:
        train_recipe(args)
        return
    end = time.time() + args.seconds - 25  # leave time to pack and copy back
    Path(args.out).mkdir(parents=True, exist_ok=True)
    children = {}
    for name in args.recipes.split(","):
        log = open(Path(args.out) / f"{name}.log", "w")  # noqa: SIM115 (open while it runs)
        command = [sys.executable, __file__, *sys.argv[1:], "--recipe", name, "--end", str(end)]
        children[name] = (subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), log)
    for name, (child, log) in children.items():
        code = child.wait()
        log.close()
        print(f"{name}: exit {code}")
        tar = Path(args.out) / f"{name}.tar"
        if tar.exists():
            with tarfile.open(tar) as t:
                history = json.loads(t.extractfile(f"{name}/history.json").read())
            for row in history:
                print(name, {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()
                             if k != "time"})  # fmt: skip


if __name__ == "__main__":
    main()
