"""PatchMatch's texture, blended into the photo in the gradient domain: ``auto``'s engine.

PatchMatch copies real patches from around the hole, so its fill keeps the photo's grain at full
contrast, but where copied patches meet the photo they leave a step that reads as a seam. Here
the fill's outer ring takes the photo's local colour and that correction fades smoothly inward
(a membrane, as in Poisson blending), so the fill meets the photo without a step and keeps its
texture. Two fills are never averaged: averaging misaligned textures is what made the former
``gan_patchmatch`` look hazy.
"""

from __future__ import annotations

import numpy as np

from amethyst.engines import get_engine, register
from amethyst.engines.base import Engine
from amethyst.engines.patchmatch import PatchMatchEngine
from amethyst.imaging.blending import meet_border


@register
class SeamlessEngine(Engine):
    name = "seamless"
    description = "PatchMatch texture blended in the gradient domain: photo grain, no seam"
    working_size = PatchMatchEngine.working_size

    @classmethod
    def is_available(cls) -> bool:
        return PatchMatchEngine.is_available()

    def fill(self, rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
        patches = get_engine("patchmatch").fill(rgb, mask)
        return meet_border(rgb, mask, patches)
