"""Fuzzing the service's request models: any body parses or raises BadRequest with a reason."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from amethyst.server.base64_images import decode_base64_image
from amethyst.server.error_responses import BadRequest
from amethyst.server.models import CompleteImageRequest, InpaintRequest, parse_body

FUZZ = settings(max_examples=60, deadline=None)
MODELS = st.sampled_from([CompleteImageRequest, InpaintRequest])
FIELDS = ["img", "image", "mask", "engine", "format", "extra"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


def parses_or_refuses(model, body: bytes) -> None:
    try:
        request = parse_body(model, body)
    except BadRequest as exc:
        assert str(exc)
        return
    assert isinstance(request, model)


@FUZZ
@given(MODELS, st.binary(max_size=512))
def test_arbitrary_bytes_parse_or_raise_bad_request(model, body):
    parses_or_refuses(model, body)


@FUZZ
@given(MODELS, json_values)
def test_arbitrary_json_parses_or_raises_bad_request(model, value):
    parses_or_refuses(model, json.dumps(value).encode())


@FUZZ
@given(MODELS, st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6))
def test_objects_with_api_field_names_parse_or_raise_bad_request(model, fields):
    parses_or_refuses(model, json.dumps(fields).encode())


@FUZZ
@given(st.text(max_size=200))
def test_any_text_decodes_as_base64_or_raises_bad_request_naming_the_field(text):
    try:
        data = decode_base64_image(text, "img")
    except BadRequest as exc:
        assert "'img'" in str(exc)
        return
    assert isinstance(data, bytes) and data
