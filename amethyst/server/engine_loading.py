"""Load every installed engine once, in the background, and say when the service is ready.

Models (the GAN's ONNX session) load at start-up, never per request. Loading runs on its own
thread so ``/healthz`` can answer "loading" meanwhile; fills are refused with 503 until then.
"""

from __future__ import annotations

import importlib
import logging
import threading

from amethyst.engines import available, get_engine, resolve
from amethyst.errors import UnknownEngine
from amethyst.server.error_responses import NotReady

log = logging.getLogger("amethyst.server")


class EngineLoader:
    """Loads the engines and resolves the names clients ask for against what loaded."""

    def __init__(self, default: str, plugins: tuple[str, ...] = ()) -> None:
        self.requested_default = default
        self.plugins = plugins
        self.status = "loading"
        self.error: str | None = None
        self.default = ""
        self.loaded: dict[str, str] = {}  # name -> description
        self._thread = threading.Thread(target=self._load, name="amethyst-engines", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self, timeout_s: float | None = None) -> None:
        self._thread.join(timeout_s)

    def _load(self) -> None:
        try:
            for module in self.plugins:
                importlib.import_module(module)
            default = resolve(self.requested_default)
            loaded = {}
            for name in available():
                try:
                    engine = get_engine(name)
                except Exception as exc:  # one broken engine must not take the others down
                    log.error("engine %s failed to load: %s", name, exc, exc_info=exc)
                    continue
                loaded[name] = engine.description
            if default not in loaded:
                raise RuntimeError(f"the default engine {default!r} failed to load")
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"
            self.status = "failed"
            log.error("engines failed to load: %s", self.error)
            return
        self.loaded, self.default = loaded, default
        self.status = "ready"
        log.info("ready: engines %s, default %s", ", ".join(loaded), default)

    def resolve(self, name: str | None) -> str:
        """The loaded engine ``name`` stands for (``auto`` or nothing: the server's default)."""
        if self.status != "ready":
            raise NotReady(f"the server is {self.status}: {self.error or 'engines are loading'}")
        if not name or name == "auto":
            return self.default
        if name not in self.loaded:
            known = ", ".join(["auto", *self.loaded])
            raise UnknownEngine(f"unknown engine {name[:64]!r}; available: {known}")
        return name
