"""Measure the GAN's cost per 512x512 fill: multiply-adds of its convolutions (PyTorch forward
hooks) and the milliseconds of the shipped ONNX file through ONNX Runtime on this CPU.

Usage: python scripts/gan_model_cost.py [--model amethyst/models/amethyst-gan.onnx] [--runs 30]
Needs the [train] extra (PyTorch) for the FLOP count.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import onnxruntime as ort
import torch

from amethyst.bench.model_speed import MODEL_SIZE, model_inputs, time_model
from amethyst.engines.gan import MODEL_PATH
from amethyst.training.model import Generator


def conv_macs(generator: Generator) -> int:
    """Multiply-adds of every convolution in one 512x512 forward pass."""
    total = 0

    def count(module: torch.nn.Conv2d, _inputs: tuple, output: torch.Tensor) -> None:
        nonlocal total
        per_output = module.in_channels // module.groups * module.kernel_size[0]
        total += output.numel() * per_output * module.kernel_size[1]

    hooks = [
        m.register_forward_hook(count)
        for m in generator.modules()
        if isinstance(m, torch.nn.Conv2d)
    ]
    with torch.no_grad():
        feed = {k: torch.from_numpy(v) for k, v in model_inputs().items()}
        generator(feed["image"], feed["mask"])
    for hook in hooks:
        hook.remove()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    generator = Generator().eval()
    params = sum(p.numel() for p in generator.parameters())
    macs = conv_macs(generator)
    speed = time_model(args.model, runs=args.runs)
    print(f"generator parameters: {params:,}")
    print(
        f"{MODEL_SIZE}x{MODEL_SIZE}: {macs / 1e9:.2f} G multiply-adds = "
        f"{2 * macs / 1e9:.1f} GFLOPs (convolutions)"
    )
    print(f"ONNX file: {args.model.stat().st_size / 1e6:.1f} MB")
    print(
        f"ONNX Runtime {ort.__version__}, {MODEL_SIZE}x{MODEL_SIZE}, {speed.runs} runs: "
        f"median {speed.median_ms:.1f} ms, fastest {speed.min_ms:.1f} ms, "
        f"slowest {speed.max_ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
