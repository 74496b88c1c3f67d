"""``GET /healthz`` and ``GET /api/v1/engines``: answered on the event loop, even when busy."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from amethyst.api import variants
from amethyst.server.engine_loading import EngineLoader
from amethyst.server.fill_pool import FillPool
from amethyst.server.models import EngineInfo, EnginesResponse, ErrorResponse, HealthResponse

router = APIRouter()


@router.get(
    "/healthz",
    response_model=HealthResponse,
    summary="200 once engines and models are loaded, 503 before (or if they failed)",
    responses={503: {"model": HealthResponse, "description": "Loading, or failed to load"}},
)
async def healthz(request: Request) -> JSONResponse:
    engines: EngineLoader = request.app.state.engines
    pool: FillPool = request.app.state.pool
    body = HealthResponse(
        status=engines.status, engines=list(engines.loaded), error=engines.error, **pool.stats()
    )
    status = 200 if engines.status == "ready" else 503
    return JSONResponse(body.model_dump(), status_code=status)


@router.get(
    "/api/v1/engines",
    response_model=EnginesResponse,
    summary="The engines this server has loaded, and the one 'auto' means",
    responses={503: {"model": ErrorResponse, "description": "Still loading"}},
)
async def list_engines(request: Request) -> EnginesResponse:
    engines: EngineLoader = request.app.state.engines
    default = engines.resolve("auto")
    return EnginesResponse(
        default=default,
        engines=[
            EngineInfo(name=n, description=d, variants=variants(n))
            for n, d in engines.loaded.items()
        ],
    )
