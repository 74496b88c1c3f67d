"""``keep_out`` on ``/api/v1/inpaint``: a mask of what the fill copies nothing from, on a real
server, in JSON and in a form, for PNG photos and for JPEGs edited block-wise."""

from __future__ import annotations

import io

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.server.payloads import b64, encode, unb64_image
from tests.test_keep_out import _post_beside_hole, _post_white

RGB, HOLE, POST = _post_beside_hole()


def _png(mask: np.ndarray) -> bytes:
    return encode(Image.fromarray(mask.astype(np.uint8) * 255))


def _json(server: str, **extra: str) -> httpx.Response:
    body = {"image": b64(encode(Image.fromarray(RGB))), "mask": b64(_png(HOLE)), **extra}
    return httpx.post(f"{server}/api/v1/inpaint", json=body, timeout=60)


def test_json_keep_out_stops_the_neighbour_running_into_the_hole(live_server: str) -> None:
    plain = np.asarray(unb64_image(_json(live_server).json()["image"]))
    reply = _json(live_server, keep_out=b64(_png(POST)))
    assert reply.status_code == 200, reply.text
    kept = np.asarray(unb64_image(reply.json()["image"]))
    assert _post_white(plain, HOLE) > 0.1
    assert _post_white(kept, HOLE) < 0.01
    assert np.array_equal(kept[~HOLE], RGB[~HOLE])


def test_a_form_takes_a_keep_out_file_for_a_jpeg_edited_block_wise(live_server: str) -> None:
    files = {
        "image": ("photo.jpg", encode(Image.fromarray(RGB), "JPEG", quality=95), "image/jpeg"),
        "mask": ("mask.png", _png(HOLE), "image/png"),
        "keep_out": ("keep.png", _png(POST), "image/png"),
    }
    reply = httpx.post(f"{live_server}/api/v1/inpaint", files=files, timeout=60)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "image/jpeg"
    assert _post_white(np.asarray(Image.open(io.BytesIO(reply.content))), HOLE) < 0.02


@pytest.mark.parametrize(
    ("keep_out", "status", "said"),
    [
        (b64(_png(POST[:-8])), 422, "keep_out is"),
        ("not base64!", 400, "keep_out"),
        (b64(b"not an image"), 422, "keep_out cannot be read"),
        (b64(_png(np.pad(np.ones((192, 236), bool), ((0, 0), (20, 0))))), 422, "nothing is left"),
    ],
)
def test_a_bad_keep_out_is_a_clear_error(
    live_server: str, keep_out: str, status: int, said: str
) -> None:
    reply = _json(live_server, keep_out=keep_out)
    assert reply.status_code == status, reply.text
    assert said in reply.json()["error"]


def test_a_form_keep_out_must_be_a_file(live_server: str) -> None:
    files = {
        "image": ("photo.png", encode(Image.fromarray(RGB)), "image/png"),
        "mask": ("mask.png", _png(HOLE), "image/png"),
    }
    reply = httpx.post(
        f"{live_server}/api/v1/inpaint", files=files, data={"keep_out": "x"}, timeout=60
    )
    assert reply.status_code == 400 and "keep_out" in reply.json()["error"]


def test_complete_image_takes_a_keep_out_beside_magenta_strokes(live_server: str) -> None:
    painted = RGB.copy()
    painted[HOLE] = (255, 0, 255)  # the original client's strokes
    body = {"img": b64(encode(Image.fromarray(painted))), "keep_out": b64(_png(POST))}
    reply = httpx.post(f"{live_server}/complete-image", json=body, timeout=60)
    assert reply.status_code == 200, reply.text
    result = np.asarray(unb64_image(reply.json()["predict"]))
    assert _post_white(result, HOLE) < 0.01
