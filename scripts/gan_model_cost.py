"""Measure the GAN's cost per 512x512 fill: multiply-adds of its convolutions (PyTorch forward
hooks) and the milliseconds of the shipped ONNX file through ONNX Runtime on this CPU.

Usage: python scripts/gan_model_cost.py [--model amethyst/models/amethyst-gan.onnx] [--runs 30]
Needs the [train] extra (PyTorch) for the FLOP count.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from amethyst.engines.gan import MODEL_PATH
from amethyst.training.model import Generator

SIZE = 512


def _hole() -> np.ndarray:
    mask = np.zeros((1, 1, SIZE, SIZE), np.float32)
    mask[..., 200:300, 150:350] = 1
    return mask


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
        generator(torch.zeros(1, 3, SIZE, SIZE), torch.from_numpy(_hole()))
    for hook in hooks:
        hook.remove()
    return total


def onnx_milliseconds(model: Path, runs: int) -> list[float]:
    """Wall times of ``runs`` 512x512 fills after 5 warm-up runs, default session options."""
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    feed = {
        "image": np.random.default_rng(0).random((1, 3, SIZE, SIZE), dtype=np.float32),
        "mask": _hole(),
    }
    for _ in range(5):
        session.run(None, feed)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feed)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    generator = Generator().eval()
    params = sum(p.numel() for p in generator.parameters())
    macs = conv_macs(generator)
    times = onnx_milliseconds(args.model, args.runs)
    print(f"generator parameters: {params:,}")
    print(f"512x512: {macs / 1e9:.2f} G multiply-adds = {2 * macs / 1e9:.1f} GFLOPs (convolutions)")
    print(f"ONNX file: {args.model.stat().st_size / 1e6:.1f} MB")
    print(
        f"ONNX Runtime {ort.__version__}, 512x512, {args.runs} runs: "
        f"median {statistics.median(times):.1f} ms, fastest {min(times):.1f} ms, "
        f"slowest {max(times):.1f} ms"
    )


if __name__ == "__main__":
    main()
