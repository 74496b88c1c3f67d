"""``POST /complete-image``: the original Amethyst contract, kept for the original mobile client.

``{"img": b64}`` with the hole painted in magenta (or an explicit ``"mask"``) answers
``{"predict": b64}``, now at the input's size and format instead of a 512x512 JPEG. An optional
``"variant"`` asks for another of the default engine's fills, and an optional ``"keep_out"``
mask marks what the fill must not copy, as ``/api/v1/inpaint`` does.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from amethyst.server.base64_images import decode_base64_image, encode_base64
from amethyst.server.editing import Edit, run_edit
from amethyst.server.engine_loading import EngineLoader
from amethyst.server.models import CompleteImageRequest, CompleteImageResponse, parse_body
from amethyst.server.routes.fill_slots import fill_place, run_fill
from amethyst.server.routes.inpaint import ERRORS
from amethyst.server.settings import Settings

router = APIRouter()


def _complete_job(body: bytes, engines: EngineLoader, settings: Settings) -> bytes:
    request = parse_body(CompleteImageRequest, body)
    mask = decode_base64_image(request.mask, "mask") if request.mask is not None else None
    image = decode_base64_image(request.img, "img")
    keep_out = None
    if request.keep_out is not None:
        keep_out = decode_base64_image(request.keep_out, "keep_out")
    edit = Edit(image, mask, engines.resolve("auto"), variant=request.variant, keep_out=keep_out)
    result = run_edit(edit, edit.engine, settings.max_pixels)
    return (
        CompleteImageResponse(predict=encode_base64(result.encoded.data)).model_dump_json().encode()
    )


@router.post(
    "/complete-image",
    response_model=CompleteImageResponse,
    summary="The original API: remove what is painted in magenta",
    responses=ERRORS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CompleteImageRequest.model_json_schema()}},
        }
    },
    dependencies=[Depends(fill_place)],
)
async def complete_image(request: Request) -> Response:
    # Any Content-Type is read as JSON: the original server did not insist on one.
    engines: EngineLoader = request.app.state.engines
    settings: Settings = request.app.state.settings
    engines.resolve("auto")  # refuse early while loading
    body = await request.body()
    reply = await run_fill(request, _complete_job, body, engines, settings)
    return Response(reply, media_type="application/json")
