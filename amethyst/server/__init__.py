"""Amethyst as a web service: the original ``/complete-image`` contract and ``/api/v1``."""

from amethyst.server.app import create_app
from amethyst.server.settings import Settings

__all__ = ["Settings", "create_app"]
