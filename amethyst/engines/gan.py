"""The Amethyst GAN: our own inpainting network (amethyst/training), run by ONNX Runtime.

The trained generator ships as ``amethyst/models/amethyst-gan.onnx`` (see its MODEL_CARD.md).
Its fill has the right coarse colours but little grain, so the engine then copies fine detail
from the photo around the hole into it (``imaging.detail_transfer``). This engine never imports
PyTorch; the session is created once, on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from amethyst.engines import register
from amethyst.engines.base import Engine
from amethyst.errors import EngineFailure
from amethyst.imaging.detail_transfer import transfer_detail

if TYPE_CHECKING:
    import onnxruntime as ort

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "amethyst-gan.onnx"


def open_session(model: Path) -> ort.InferenceSession:
    """An ONNX Runtime CPU session for ``model`` with the options the engine runs it with (the
    bench times the network through this too, so its figure is the engine's)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    # Idle worker threads would spin for a while after each run, taking CPU from the decode,
    # the encode and other requests' fills (measured: fill 42 -> 23 ms of CPU at 12 MP).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


@register
class GanEngine(Engine):
    name = "gan"
    description = (
        "Amethyst GAN (our own model via ONNX Runtime): learned fill from the context, "
        "given the grain of the photo around it"
    )
    working_size = 512
    pad_multiple = 16  # the generator's total stride
    variants = 2  # the crop mirrored gives a second fill; upside down it would not look right
    model_path = MODEL_PATH

    def __init__(self) -> None:
        self.session = open_session(self.model_path)

    @classmethod
    def is_available(cls) -> bool:
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            return False
        return cls.model_path.is_file()

    def fill(self, rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return transfer_detail(rgb, mask, self.predict(rgb, mask))

    def predict(self, rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The network's fill alone, before any detail is copied in."""
        height, width = mask.shape
        # The pipeline pads to the stride already; direct callers may not.
        pad_h, pad_w = -height % self.pad_multiple, -width % self.pad_multiple
        if pad_h or pad_w:
            rgb = np.pad(rgb, ((0, pad_h), (0, pad_w), (0, 0)), mode="reflect")
            mask = np.pad(mask, ((0, pad_h), (0, pad_w)), mode="constant")
        image = np.ascontiguousarray(rgb.transpose(2, 0, 1)[None], dtype=np.float32) / 255
        hole = mask[None, None].astype(np.float32)
        try:
            (output,) = self.session.run(None, {"image": image, "mask": hole})
        except Exception as exc:  # ONNX Runtime raises its own exception types
            raise EngineFailure(f"the GAN model failed: {exc}") from exc
        filled = np.clip(output[0].transpose(1, 2, 0) * 255 + 0.5, 0, 255).astype(np.uint8)
        return filled[:height, :width]
