"""Engine registry: every module in this package registers its engines when imported.

Adding an engine is adding one file here with a class decorated by ``@register``.
"""

from __future__ import annotations

import importlib
import pkgutil

from amethyst.engines.base import Engine
from amethyst.errors import UnknownEngine

_REGISTRY: dict[str, type[Engine]] = {}
_INSTANCES: dict[str, Engine] = {}
_LOADED = False

# ``auto`` takes the first installed engine of this list. The order comes from blind side-by-side
# judgements on our validation split (docs/benchmarks.md): PatchMatch's copied, full-contrast
# texture was preferred to every smoother fill we have; with its fine detail restored it was
# preferred to plain PatchMatch, and copying from the hole's own height was preferred to that
# (most clearly on scenes: horizons, streets, fields); engines not listed rank last.
AUTO_PREFERENCE = ("patchmatch_rows", "patchmatch_detail", "patchmatch", "gan", "telea", "ns")


def register(cls: type[Engine]) -> type[Engine]:
    """Class decorator that makes an engine available under ``cls.name``."""
    _REGISTRY[cls.name] = cls
    return cls


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")
    _LOADED = True


def registered() -> dict[str, type[Engine]]:
    """Every engine class known, installed or not, by name."""
    _load_all()
    return dict(_REGISTRY)


def available() -> list[str]:
    """Names of the engines whose requirements are installed, ``auto``'s choice first."""
    engines = [name for name, cls in registered().items() if cls.is_available()]
    rank = {name: i for i, name in enumerate(AUTO_PREFERENCE)}
    return sorted(engines, key=lambda n: (rank.get(n, len(rank)), n))


def resolve(name: str = "auto") -> str:
    """The engine name that ``name`` stands for (``auto`` becomes the best installed one)."""
    names = available()
    if name == "auto":
        if not names:
            raise UnknownEngine("no inpainting engine is installed")
        return names[0]
    if name not in names:
        known = ", ".join(["auto", *names])
        if name in registered():
            raise UnknownEngine(f"engine {name!r} is not installed here; available: {known}")
        raise UnknownEngine(f"unknown engine {name!r}; available: {known}")
    return name


def get_engine(name: str = "auto") -> Engine:
    """A shared, ready instance of the engine ``name`` (models load once, on first use)."""
    resolved = resolve(name)
    if resolved not in _INSTANCES:
        _INSTANCES[resolved] = _REGISTRY[resolved]()
    return _INSTANCES[resolved]


def describe() -> list[str]:
    """One line per available engine: its name and what it does."""
    return [f"{name}: {_REGISTRY[name].description}" for name in available()]


__all__ = ["Engine", "available", "describe", "get_engine", "register", "registered", "resolve"]
