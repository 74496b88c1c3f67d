"""match_tone: a fill copied from a darker part of the photo takes the tone around the hole,
and a fill that already fits keeps its tones, its copied things and its texture."""

import cv2
import numpy as np

from amethyst.imaging.tone import match_tone


def _ellipse(height: int, width: int) -> np.ndarray:
    rows, cols = np.mgrid[:height, :width]
    return ((cols - width / 2) / (width / 4)) ** 2 + ((rows - height / 2) / (height / 4)) ** 2 <= 1


def _sky(height: int = 240, width: int = 320, seed: int = 0, lit: float = 40) -> np.ndarray:
    """A blue sky lit from the left: ``lit`` grey levels brighter there than at the right
    edge, with a little grain."""
    ramp = np.linspace(lit, 0.0, width)[None, :, None]
    blue = np.array([60.0, 80.0, 140.0])
    grain = np.random.default_rng(seed).normal(0, 2, (height, width, 3))
    return np.clip(blue + ramp + grain, 0, 255).astype(np.uint8)


def _low(image: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(image.astype(np.float32), (0, 0), 6)


def test_a_fill_copied_from_the_darker_edge_takes_the_tone_around_the_hole() -> None:
    truth, mask = _sky(), _ellipse(240, 320)
    drifted = truth.copy()
    drifted[mask] = _sky(seed=1, lit=0)[mask]  # the right edge's sky, copied along the rows
    fixed = match_tone(truth, mask, drifted)
    before = np.abs(_low(drifted) - _low(truth))[mask].mean()
    after = np.abs(_low(fixed) - _low(truth))[mask].mean()
    assert before > 10
    assert after < before / 2
    assert np.array_equal(fixed[~mask], truth[~mask])


def test_a_fill_that_fits_keeps_its_horizon_its_copied_things_and_its_texture() -> None:
    truth = _sky()
    truth[120:] = np.clip(truth[120:].astype(int) - [40, 10, -20], 0, 255)  # sea below a horizon
    truth[100:130, 150:180] = (200, 40, 30)  # a red buoy, unlike anything on the hole's border
    mask = _ellipse(240, 320)
    fixed = match_tone(truth, mask, truth)
    moved = fixed.astype(float) - truth
    assert np.abs(moved[mask]).mean() < 1.0
    assert np.abs(moved[100:130, 150:180]).mean() < 2.0
    # Whatever moved, moved smoothly: the shift carries no fine detail of its own.
    assert np.abs(moved - cv2.GaussianBlur(moved, (0, 0), 3))[mask].mean() < 0.5


def test_an_empty_hole_or_one_with_no_border_is_left_alone() -> None:
    sky = _sky()
    assert np.array_equal(match_tone(sky, np.zeros(sky.shape[:2], bool), sky), sky)
    everything = np.ones(sky.shape[:2], bool)
    assert np.array_equal(match_tone(sky, everything, sky), sky)


def test_a_fill_that_meets_the_photo_at_its_edge_gets_no_step_there() -> None:
    # A 12 MP-like hole, 960 px wide: the fill's first pixels already match the photo (the
    # pipeline carries the photo's texture across the edge), deeper in it is darker.
    truth = _sky(800, 1200, lit=60)
    mask = _ellipse(800, 1200)
    depth = cv2.distanceTransform(mask.view(np.uint8), cv2.DIST_L2, 3)
    drifted = truth.astype(float) - np.clip(depth / 8, 0, 1)[..., None] * 12
    drifted = np.clip(drifted, 0, 255).astype(np.uint8)
    fixed = match_tone(truth, mask, drifted)
    moved = (fixed.astype(float) - drifted).mean(2)
    edge = (depth > 0) & (depth <= 2)
    assert moved[depth > 60].mean() > 6  # deep inside, the darkening is mostly undone
    assert np.abs(moved[edge]).mean() < 1.5  # on the edge, nothing is added
