"""``POST /api/v1/inpaint`` (JSON and multipart), ``/api/v1/engines`` and ``/docs``."""

from __future__ import annotations

import base64
import io
import subprocess

import httpx
import numpy as np
from PIL import Image

from amethyst.imaging.io import FAST_COMPRESSION_NOTE
from tests.server.payloads import b64, disc_mask_png, encode, real_photo, unb64_image

SIZE = (240, 180)


def _hole() -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(disc_mask_png(SIZE, (120, 90), 18)))) > 0


def test_json_request_answers_json_with_the_filled_image(live_server: str) -> None:
    image = real_photo(SIZE)
    body = {"image": b64(encode(image)), "mask": b64(disc_mask_png(SIZE, (120, 90), 18))}
    reply = httpx.post(f"{live_server}/api/v1/inpaint", json=body)
    assert reply.status_code == 200
    answer = reply.json()
    assert (answer["engine"], answer["width"], answer["height"]) == ("telea", 240, 180)
    assert answer["format"] == "PNG" and answer["notes"] == [FAST_COMPRESSION_NOTE["PNG"]]
    assert answer["elapsed_ms"] > 0
    result = np.asarray(unb64_image(answer["image"]))
    hole = _hole()
    assert np.array_equal(result[~hole], np.asarray(image)[~hole])
    assert (result[hole] != np.asarray(image)[hole]).any()


def test_json_request_can_pick_engine_and_output_format(live_server: str) -> None:
    body = {
        "image": b64(encode(real_photo(SIZE))),
        "mask": b64(disc_mask_png(SIZE, (60, 60), 10)),
        "engine": "ns",
        "format": "webp",
    }
    answer = httpx.post(f"{live_server}/api/v1/inpaint", json=body).json()
    assert (answer["engine"], answer["format"]) == ("ns", "WEBP")
    assert unb64_image(answer["image"]).format == "WEBP"


def test_multipart_form_answers_image_bytes_with_its_content_type(live_server: str) -> None:
    jpeg = encode(real_photo(SIZE), "JPEG", quality=92)
    reply = httpx.post(
        f"{live_server}/api/v1/inpaint",
        files={
            "image": ("photo.jpg", jpeg, "image/jpeg"),
            "mask": ("mask.png", disc_mask_png(SIZE, (120, 90), 18), "image/png"),
        },
    )
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "image/jpeg"
    assert reply.headers["x-amethyst-engine"] == "telea"
    assert reply.headers["x-amethyst-size"] == "240x180"
    assert reply.headers["x-request-id"]
    result = Image.open(io.BytesIO(reply.content))
    assert (result.format, result.size) == ("JPEG", SIZE)


def test_curl_multipart_upload_writes_the_result_file(live_server: str, tmp_path) -> None:
    image = real_photo(SIZE)
    (tmp_path / "photo.png").write_bytes(encode(image))
    (tmp_path / "mask.png").write_bytes(disc_mask_png(SIZE, (120, 90), 18))
    out = tmp_path / "out.png"
    completed = subprocess.run(
        [
            "curl", "-sS", "--fail-with-body",
            "-F", "image=@photo.png", "-F", "mask=@mask.png", "-F", "engine=telea",
            f"{live_server}/api/v1/inpaint", "-o", str(out),
        ],
        cwd=tmp_path, capture_output=True, timeout=60,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = np.asarray(Image.open(out))
    hole = _hole()
    assert np.array_equal(result[~hole], np.asarray(image)[~hole])


def test_engines_lists_loaded_engines_and_the_default(live_server: str) -> None:
    answer = httpx.get(f"{live_server}/api/v1/engines").json()
    names = [engine["name"] for engine in answer["engines"]]
    assert answer["default"] == "telea"
    assert {"telea", "ns"} <= set(names)
    assert all(engine["description"] for engine in answer["engines"])


def test_openapi_docs_describe_both_endpoints(live_server: str) -> None:
    assert httpx.get(f"{live_server}/docs").status_code == 200
    spec = httpx.get(f"{live_server}/openapi.json").json()
    assert {"/complete-image", "/api/v1/inpaint", "/api/v1/engines", "/healthz"} <= set(
        spec["paths"]
    )
    content = spec["paths"]["/api/v1/inpaint"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(content)


def test_encoding_notes_are_in_the_json_reply_and_the_image_headers(live_server: str) -> None:
    gif = encode(real_photo(SIZE).convert("P"), "GIF")  # written back as PNG, with a note
    mask = disc_mask_png(SIZE, (120, 90), 18)
    answer = httpx.post(
        f"{live_server}/api/v1/inpaint", json={"image": b64(gif), "mask": b64(mask)}
    ).json()
    reply = httpx.post(
        f"{live_server}/api/v1/inpaint", files={"image": ("p.gif", gif), "mask": ("m.png", mask)}
    )
    assert answer["format"] == "PNG"
    assert any("GIF" in note for note in answer["notes"])
    assert reply.headers["content-type"] == "image/png"
    assert reply.headers["x-amethyst-notes"] == " | ".join(answer["notes"])


def test_exif_rotated_photo_takes_a_mask_in_either_orientation_and_says_which(
    live_server: str,
) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored 240x180, displayed 180x240
    photo = encode(real_photo(SIZE), "JPEG", quality=90, exif=exif.tobytes())
    stored_mask = disc_mask_png(SIZE, (60, 50), 12)
    shown_mask = encode(Image.open(io.BytesIO(stored_mask)).transpose(Image.Transpose.ROTATE_270))
    answers = [
        httpx.post(f"{live_server}/api/v1/inpaint", json={"image": b64(photo), "mask": b64(m)})
        for m in (stored_mask, shown_mask)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    stored, shown = (a.json() for a in answers)
    assert (stored["width"], stored["height"]) == (180, 240)
    assert "stored orientation" in stored["notes"][0]
    assert "displayed orientation" in shown["notes"][0]
    assert stored["image"] == shown["image"]  # the same hole either way
    before = np.asarray(Image.open(io.BytesIO(photo)), np.int16)  # stored orientation
    after = np.asarray(Image.open(io.BytesIO(base64.b64decode(stored["image"]))), np.int16)
    hole = np.asarray(Image.open(io.BytesIO(stored_mask))) > 0
    assert (after[hole] != before[hole]).any()
    assert np.array_equal(after[100:, 100:], before[100:, 100:])  # far from the hole: untouched
