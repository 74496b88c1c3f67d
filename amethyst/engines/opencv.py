"""OpenCV's classical inpainting: Telea's fast marching and the Navier-Stokes method."""

from __future__ import annotations

from typing import ClassVar

import cv2
import numpy as np

from amethyst.engines import register
from amethyst.engines.base import Engine


class _OpenCVEngine(Engine):
    flag: ClassVar[int]
    radius: ClassVar[int] = 5
    working_size = 1024

    def fill(self, rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return cv2.inpaint(rgb, mask.astype(np.uint8) * 255, self.radius, self.flag)


@register
class TeleaEngine(_OpenCVEngine):
    name = "telea"
    description = "OpenCV fast marching (Telea 2004): fastest, smooth fill, fine for thin wires"
    flag = cv2.INPAINT_TELEA


@register
class NavierStokesEngine(_OpenCVEngine):
    name = "ns"
    description = "OpenCV Navier-Stokes (Bertalmio 2001): smooth fill that continues edges inward"
    flag = cv2.INPAINT_NS
