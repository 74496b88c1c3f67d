"""Our own exemplar-based hole completion: multi-scale PatchMatch and EM voting, numba-compiled."""

from amethyst.synthesis.completion import complete

__all__ = ["complete"]
