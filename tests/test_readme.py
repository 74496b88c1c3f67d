"""The README's examples: what they show is what Amethyst really does."""

import base64
import json
import re
from pathlib import Path

import httpx

from tests.server.live import start_server

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
EXAMPLES = ROOT / "amethyst" / "examples"


def readme_json_answer() -> dict:
    """The answer the README shows under its JSON ``/api/v1/inpaint`` example."""
    command = "--data @body.json http://127.0.0.1:8080/api/v1/inpaint\n"
    lines = README[README.index(command) + len(command) :].split("```")[0].splitlines()
    text = " ".join(line[1:].strip() for line in lines if line.startswith("#"))
    return json.loads(text.replace('...",', '",'))


def without_numbers(text: str) -> str:
    return re.sub(r"\d+", "N", text)


def test_the_json_example_shows_what_the_server_answers(tmp_path):
    shown = readme_json_answer()
    body = {
        "image": base64.b64encode((EXAMPLES / "rocket.jpg").read_bytes()).decode(),
        "mask": base64.b64encode((EXAMPLES / "rocket_mask.png").read_bytes()).decode(),
    }
    server = start_server(tmp_path)  # as the README starts it: `amethyst serve`, engine auto
    try:
        answer = httpx.post(f"{server.url}/api/v1/inpaint", json=body, timeout=120).json()
    finally:
        server.terminate()
    assert list(shown) == list(answer)
    assert answer["image"].startswith(shown["image"])
    for key in ("format", "width", "height", "engine"):  # engine: auto's pick, as served
        assert shown[key] == answer[key], key
    assert isinstance(shown["elapsed_ms"], float)
    assert [without_numbers(n) for n in shown["notes"]] == [
        without_numbers(n) for n in answer["notes"]
    ]


def test_commands_use_no_path_of_one_machine():
    for doc in (README, (ROOT / "docs" / "training.md").read_text()):
        assert "/work/" not in doc
    assert "amethyst train --data PHOTOS/" in README
