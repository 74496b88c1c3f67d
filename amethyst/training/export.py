"""Export a trained generator to ONNX (dynamic size) and check it against PyTorch."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

from amethyst.training.model import Generator


class OnnxGenerator(nn.Module):
    """The generator with the engine's conventions: RGB and mask in [0, 1], RGB out in [0, 1]."""

    def __init__(self, generator: Generator) -> None:
        super().__init__()
        self.generator = generator

    def forward(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return (self.generator(image * 2 - 1, mask) + 1) / 2


def load_generator(checkpoint: str | Path) -> Generator:
    """The generator of a training checkpoint, in eval mode on the CPU."""
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    config = state["config"]
    generator = Generator(width=config["width"], attention=config.get("attention", False))
    generator.load_state_dict(state["generator"])
    return generator.eval()


def export_onnx(checkpoint: str | Path, output: str | Path, *, check_size: int = 256) -> float:
    """Write the checkpoint's generator to ``output`` as ONNX with dynamic batch, height and
    width; return the max abs difference from PyTorch on a random photo-like input."""
    generator = load_generator(checkpoint)
    model = OnnxGenerator(generator).eval()
    stride = Generator.stride
    dummy = (torch.rand(1, 3, 2 * stride, 2 * stride), torch.zeros(1, 1, 2 * stride, 2 * stride))
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # The TorchScript exporter is deprecated in favour of dynamo, which needs onnxscript.
        warnings.simplefilter("ignore", DeprecationWarning)
        # The blur's replicate padding exports through a Slice that cannot be constant-folded.
        warnings.filterwarnings("ignore", message="Constant folding", category=UserWarning)
        torch.onnx.export(
            model,
            dummy,
            str(output),
            input_names=["image", "mask"],
            output_names=["output"],
            dynamic_axes={
                "image": {0: "batch", 2: "height", 3: "width"},
                "mask": {0: "batch", 2: "height", 3: "width"},
                "output": {0: "batch", 2: "height", 3: "width"},
            },
            opset_version=17,
            dynamo=False,
        )
    return parity(model, output, check_size)


def parity(model: nn.Module, onnx_path: str | Path, size: int) -> float:
    """Max abs difference between PyTorch and ONNX Runtime outputs at a non-square size."""
    import onnxruntime as ort

    rng = np.random.default_rng(0)
    h, w = size, size + 2 * Generator.stride
    image = rng.random((1, 3, h, w), dtype=np.float32)
    mask = np.zeros((1, 1, h, w), np.float32)
    mask[..., h // 4 : h // 2, w // 3 : w // 2] = 1
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    (ours,) = session.run(None, {"image": image, "mask": mask})
    with torch.no_grad():
        theirs = model(torch.from_numpy(image), torch.from_numpy(mask)).numpy()
    return float(np.abs(ours - theirs).max())
