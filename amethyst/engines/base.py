"""The one small interface every engine implements: fill an RGB array's hole at working size."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np


class Engine(ABC):
    """Fills the hole of an RGB crop. The pipeline decides what to crop and at what size.

    Subclasses set ``name`` and ``description``, may lower ``working_size`` (the longest side
    they fill at; larger crops are downscaled first) and set ``pad_multiple`` when their input
    must be a multiple of some stride (the pipeline pads by reflection). Engines whose fills are
    copied from the photo (exemplar methods) set ``copies_photo``: when their fill was made on
    a downscaled crop, the pipeline finds each pixel's source again and restores its detail at
    full resolution (``imaging.detail_lift``).

    ``variants`` is how many different fills the engine gives one crop: the pipeline's variant
    ``v`` runs it on the crop mirrored (``v`` = 1), upside down (2) or both (3) and flips the
    fill back (``imaging.flips``). Engines whose fill merely flips with the crop keep 1; a
    network that knows which way is up stops at 2.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    working_size: ClassVar[int] = 1024
    pad_multiple: ClassVar[int] = 1
    copies_photo: ClassVar[bool] = False
    variants: ClassVar[int] = 1

    @classmethod
    def is_available(cls) -> bool:
        """Whether what this engine needs (a package, a model file) is installed."""
        return True

    @abstractmethod
    def fill(self, rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Return a copy of ``rgb`` (HxWx3 uint8) with the pixels where ``mask`` (HxW bool) is
        True filled in; other pixels may be anything, the pipeline keeps the originals."""

    def fill_keeping_out(
        self, rgb: np.ndarray, mask: np.ndarray, keep_out: np.ndarray
    ) -> np.ndarray:
        """``fill`` with the ``keep_out`` pixels (HxW bool, outside ``mask``) hidden from the
        engine: nothing of them reaches the fill. By default they are filled along with the hole
        and dropped (the pipeline pastes back only ``mask``); exemplar engines that can leave
        pixels out of their search override this."""
        return self.fill(rgb, mask | keep_out)

    def read_full_size(self, photo: np.ndarray, mask: np.ndarray) -> object:
        """What ``finish_full_size`` needs from the full-resolution crop ``photo`` alone (never
        its ``mask`` pixels): the pipeline works it out on another core while the engine fills.
        Nothing by default."""
        return None

    def finish_full_size(
        self, photo: np.ndarray, mask: np.ndarray, filled: np.ndarray, read: object = None
    ) -> np.ndarray:
        """A last step on a fill made on a shrunk crop, once it is back at full resolution:
        ``filled`` is the crop of ``photo`` with its ``mask`` filled (the pipeline keeps the
        photo's pixels outside it), ``read`` what ``read_full_size`` returned. None by default."""
        return filled
