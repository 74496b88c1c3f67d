"""Logging for uvicorn and the app, every line stamped with its request id."""

from __future__ import annotations

from typing import Any

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def log_config(level: str = "info") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` mapping that uvicorn applies in every worker process."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "amethyst.server.request_context.RequestIdFilter"}},
        "formatters": {"plain": {"format": FORMAT}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "plain",
                "filters": ["request_id"],
            }
        },
        "loggers": {
            "amethyst": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            # Our access line carries the request id; uvicorn's would repeat it without.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
