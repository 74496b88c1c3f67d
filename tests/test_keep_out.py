"""``keep_out``: pixels the fill copies nothing from, so a neighbour is not drawn into the hole."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import amethyst
from amethyst.errors import InvalidMask
from tests.test_patchmatch_rows import seaside


def _post_beside_hole() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The seaside scene with a white post (a person left standing) right beside a hole (the
    person removed): PatchMatch's best matches along the hole's left edge are the post's own
    edge, so without help the post runs on into the hole."""
    rgb, _ = seaside()
    post = np.zeros(rgb.shape[:2], bool)
    post[40:175, 70:110] = True
    noise = np.random.default_rng(1).normal(0, 8, (int(post.sum()), 3))
    rgb[post] = np.clip(np.array([235, 230, 220]) + noise, 0, 255).astype(np.uint8)
    hole = np.zeros(post.shape, bool)
    hole[30:182, 110:175] = True
    return rgb, hole, post


def _post_white(out: np.ndarray, hole: np.ndarray) -> float:
    """Share of the hole's pixels as light as the post (nothing else in the scene is)."""
    return float((np.asarray(out)[hole].mean(axis=1) > 200).mean())


@pytest.mark.parametrize("engine", ["auto", "patchmatch", "telea", "gan"])
def test_a_kept_out_neighbour_is_not_drawn_into_the_hole(engine):
    rgb, hole, post = _post_beside_hole()
    assert _post_white(amethyst.inpaint(rgb, hole, engine=engine), hole) > 0.1
    out = amethyst.inpaint(rgb, hole, engine=engine, keep_out=post)
    assert _post_white(out, hole) < 0.01
    assert (out[~hole] == rgb[~hole]).all()  # the kept-out post itself is left as it is


def test_a_shrunk_crop_takes_no_detail_from_the_kept_out_pixels():
    """A crop larger than the working size is filled shrunk, then each pixel's source is found
    again at full resolution (``detail_lift``): that search must skip the kept-out pixels too."""
    rgb, hole, post = _post_beside_hole()
    big = cv2.resize(rgb, None, fx=4, fy=4, interpolation=cv2.INTER_CUBIC)

    def scaled(mask: np.ndarray) -> np.ndarray:
        grown = cv2.resize(mask.view(np.uint8), None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST)
        return grown > 0

    big_hole, big_post = scaled(hole), scaled(post)
    assert _post_white(amethyst.inpaint(big, big_hole), big_hole) > 0.1
    out = amethyst.inpaint(big, big_hole, keep_out=big_post)
    assert _post_white(out, big_hole) < 0.02
    assert (out[~big_hole] == big[~big_hole]).all()


def test_keep_out_is_checked_like_the_mask():
    rgb, hole, post = _post_beside_hole()
    with pytest.raises(InvalidMask, match="keep_out is"):
        amethyst.inpaint(rgb, hole, keep_out=post[:-1])
    with pytest.raises(InvalidMask, match="nothing is left"):
        amethyst.inpaint(rgb, hole, keep_out=~hole)
    # Where the two overlap the mask wins, and an empty keep_out changes nothing.
    overlapping = post | hole
    out = amethyst.inpaint(rgb, hole, engine="telea", keep_out=overlapping)
    assert (out[~hole] == rgb[~hole]).all() and (out[hole] != rgb[hole]).any()
    plain = amethyst.inpaint(rgb, hole, engine="telea")
    empty = amethyst.inpaint(rgb, hole, engine="telea", keep_out=np.zeros_like(hole))
    assert (plain == empty).all()


def test_a_thin_hole_filled_in_tiles_keeps_out_the_band_it_crosses():
    """A wire across a large photo is filled in tiles near full resolution (``tiles``): each
    tile keeps its part of ``keep_out`` out as well."""
    rng = np.random.default_rng(0)
    photo = np.clip(rng.normal(120, 20, (1500, 3000, 3)), 0, 255).astype(np.uint8)
    band = np.zeros(photo.shape[:2], bool)
    band[700:830] = True  # a red band the wire runs through
    photo[band] = (220, 30, 30)
    wire = np.zeros(photo.shape[:2], np.uint8)
    cv2.line(wire, (0, 765), (2999, 765), 1, 6)
    wire = wire.astype(bool)

    def red_share(out: np.ndarray) -> float:
        pixels = np.asarray(out)[wire].astype(int)
        return float((pixels[:, 0] - pixels[:, 1] > 100).mean())

    assert red_share(amethyst.inpaint(photo, wire)) > 0.9
    out = amethyst.inpaint(photo, wire, keep_out=band)
    assert red_share(out) < 0.01
    assert (out[~wire] == photo[~wire]).all()


@pytest.mark.parametrize("engine", ["auto", "telea"])
def test_keeping_out_all_the_photo_around_the_hole_is_a_clear_error(engine):
    """The fill copies from a crop around the hole; with all of it kept out it would be black."""
    rgb, hole, _ = _post_beside_hole()
    everything_near = np.zeros_like(hole)
    everything_near[:, 20:] = True  # only a strip at the far left is left, outside the crop
    with pytest.raises(InvalidMask, match="nothing is left to fill it from"):
        amethyst.inpaint(rgb, hole, engine=engine, keep_out=everything_near)
