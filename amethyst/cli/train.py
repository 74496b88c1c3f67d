"""``amethyst train`` and ``amethyst export``: train the GAN and ship it as ONNX.

PyTorch is imported inside the commands only, so the CLI works without the ``[train]`` extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amethyst.evaluation.split import DEFAULT_DATA


def _require_torch() -> None:
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        typer.echo("error: training needs PyTorch: pip install 'amethyst[train]'", err=True)
        raise typer.Exit(code=1) from exc


def train_command(
    data: Annotated[
        Path, typer.Option(help="Folder of photos (its validation split is left out).")
    ] = DEFAULT_DATA,
    out: Annotated[Path, typer.Option(help="Run folder: checkpoints and TensorBoard logs.")] = Path(
        "runs/gan"
    ),
    steps: Annotated[int, typer.Option(min=1, help="Train until this step.")] = 100_000,
    size: Annotated[int, typer.Option(min=32, help="Square crop side (multiple of 16).")] = 256,
    batch: Annotated[int, typer.Option(min=1, help="Crops per step and process.")] = 8,
    seed: Annotated[int, typer.Option(help="Seed of weights, crops and masks.")] = 0,
    width: Annotated[
        float, typer.Option(help="Generator width factor on VGG's 64-128-256-512.")
    ] = 0.25,
    attention: Annotated[
        bool, typer.Option(help="Contextual attention: copy known features into the hole.")
    ] = False,
    lr: Annotated[float, typer.Option(help="Generator learning rate (cosine-decayed).")] = 1e-3,
    warmup_steps: Annotated[
        int, typer.Option(help="Reconstruction-only steps before the GAN loss.")
    ] = 3000,
    lr_d: Annotated[
        float, typer.Option(help="Discriminator learning rate (cosine-decayed).")
    ] = 2e-4,
    rec_weight: Annotated[
        float, typer.Option(help="Weight of the hole L1 + image-gradient L1.")
    ] = 1.0,
    adv_weight: Annotated[float, typer.Option(help="Adversarial weight after warm-up.")] = 0.1,
    fm_weight: Annotated[
        float, typer.Option(help="Discriminator feature-matching weight after warm-up.")
    ] = 30.0,
    discount: Annotated[
        float,
        typer.Option(
            min=0.5, max=1.0, help="Spatial discount of the reconstruction loss (1: off)."
        ),
    ] = 0.97,
    adv_ramp_steps: Annotated[
        int, typer.Option(min=1, help="Steps over which the GAN terms ramp up after warm-up.")
    ] = 2000,
    ckpt_every: Annotated[int, typer.Option(min=1, help="Checkpoint every N steps.")] = 500,
    val_every: Annotated[int, typer.Option(min=0, help="Validate every N steps (0: never).")] = 500,
    max_photos: Annotated[
        int, typer.Option(min=0, help="Use only the first N training photos (0: all).")
    ] = 0,
    workers: Annotated[
        int, typer.Option(min=0, help="Processes drawing batches ahead (0: none; use on a GPU).")
    ] = 0,
    bf16: Annotated[
        bool, typer.Option(help="bfloat16 autocast (6x slower than float32 on our CPU).")
    ] = False,
    resume: Annotated[bool, typer.Option(help="Continue from OUT/last.pt.")] = False,
    init: Annotated[
        Path | None,
        typer.Option(help="Fine-tune: start the weights from this checkpoint (matching layers)."),
    ] = None,
) -> None:
    """Train the Amethyst GAN (runs under torchrun for several processes)."""
    _require_torch()
    from amethyst.training.train import TrainConfig, train

    if size % 16:
        typer.echo("error: --size must be a multiple of 16", err=True)
        raise typer.Exit(code=1)
    if init is not None and not init.is_file():
        typer.echo(f"error: no checkpoint at {init}", err=True)
        raise typer.Exit(code=1)
    if not data.is_dir():
        typer.echo(f"error: no photo folder at {data}", err=True)
        raise typer.Exit(code=1)
    cfg = TrainConfig(
        data=str(data),
        out=str(out),
        steps=steps,
        size=size,
        batch=batch,
        seed=seed,
        width=width,
        attention=attention,
        lr=lr,
        warmup_steps=warmup_steps,
        lr_d=lr_d,
        rec_weight=rec_weight,
        adv_weight=adv_weight,
        fm_weight=fm_weight,
        adv_ramp_steps=adv_ramp_steps,
        discount=discount,
        ckpt_every=ckpt_every,
        val_every=val_every,
        max_photos=max_photos,
        workers=workers,
        bf16=bf16,
        init=str(init) if init else "",
    )
    train(cfg, resume=resume)


def export_command(
    checkpoint: Annotated[Path, typer.Argument(help="A checkpoint written by amethyst train.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="ONNX file to write.")] = Path(
        "model.onnx"
    ),
) -> None:
    """Export a checkpoint's generator to ONNX and report its difference from PyTorch."""
    _require_torch()
    from amethyst.training.export import export_onnx

    if not checkpoint.is_file():
        typer.echo(f"error: no checkpoint at {checkpoint}", err=True)
        raise typer.Exit(code=1)
    diff = export_onnx(checkpoint, output)
    typer.echo(
        f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB); max abs diff vs PyTorch {diff:.2e}"
    )


def register(app: typer.Typer) -> None:
    """Add ``train`` and ``export`` to the ``amethyst`` command."""
    app.command("train")(train_command)
    app.command("export")(export_command)
