"""``POST /api/v1/inpaint``: JSON in, JSON out; or a multipart form in, the image bytes out.

One path serves both, chosen by the request's ``Content-Type``, so ``curl -F image=@photo.jpg
-F mask=@mask.png URL -o out.jpg`` and JSON clients call the same URL.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartParser

from amethyst.imaging.io import SUFFIX_BY_FORMAT
from amethyst.server.base64_images import decode_base64_image, encode_base64
from amethyst.server.editing import Edit, EditResult, output_format, run_edit
from amethyst.server.engine_loading import EngineLoader
from amethyst.server.error_responses import BadRequest, UnsupportedMediaType
from amethyst.server.models import (
    KEEP_OUT_HELP,
    MAX_VARIANT,
    VARIANT_HELP,
    ErrorResponse,
    InpaintRequest,
    InpaintResponse,
    parse_body,
)
from amethyst.server.routes.fill_slots import fill_place, run_fill
from amethyst.server.settings import Settings

router = APIRouter()
FORM_FIELDS = {"image", "mask", "keep_out", "engine", "format", "variant"}
ERRORS = {
    status: {"model": ErrorResponse, "description": what}
    for status, what in {
        400: "Malformed JSON or form, not base64, a field missing or unknown",
        408: "The body did not arrive in time",
        413: "Body over the size limit, or image over the pixel limit",
        415: "Neither JSON nor a multipart form",
        422: "Not an image, truncated, mask of the wrong size, no strokes, unknown engine",
        500: "The fill failed on the server (the request id is in the reply and the logs)",
        503: "Busy (see Retry-After) or still loading",
    }.items()
}
MULTIPART_SCHEMA = {
    "type": "object",
    "required": ["image", "mask"],
    "properties": {
        "image": {"type": "string", "format": "binary"},
        "mask": {"type": "string", "format": "binary", "description": "nonzero = remove"},
        "keep_out": {"type": "string", "format": "binary", "description": KEEP_OUT_HELP},
        "engine": {"type": "string", "default": "auto"},
        "format": {"type": "string", "enum": ["png", "jpeg", "webp"]},
        "variant": {"type": "integer", "minimum": 0, "default": 0, "description": VARIANT_HELP},
    },
}


class InMemoryMultiPartParser(MultiPartParser):
    """Starlette's parser, keeping uploads in memory: the service writes no files.

    The body limit already bounds every part, so spooling to disk would only add a temp file.
    """

    spool_max_size = 2**62


def _json_job(body: bytes, engines: EngineLoader, settings: Settings) -> bytes:
    # Parsing, base64 and the JSON reply are serialised here, on a fill thread: for a
    # 12 MP photo each takes tens of milliseconds the event loop should not spend.
    request = parse_body(InpaintRequest, body)
    edit = Edit(
        image=decode_base64_image(request.image, "image"),
        mask=decode_base64_image(request.mask, "mask"),
        keep_out=(
            None if request.keep_out is None else decode_base64_image(request.keep_out, "keep_out")
        ),
        engine=engines.resolve(request.engine),
        format=output_format(request.format),
        variant=request.variant,
    )
    result = run_edit(edit, edit.engine, settings.max_pixels)
    return (
        InpaintResponse(
            image=encode_base64(result.encoded.data),
            format=result.encoded.format,
            engine=result.engine,
            width=result.width,
            height=result.height,
            elapsed_ms=result.elapsed_ms,
            variant=result.variant,
            variants=result.variants,
            notes=result.encoded.notes,
        )
        .model_dump_json()
        .encode()
    )


async def _read_form(request: Request) -> dict[str, bytes | str]:
    parser = InMemoryMultiPartParser(request.headers, request.stream(), max_files=3, max_fields=3)
    form = await parser.parse()
    try:
        unknown = set(form.keys()) - FORM_FIELDS
        if unknown:
            raise BadRequest(f"unknown form fields {sorted(unknown)}; use {sorted(FORM_FIELDS)}")
        values: dict[str, bytes | str] = {}
        for name, value in form.multi_items():
            if name in values:
                raise BadRequest(f"form field {name!r} is given twice")
            values[name] = await value.read() if isinstance(value, UploadFile) else value
        return values
    finally:
        await form.close()


def _file_field(values: dict[str, bytes | str], name: str) -> bytes:
    value = values.get(name)
    if value is None:
        raise BadRequest(f"form field {name!r} is missing (send it as a file: -F {name}=@file)")
    if isinstance(value, str):
        raise BadRequest(f"form field {name!r} must be a file upload (-F {name}=@file)")
    if not value:
        raise BadRequest(f"form field {name!r} is empty")
    return value


def _text_field(values: dict[str, bytes | str], name: str) -> str | None:
    value = values.get(name)
    if isinstance(value, bytes):
        raise BadRequest(f"form field {name!r} must be text, not a file")
    return value


def _variant_field(values: dict[str, bytes | str]) -> int:
    text = _text_field(values, "variant")
    if text is None:
        return 0
    if not re.fullmatch(r"\s*[0-9]{1,10}\s*", text) or int(text) > MAX_VARIANT:
        raise BadRequest(f"form field 'variant' must be a whole number from 0, got {text[:20]!r}")
    return int(text)


def _image_reply(result: EditResult) -> Response:
    encoded = result.encoded
    headers = {
        "X-Amethyst-Engine": result.engine,
        "X-Amethyst-Size": f"{result.width}x{result.height}",
        "X-Amethyst-Elapsed-Ms": f"{result.elapsed_ms:g}",
        "X-Amethyst-Variant": str(result.variant),
        "X-Amethyst-Variants": str(result.variants),
        "Content-Disposition": f'inline; filename="amethyst{SUFFIX_BY_FORMAT[encoded.format]}"',
    }
    if encoded.notes:
        text = " | ".join(" ".join(note.split()) for note in encoded.notes)
        headers["X-Amethyst-Notes"] = text.encode("ascii", "replace").decode("ascii")
    return Response(encoded.data, media_type=encoded.mime_type, headers=headers)


@router.post(
    "/api/v1/inpaint",
    response_model=InpaintResponse,
    summary="Fill what the mask marks",
    description=(
        "Send JSON (base64 image and mask) to get JSON back, or a multipart form (`image` and "
        "`mask` files, optional `keep_out` file, `engine`, `format` and `variant`) to get the "
        "image bytes back, with the engine, size, time, variant and any notes in `X-Amethyst-*` "
        "headers. Send the same photo and mask with `variant` 1, 2, ... to try another fill, "
        "and a `keep_out` mask over what the fill must not copy."
    ),
    responses={
        200: {
            "content": {
                "image/png": {},
                "image/jpeg": {},
                "image/webp": {},
            },
            "description": "JSON for a JSON request; the image bytes for a multipart form.",
        },
        **ERRORS,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": InpaintRequest.model_json_schema()},
                "multipart/form-data": {"schema": MULTIPART_SCHEMA},
            },
        }
    },
    dependencies=[Depends(fill_place)],
)
async def inpaint(request: Request) -> Response:
    engines: EngineLoader = request.app.state.engines
    settings: Settings = request.app.state.settings
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        engines.resolve("auto")  # refuse early while loading
        body = await request.body()
        reply = await run_fill(request, _json_job, body, engines, settings)
        return Response(reply, media_type="application/json")
    if content_type == "multipart/form-data":
        engines.resolve("auto")
        values = await _read_form(request)
        edit = Edit(
            image=_file_field(values, "image"),
            mask=_file_field(values, "mask"),
            keep_out=_file_field(values, "keep_out") if "keep_out" in values else None,
            engine=engines.resolve(_text_field(values, "engine")),
            format=output_format(_text_field(values, "format")),
            variant=_variant_field(values),
        )
        result = await run_fill(request, run_edit, edit, edit.engine, settings.max_pixels)
        return _image_reply(result)
    raise UnsupportedMediaType(
        f"Content-Type {content_type[:80] or 'none'!r} is not supported; send application/json "
        "or multipart/form-data"
    )
