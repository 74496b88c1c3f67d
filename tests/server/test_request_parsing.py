"""In-process checks of how request bodies and settings are read."""

from __future__ import annotations

import base64

import pytest

from amethyst.server.base64_images import decode_base64_image
from amethyst.server.error_responses import BadRequest
from amethyst.server.settings import Settings

DATA = bytes(range(256)) * 3


@pytest.mark.parametrize(
    "text",
    [
        base64.b64encode(DATA).decode(),
        base64.encodebytes(DATA).decode(),  # 76-column lines, Android's Base64.DEFAULT
        base64.urlsafe_b64encode(DATA).decode(),
        base64.b64encode(DATA).decode().rstrip("="),
        "data:image/png;base64," + base64.b64encode(DATA).decode(),
        "  data:image/jpeg;charset=binary;base64," + base64.b64encode(DATA).decode() + "\n",
    ],
)
def test_base64_as_real_clients_send_it_decodes(text: str) -> None:
    assert decode_base64_image(text, "img") == DATA


@pytest.mark.parametrize("text", ["", "    ", "not base64 at all!", "data:image/png;base64,"])
def test_text_that_is_not_base64_is_a_bad_request(text: str) -> None:
    with pytest.raises(BadRequest, match="'img'"):
        decode_base64_image(text, "img")


def test_settings_travel_to_worker_processes_through_the_environment() -> None:
    settings = Settings(
        engine="ns",
        threads=3,
        queue=5,
        max_body_bytes=1234,
        max_pixels=99,
        body_timeout_s=2.5,
        cors_origins=("https://a.example", "https://b.example"),
        static_dir=None,
        plugins=("tests.server.fault_engines",),
    )
    assert Settings.from_env(settings.to_env()) == settings


def test_settings_default_to_one_fill_thread_per_core() -> None:
    assert Settings.from_env({}) == Settings()
    assert Settings().fill_threads >= 1
