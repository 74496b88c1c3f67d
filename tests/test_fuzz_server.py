"""Request-level fuzzing of a real ``amethyst serve``: the whole corpus and generated requests.

Every input must get a 4xx with a JSON ``error`` that says what is wrong, or a correct result;
never a 5xx, a hang (every request has a client timeout) or a dead worker.
"""

import base64
import io
import json

import httpx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from amethyst.errors import AmethystError
from amethyst.imaging.io import decode_image
from amethyst.imaging.masks import to_bool_mask
from amethyst.server.settings import Settings
from tests.fuzz.corpus import Entry, base_mask, base_photo, centre_hole, entries, entry_id

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns on corrupt EXIF

TIMEOUT_S = 30
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
VARIANTS = ["json", "multipart", "complete-image"]
COMPLETE, INPAINT = "/complete-image", "/api/v1/inpaint"
BODY_LIMIT = Settings().max_body_bytes  # the live server runs with the defaults


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def client(live_server: str):
    with httpx.Client(base_url=live_server, timeout=TIMEOUT_S) as session:
        yield session


def post(client: httpx.Client, variant: str, image: bytes, mask: bytes) -> httpx.Response:
    """Send ``image`` and ``mask`` the way ``variant`` names."""
    if variant == "json":
        return client.post(INPAINT, json={"image": b64(image), "mask": b64(mask)})
    if variant == "multipart":
        return client.post(INPAINT, files={"image": ("photo", image), "mask": ("mask", mask)})
    return client.post(COMPLETE, json={"img": b64(image), "mask": b64(mask)})


def check_answer(reply: httpx.Response, expect: str, message: list[str] | None = None) -> bool:
    """Assert ``reply`` is a result or a clear 4xx as ``expect`` allows; True for a result."""
    assert reply.status_code < 500, f"{reply.status_code}: {reply.text[:300]}"
    if reply.is_success:
        assert expect != "reject", f"accepted what must be refused: {reply.text[:200]}"
        return True
    assert 400 <= reply.status_code < 500, reply.status_code
    assert expect != "accept", f"{reply.status_code}: {reply.text[:300]}"
    assert reply.headers["content-type"].startswith("application/json")
    error = reply.json()["error"]
    assert isinstance(error, str) and len(error) > 5
    for text in message or []:
        assert text in error
    return False


def result_bytes(reply: httpx.Response, variant: str) -> bytes:
    if variant == "multipart":
        return reply.content
    body = reply.json()
    return base64.b64decode(body["predict"] if variant == "complete-image" else body["image"])


def check_result(sent: bytes, hole: np.ndarray, answer: bytes) -> None:
    """The answer is the sent photo at its size, and for PNG photos bit-exact off the hole."""
    before, after = decode_image(sent), decode_image(answer)
    assert after.image.size == before.image.size
    if before.format == "PNG" and after.format == "PNG" and before.image.mode == after.image.mode:
        kept = ~hole
        assert (np.asarray(after.image)[kept] == np.asarray(before.image)[kept]).all()


def image_case(photo: bytes) -> tuple[bytes, bytes, np.ndarray | None]:
    """Photo, mask and hole to send ``photo`` with: a centre hole when the photo can be read."""
    try:
        hole = centre_hole(decode_image(photo).image.size)
    except AmethystError:
        return photo, base_mask(), None
    return photo, png(hole.astype(np.uint8) * 255), hole


def mask_case(entry: Entry) -> tuple[bytes, bytes, np.ndarray | None]:
    """The base photo and the entry as its mask."""
    try:
        hole = to_bool_mask(decode_image(entry.data).image)
    except AmethystError:
        hole = None
    return base_photo(), entry.data, hole


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("entry", entries("image"), ids=entry_id)
def test_every_corpus_photo_gets_a_result_or_a_clear_4xx(client, entry, variant):
    image, mask, hole = image_case(entry.data)
    reply = post(client, variant, image, mask)
    if check_answer(reply, entry.expect, entry.message):
        check_result(image, hole, result_bytes(reply, variant))


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("entry", entries("mask"), ids=entry_id)
def test_every_corpus_mask_gets_a_result_or_a_clear_4xx(client, entry, variant):
    image, mask, hole = mask_case(entry)
    reply = post(client, variant, image, mask)
    if check_answer(reply, entry.expect, entry.message):
        check_result(image, hole, result_bytes(reply, variant))


@pytest.mark.parametrize("entry", entries("body"), ids=entry_id)
def test_every_corpus_body_gets_a_result_or_a_clear_4xx(client, entry):
    content_type = "application/json" if entry.content_type is None else entry.content_type
    reply = client.post(entry.endpoint, content=entry.data, headers={"content-type": content_type})
    if check_answer(reply, entry.expect, entry.message):
        if entry.content_type is None:
            key = "predict" if entry.endpoint == COMPLETE else "image"
            answer = base64.b64decode(reply.json()[key])
        else:
            answer = reply.content
        assert decode_image(answer).image.size == (64, 48)


# --- generated requests ---------------------------------------------------------------------

PHOTO, MASK = b64(base_photo()), b64(base_mask())
field_values = st.one_of(
    st.just(PHOTO),
    st.just(MASK),
    st.just("data:image/png;base64," + PHOTO),
    st.binary(max_size=64).map(b64),
    st.text(max_size=30),
    st.sampled_from(["auto", "telea", "ns", "nope", "png", "jpeg", "webp", "gif"]),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),  # httpx writes strict JSON
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
request_objects = st.dictionaries(
    st.sampled_from(["img", "image", "mask", "engine", "format", "extra"]), field_values
)


