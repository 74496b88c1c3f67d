"""Exemplar-based filling with PatchMatch (Barnes et al. 2009) through ``pypatchmatch``.

It copies real texture from around the hole, so fills keep grain that smoothing methods lose.
"""

from __future__ import annotations

import numpy as np

from amethyst.engines import register
from amethyst.engines.base import Engine


@register
class PatchMatchEngine(Engine):
    name = "patchmatch"
    description = "PatchMatch (Barnes 2009) via pypatchmatch: copies texture from around the hole"
    working_size = 768
    patch_size = 5

    @classmethod
    def is_available(cls) -> bool:
        try:
            from patchmatch import patch_match
        except ImportError:
            return False
        return bool(patch_match.patchmatch_available)

    def fill(self, rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
        from patchmatch import patch_match

        return patch_match.inpaint(
            np.ascontiguousarray(rgb), mask.astype(np.uint8) * 255, patch_size=self.patch_size
        )
