"""Decode the base64 text clients send images in, tolerating what real clients produce.

Android's ``Base64.DEFAULT`` wraps lines, browsers send ``data:`` URLs, some clients use the
URL-safe alphabet or drop padding; all of these decode. Anything else is a ``BadRequest``.
The text is already bounded by the request body limit.
"""

from __future__ import annotations

import base64
import binascii
import re

from amethyst.server.error_responses import BadRequest

_DATA_URL = re.compile(r"^data:[\w.+/-]*(;[\w=.+-]+)*;base64,", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")


def decode_base64_image(text: str, field: str) -> bytes:
    """The bytes ``text`` encodes, or ``BadRequest`` naming ``field``."""
    try:
        # Most clients send plain, padded base64: decode it without copying the text.
        data = binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError):
        data = _decode_tolerantly(text, field)
    if not data:
        raise BadRequest(f"field {field!r} is empty")
    return data


def _decode_tolerantly(text: str, field: str) -> bytes:
    """Decode after removing a data: URL prefix and line breaks, and mapping URL-safe letters."""
    text = _DATA_URL.sub("", text.strip(), count=1)
    text = _WHITESPACE.sub("", text).replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadRequest(f"field {field!r} is not valid base64: {exc}") from None
    return data


def encode_base64(data: bytes) -> str:
    """Plain base64 text, no line breaks, as the original API answered."""
    return base64.b64encode(data).decode("ascii")
