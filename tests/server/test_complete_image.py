"""``POST /complete-image``: the original client's contract, on a real server."""

from __future__ import annotations

import base64

import httpx
import numpy as np

from tests.server.payloads import (
    b64,
    disc_mask_png,
    encode,
    near,
    real_photo,
    unb64_image,
    with_magenta_strokes,
)


def test_magenta_strokes_are_removed_and_other_pixels_stay_bit_exact(live_server: str) -> None:
    painted, stroke = with_magenta_strokes(real_photo((320, 240)))
    reply = httpx.post(f"{live_server}/complete-image", json={"img": b64(encode(painted))})
    assert reply.status_code == 200
    assert list(reply.json()) == ["predict"]
    result = unb64_image(reply.json()["predict"])
    assert (result.format, result.size, result.mode) == ("PNG", (320, 240), "RGB")
    before, after = np.asarray(painted), np.asarray(result)
    away = ~near(stroke, 8)
    assert np.array_equal(after[away], before[away])
    magenta = (after[stroke] == (255, 0, 255)).all(axis=1)
    assert not magenta.any(), "the stroke is still in the result"


def test_jpeg_input_answers_jpeg_with_blocks_away_from_strokes_unchanged(live_server: str) -> None:
    painted, stroke = with_magenta_strokes(real_photo((300, 200)))
    jpeg = encode(painted, "JPEG", quality=95)
    reply = httpx.post(f"{live_server}/complete-image", json={"img": b64(jpeg)})
    assert reply.status_code == 200
    result = unb64_image(reply.json()["predict"])
    assert (result.format, result.size) == ("JPEG", (300, 200))
    before = np.asarray(unb64_image(b64(jpeg)).convert("RGB"))
    after = np.asarray(result.convert("RGB"))
    away = ~near(stroke, 32)  # beyond the 16 px chroma blocks the stroke's pixels touch
    assert np.array_equal(after[away], before[away])
    assert np.abs(after[stroke].astype(int) - (255, 0, 255)).max(axis=1).min() > 60


def test_explicit_mask_replaces_stroke_detection(live_server: str) -> None:
    image = real_photo((200, 160))
    mask = disc_mask_png((200, 160), (100, 80), 20)
    reply = httpx.post(
        f"{live_server}/complete-image", json={"img": b64(encode(image)), "mask": b64(mask)}
    )
    assert reply.status_code == 200
    result = np.asarray(unb64_image(reply.json()["predict"]))
    changed = (result != np.asarray(image)).any(axis=2)
    assert changed.any()
    hole = np.asarray(unb64_image(b64(mask))) > 0
    assert not changed[~hole].any()


def test_data_url_prefix_and_wrapped_base64_are_accepted(live_server: str) -> None:
    painted, _ = with_magenta_strokes(real_photo((160, 120)))
    text = base64.encodebytes(encode(painted)).decode()  # 76-column lines, like Android's
    reply = httpx.post(
        f"{live_server}/complete-image", json={"img": "data:image/png;base64," + text}
    )
    assert reply.status_code == 200
    assert unb64_image(reply.json()["predict"]).size == (160, 120)


def test_strokes_blurred_by_jpeg_leave_no_pink_fringe(live_server: str) -> None:
    # Issue 13: ~15 px anti-aliased strokes that went through JPEG left a pink outline once
    # filled. Sent as PNG so the answer is the fill itself, with no second JPEG generation.
    import cv2
    from PIL import Image

    from tests.test_strokes import brush_strokes, jpeg, magenta_lean, textured_photo

    clean = textured_photo()
    coverage = brush_strokes(clean.shape, 15, seed=15)
    alpha = coverage[..., None] / 255.0
    painted = np.rint(clean * (1 - alpha) + np.array([255, 0, 255]) * alpha).astype(np.uint8)
    sent = encode(Image.fromarray(jpeg(painted, 75)))
    reply = httpx.post(f"{live_server}/complete-image", json={"img": b64(sent)}, timeout=60)
    assert reply.status_code == 200
    result = np.asarray(unb64_image(reply.json()["predict"]))
    outside = cv2.distanceTransform((coverage == 0).astype(np.uint8), cv2.DIST_L2, 5)
    band = (outside >= 2) & (outside <= 8)
    excess = (magenta_lean(result) - magenta_lean(jpeg(clean, 75)))[band]
    assert (excess > 12).mean() <= 0.002 and excess.max() <= 30
