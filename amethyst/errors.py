"""Exception types that callers (CLI, service) map to messages and statuses."""

from __future__ import annotations


class AmethystError(Exception):
    """Base class for every error Amethyst raises on purpose."""


class InvalidImage(AmethystError):
    """The photo cannot be decoded or used (not an image, truncated, unsupported)."""


class ImageTooLarge(InvalidImage):
    """The photo has more pixels than the configured limit (decompression-bomb guard)."""


class InvalidMask(AmethystError):
    """The mask cannot be used: wrong size, unreadable, empty or covering everything."""


class UnknownEngine(AmethystError):
    """No engine of that name is registered or installed."""


class EngineFailure(AmethystError):
    """An engine raised while filling; the cause is chained."""
