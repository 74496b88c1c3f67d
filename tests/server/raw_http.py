"""HTTP over a plain socket, for what httpx will not do: hang up mid-body, trickle bytes,
send unnormalised paths, read a reply before the body is finished."""

from __future__ import annotations

import http.client
import socket
from urllib.parse import urlsplit


def connect(url: str, timeout_s: float = 10.0) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=timeout_s)


def send_head(sock: socket.socket, method: str, path: str, headers: dict[str, str]) -> None:
    """Send the request line and headers only."""
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


def read_reply(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Read one HTTP reply: status, headers (lower-case names), body."""
    reply = http.client.HTTPResponse(sock)
    reply.begin()
    body = reply.read()
    return reply.status, {k.lower(): v for k, v in reply.getheaders()}, body


def get_raw(url: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``path`` exactly as written, with no client-side normalisation of dots."""
    with connect(url) as sock:
        send_head(sock, "GET", path, {"Connection": "close"})
        return read_reply(sock)
