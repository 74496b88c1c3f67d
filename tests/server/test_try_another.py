"""``variant``: asking the service for another fill of the same hole, on a real server."""

from __future__ import annotations

import io

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.server.payloads import b64, disc_mask_png, encode, real_photo, unb64_image

SIZE = (240, 180)
MASK = disc_mask_png(SIZE, (120, 90), 24)
HOLE = np.asarray(Image.open(io.BytesIO(MASK))) > 0


def _json_fill(server: str, variant: int | None, engine: str = "patchmatch_rows") -> dict:
    body = {"image": b64(encode(real_photo(SIZE))), "mask": b64(MASK), "engine": engine}
    if variant is not None:
        body["variant"] = variant
    reply = httpx.post(f"{server}/api/v1/inpaint", json=body, timeout=60)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_json_variants_are_other_fills_and_count_modulo_the_engines_number(
    live_server: str,
) -> None:
    photo = np.asarray(real_photo(SIZE))
    usual = _json_fill(live_server, None)
    assert (usual["variant"], usual["variants"]) == (0, 4)
    pixels = [np.asarray(unb64_image(usual["image"]))]
    for variant in (1, 2, 3):
        answer = _json_fill(live_server, variant)
        assert (answer["variant"], answer["variants"]) == (variant, 4)
        pixels.append(np.asarray(unb64_image(answer["image"])))
    for fill in pixels:
        assert np.array_equal(fill[~HOLE], photo[~HOLE])
    for fill in pixels[1:]:
        assert (fill[HOLE] != pixels[0][HOLE]).any(axis=1).mean() > 0.5
    wrapped = _json_fill(live_server, 5)
    assert wrapped["variant"] == 1
    assert np.array_equal(np.asarray(unb64_image(wrapped["image"])), pixels[1])


def test_an_engine_with_one_fill_answers_variant_zero(live_server: str) -> None:
    answer = _json_fill(live_server, 3, engine="telea")
    assert (answer["variant"], answer["variants"]) == (0, 1)


def test_a_form_takes_variant_and_the_reply_headers_say_which_fill(live_server: str) -> None:
    files = {
        "image": ("photo.png", encode(real_photo(SIZE)), "image/png"),
        "mask": ("mask.png", MASK, "image/png"),
    }
    replies = [
        httpx.post(
            f"{live_server}/api/v1/inpaint",
            files=files,
            data={"engine": "gan", "variant": str(variant)},
            timeout=60,
        )
        for variant in (0, 1)
    ]
    assert [r.status_code for r in replies] == [200, 200]
    assert [r.headers["x-amethyst-variant"] for r in replies] == ["0", "1"]
    assert {r.headers["x-amethyst-variants"] for r in replies} == {"2"}
    first, second = (np.asarray(Image.open(io.BytesIO(r.content))) for r in replies)
    assert (first[HOLE] != second[HOLE]).any()


@pytest.mark.parametrize("variant", ["-1", "two", "1.5", "²", "99999999999"])
def test_a_form_variant_that_is_not_a_whole_number_is_a_clear_400(
    live_server: str, variant: str
) -> None:
    reply = httpx.post(
        f"{live_server}/api/v1/inpaint",
        files={
            "image": ("photo.png", encode(real_photo(SIZE)), "image/png"),
            "mask": ("mask.png", MASK, "image/png"),
        },
        data={"variant": variant},
    )
    assert reply.status_code == 400
    assert "variant" in reply.json()["error"]


@pytest.mark.parametrize("variant", [-1, "two", 1.5, 2**40])
def test_a_json_variant_out_of_range_is_a_clear_400(live_server: str, variant: object) -> None:
    body = {"image": b64(encode(real_photo(SIZE))), "mask": b64(MASK), "variant": variant}
    reply = httpx.post(f"{live_server}/api/v1/inpaint", json=body)
    assert reply.status_code == 400
    assert "variant" in reply.json()["error"]


def test_engines_say_how_many_fills_each_gives(live_server: str) -> None:
    answer = httpx.get(f"{live_server}/api/v1/engines").json()
    counts = {engine["name"]: engine["variants"] for engine in answer["engines"]}
    assert counts["telea"] == 1 and counts["gan"] == 2 and counts["patchmatch_rows"] == 4


def test_complete_image_takes_a_variant_and_refuses_a_negative_one(live_server: str) -> None:
    body = {"img": b64(encode(real_photo(SIZE))), "mask": b64(MASK), "variant": 1}
    reply = httpx.post(f"{live_server}/complete-image", json=body, timeout=60)
    assert reply.status_code == 200 and list(reply.json()) == ["predict"]
    assert unb64_image(reply.json()["predict"]).size == SIZE
    body["variant"] = -1
    reply = httpx.post(f"{live_server}/complete-image", json=body)
    assert reply.status_code == 400 and "variant" in reply.json()["error"]