@FUZZ
@given(st.sampled_from([COMPLETE, INPAINT]), request_objects)
def test_generated_json_requests_get_a_result_or_a_clear_4xx(client, endpoint, fields):
    reply = client.post(endpoint, json=fields)
    if check_answer(reply, "either"):
        answer = reply.json()["predict" if endpoint == COMPLETE else "image"]
        assert decode_image(base64.b64decode(answer)).image.size == (64, 48)


@FUZZ
@given(st.sampled_from([COMPLETE, INPAINT]), st.binary(max_size=2048))
def test_generated_byte_bodies_get_a_clear_4xx(client, endpoint, body):
    reply = client.post(endpoint, content=body, headers={"content-type": "application/json"})
    check_answer(reply, "either")


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["image", "mask", "engine", "format", "extra"]),
        st.one_of(
            st.sampled_from([base_photo(), base_mask()]).map(lambda data: ("file", data)),
            st.binary(max_size=256).map(lambda data: ("file", data)),
            st.text(max_size=20).map(lambda text: ("text", text)),
        ),
    )
)
def test_generated_multipart_forms_get_a_result_or_a_clear_4xx(client, parts):
    files = {name: ("upload", data) for name, (kind, data) in parts.items() if kind == "file"}
    data = {name: value for name, (kind, value) in parts.items() if kind == "text"}
    reply = client.post(INPAINT, files=files or None, data=data or None)
    if check_answer(reply, "either"):
        assert decode_image(reply.content).image.size == (64, 48)


# Header values HTTP allows (visible ASCII, inner spaces); h11 refuses control characters
# itself, before the app, with a plain-text 400.
content_types = st.one_of(
    st.sampled_from(
        [
            "application/json; charset=latin-1",
            "application/problem+json",
            "multipart/form-data",
            "multipart/form-data; boundary=",
            "multipart/form-data; boundary=x" + "-" * 300,
            "text/plain",
            "image/png",
            "application/x-www-form-urlencoded",
        ]
    ),
    st.from_regex(r"[!-~][ -~]{0,40}[!-~]", fullmatch=True),
)


@FUZZ
@given(content_types, st.binary(max_size=128))
def test_any_content_type_gets_a_clear_4xx_or_a_result(client, content_type, body):
    reply = client.post(INPAINT, content=body, headers={"content-type": content_type})
    check_answer(reply, "either")


SEEDS = [e.data for e in entries("image") if e.expect == "accept"]


@st.composite
def mutated_photos(draw: st.DrawFn) -> bytes:
    """A readable corpus photo with a few bytes overwritten or the end cut off."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        del data[draw(st.integers(len(data) // 2, len(data))) :]
    return bytes(data)


@FUZZ
@given(mutated_photos(), st.sampled_from(VARIANTS))
def test_mutated_photos_get_a_result_or_a_clear_4xx(client, photo, variant):
    image, mask, hole = image_case(photo)
    reply = post(client, variant, image, mask)
    if check_answer(reply, "either"):
        check_result(image, hole, result_bytes(reply, variant))


# --- enormous payloads, made here rather than stored ---------------------------------------


@pytest.mark.parametrize("endpoint,field", [(COMPLETE, "img"), (INPAINT, "image")])
def test_a_body_over_the_upload_limit_is_refused_with_413(client, endpoint, field):
    body = json.dumps({field: "A" * (BODY_LIMIT + 1_000_000), "mask": MASK}).encode()
    reply = client.post(endpoint, content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 413 and "limit" in reply.json()["error"]


def test_a_multipart_upload_over_the_limit_is_refused_with_413(client):
    files = {"image": ("big", b"\0" * (BODY_LIMIT + 1_000_000)), "mask": ("mask", base_mask())}
    reply = client.post(INPAINT, files=files)
    assert reply.status_code == 413 and "limit" in reply.json()["error"]


@pytest.mark.parametrize("endpoint,field", [(COMPLETE, "img"), (INPAINT, "image")])
def test_enormous_base64_under_the_limit_that_is_no_image_gets_422(client, endpoint, field):
    junk = b64(np.random.default_rng(1).integers(0, 256, 12_000_000, np.uint8).tobytes())
    reply = client.post(endpoint, json={field: junk, "mask": MASK})
    assert reply.status_code == 422 and "image" in reply.json()["error"]


def test_a_compressed_photo_over_the_pixel_limit_is_refused_with_413(client):
    # 8000x8000 black compresses to ~200 KB but would be 192 MB decoded: refused from its header.
    out = io.BytesIO()
    Image.new("L", (8000, 8000)).save(out, "PNG")
    reply = client.post(INPAINT, json={"image": b64(out.getvalue()), "mask": MASK})
    assert reply.status_code == 413 and "MP" in reply.json()["error"]


# --- and the worker is still there ----------------------------------------------------------


def test_the_worker_survived_everything_and_logged_no_crash(client, live_server_process):
    assert client.get("/healthz").status_code == 200
    assert live_server_process.process.poll() is None
    log = live_server_process.log()
    assert " crashed: " not in log and "Traceback" not in log
