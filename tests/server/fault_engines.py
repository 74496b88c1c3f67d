"""Engines that misbehave on purpose, loaded only by tests via ``amethyst serve --plugin``.

``test-slow`` logs when it starts, sleeps ``AMETHYST_TEST_SLOW_S`` seconds (default 1) and
then fills like Telea; ``test-raising`` always raises; ``test-slow-loading`` takes
``AMETHYST_TEST_LOAD_S`` seconds (default 0) to load, like a large model. Users never see
them: nothing imports this module unless a test asks for it.
"""

from __future__ import annotations

import logging
import os
import time

import cv2
import numpy as np

from amethyst.engines import register
from amethyst.engines.base import Engine

log = logging.getLogger("amethyst.tests.fault_engines")


@register
class SlowEngine(Engine):
    name = "test-slow"
    description = "test only: sleeps, then fills like telea"

    def fill(self, rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
        log.info("slow fill started")
        time.sleep(float(os.environ.get("AMETHYST_TEST_SLOW_S", "1")))
        return cv2.inpaint(rgb, mask.astype(np.uint8) * 255, 3, cv2.INPAINT_TELEA)


@register
class RaisingEngine(Engine):
    name = "test-raising"
    description = "test only: always raises"

    def fill(self, rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
        raise RuntimeError("deliberate failure of the test-raising engine")


@register
class SlowLoadingEngine(Engine):
    name = "test-slow-loading"
    description = "test only: slow to load, then fills like telea"

    def __init__(self) -> None:
        time.sleep(float(os.environ.get("AMETHYST_TEST_LOAD_S", "0")))

    def fill(self, rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return cv2.inpaint(rgb, mask.astype(np.uint8) * 255, 3, cv2.INPAINT_TELEA)
