"""The service's settings, carried to every worker process through ``AMETHYST_*`` variables.

``amethyst serve`` writes them to the environment and uvicorn's worker processes read them
back, so one, or several, workers start with the same limits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from amethyst.cores import cpu_count
from amethyst.imaging.io import DEFAULT_MAX_PIXELS

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
ENV_PREFIX = "AMETHYST_"


@dataclass(frozen=True)
class Settings:
    """What one service process needs to know; the defaults suit a single machine."""

    engine: str = "auto"
    threads: int = 0  # fill threads; 0 means one per core
    queue: int = 32  # fills allowed to wait for a thread before new ones get 503
    max_body_bytes: int = 30_000_000
    max_pixels: int = DEFAULT_MAX_PIXELS
    body_timeout_s: float = 60.0  # the whole body must arrive within this time
    cors_origins: tuple[str, ...] = ()
    static_dir: Path | None = STATIC_DIR
    plugins: tuple[str, ...] = ()  # modules imported at start-up, e.g. to register engines

    @property
    def fill_threads(self) -> int:
        return self.threads if self.threads > 0 else cpu_count()

    def to_env(self) -> dict[str, str]:
        """These settings as ``AMETHYST_*`` variables that ``from_env`` reads back."""
        env = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, tuple):
                value = ",".join(value)
            env[ENV_PREFIX + item.name.upper()] = "" if value is None else str(value)
        return env

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``AMETHYST_*`` variables, defaults for those not set."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for item in fields(cls):
            raw = environ.get(ENV_PREFIX + item.name.upper())
            if raw is None:
                continue
            default = getattr(cls, item.name)
            if isinstance(default, tuple):
                values[item.name] = tuple(part for part in raw.split(",") if part)
            elif item.name == "static_dir":
                values[item.name] = Path(raw) if raw else None
            elif isinstance(default, str):
                values[item.name] = raw
            else:
                values[item.name] = type(default)(raw)
        return cls(**values)
