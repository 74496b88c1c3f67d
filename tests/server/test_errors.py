"""Bad input answers JSON ``{"error": ...}`` with the right 4xx, never a 500 or a hang."""

from __future__ import annotations

import struct
import zlib

import httpx
import pytest

from tests.server.live import LiveServer
from tests.server.payloads import b64, disc_mask_png, encode, multipart, real_photo
from tests.server.raw_http import connect, read_reply, send_head

PHOTO = encode(real_photo((120, 90)))
MASK = disc_mask_png((120, 90), (60, 45), 10)


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height``: a decompression bomb's shape."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    header = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat = b"IDAT" + zlib.compress(b"\0" * 64)
    data = struct.pack(">I", len(idat) - 4) + idat + struct.pack(">I", zlib.crc32(idat))
    return b"\x89PNG\r\n\x1a\n" + header + data


def _assert_error(reply: httpx.Response, status: int, words: str) -> None:
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"] == "application/json"
    message = reply.json()["error"]
    assert words.lower() in message.lower(), message


JSON_CASES = {
    "not_base64": ("/complete-image", {"img": "**not base64**"}, 400, "not valid base64"),
    "not_an_image": ("/complete-image", {"img": b64(b"hello, world")}, 422, "not an image"),
    "truncated_image": ("/complete-image", {"img": b64(PHOTO[: len(PHOTO) // 2])}, 422, "trunc"),
    "no_strokes_no_mask": ("/complete-image", {"img": b64(PHOTO)}, 422, "no strokes"),
    "missing_img": ("/complete-image", {"image": b64(PHOTO)}, 400, "'img'"),
    "mask_wrong_size": (
        "/api/v1/inpaint",
        {"image": b64(PHOTO), "mask": b64(disc_mask_png((90, 120), (40, 40), 9))},
        422,
        "must match",
    ),
    "unknown_engine": (
        "/api/v1/inpaint",
        {"image": b64(PHOTO), "mask": b64(MASK), "engine": "dall-e"},
        422,
        "unknown engine 'dall-e'",
    ),
    "missing_mask": ("/api/v1/inpaint", {"image": b64(PHOTO)}, 400, "'mask'"),
    "extra_field": (
        "/api/v1/inpaint",
        {"image": b64(PHOTO), "mask": b64(MASK), "colour": "red"},
        400,
        "'colour'",
    ),
    "wrong_type": ("/api/v1/inpaint", {"image": 12, "mask": b64(MASK)}, 400, "'image'"),
    "bad_format": (
        "/api/v1/inpaint",
        {"image": b64(PHOTO), "mask": b64(MASK), "format": "gif"},
        400,
        "'format'",
    ),
    "not_an_object": ("/api/v1/inpaint", ["image", "mask"], 400, "JSON object"),
}


@pytest.mark.parametrize("case", list(JSON_CASES))
def test_bad_json_request_gets_a_clear_4xx(live_server: str, case: str) -> None:
    path, body, status, words = JSON_CASES[case]
    _assert_error(httpx.post(f"{live_server}{path}", json=body), status, words)


@pytest.mark.parametrize("path", ["/complete-image", "/api/v1/inpaint"])
def test_malformed_json_is_a_400(live_server: str, path: str) -> None:
    reply = httpx.post(
        f"{live_server}{path}",
        content=b'{"img": "abc',
        headers={"content-type": "application/json"},
    )
    _assert_error(reply, 400, "not valid JSON")


def test_other_content_types_are_a_415(live_server: str) -> None:
    reply = httpx.post(
        f"{live_server}/api/v1/inpaint", content=PHOTO, headers={"content-type": "image/png"}
    )
    _assert_error(reply, 415, "multipart/form-data")


def test_multipart_without_mask_is_a_400(live_server: str) -> None:
    reply = httpx.post(
        f"{live_server}/api/v1/inpaint", files={"image": ("p.png", PHOTO, "image/png")}
    )
    _assert_error(reply, 400, "'mask' is missing")


def test_multipart_with_unknown_field_is_a_400(live_server: str) -> None:
    body, headers = multipart(PHOTO, MASK, strength="9")
    reply = httpx.post(f"{live_server}/api/v1/inpaint", content=body, headers=headers)
    _assert_error(reply, 400, "unknown form fields")


def test_multipart_mask_that_is_not_an_image_is_a_422(live_server: str) -> None:
    body, headers = multipart(PHOTO, b"GIF89a broken")
    reply = httpx.post(f"{live_server}/api/v1/inpaint", content=body, headers=headers)
    _assert_error(reply, 422, "mask cannot be read")


@pytest.mark.parametrize(
    ("side", "words"), [(9_000, "over the limit of 50.0 MP"), (100_000, "too large")]
)
def test_image_over_the_pixel_limit_is_refused_from_its_header(
    live_server: str, side: int, words: str
) -> None:
    bomb = _png_declaring(side, side)  # up to 10 GP declared in about 100 bytes
    reply = httpx.post(f"{live_server}/complete-image", json={"img": b64(bomb)}, timeout=10)
    _assert_error(reply, 413, words)


def test_pixel_limit_is_configurable(tight_server: LiveServer) -> None:
    image = encode(real_photo((400, 300)))  # 0.12 MP, over the 0.1 MP limit
    reply = httpx.post(f"{tight_server.url}/complete-image", json={"img": b64(image)})
    _assert_error(reply, 413, "over the limit of 0.1 MP")


def test_body_over_the_size_limit_is_a_413(tight_server: LiveServer) -> None:
    reply = httpx.post(
        f"{tight_server.url}/complete-image", json={"img": "A" * 1_100_000}, timeout=10
    )
    _assert_error(reply, 413, "over the limit of 1 MB")


def test_declared_oversized_body_is_refused_before_it_is_sent(tight_server: LiveServer) -> None:
    with connect(tight_server.url) as sock:
        send_head(
            sock,
            "POST",
            "/api/v1/inpaint",
            {"Content-Type": "application/json", "Content-Length": "50000000"},
        )
        status, _, body = read_reply(sock)  # answered with not one body byte sent
    assert status == 413
    assert b"over the limit" in body


@pytest.mark.parametrize("path", ["/complete-image", "/api/v1/inpaint"])
def test_wrong_method_on_an_api_path_is_a_405(live_server: str, path: str) -> None:
    _assert_error(httpx.get(f"{live_server}{path}"), 405, "method not allowed")


def test_unknown_engine_name_is_not_echoed_at_length(live_server: str) -> None:
    body = {"image": b64(PHOTO), "mask": b64(MASK), "engine": "x" * 100_000}
    reply = httpx.post(f"{live_server}/api/v1/inpaint", json=body)
    _assert_error(reply, 422, "unknown engine")
    assert len(reply.text) < 1000
