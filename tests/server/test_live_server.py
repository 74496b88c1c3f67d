"""The shared ``live_server`` fixture starts a real, ready server."""

from __future__ import annotations

import httpx


def test_live_server_answers_healthz_ready(live_server: str) -> None:
    reply = httpx.get(f"{live_server}/healthz")
    assert reply.status_code == 200
    assert reply.json()["status"] == "ready"
    assert "telea" in reply.json()["engines"]
