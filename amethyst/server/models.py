"""Request and response bodies of the JSON API, validated by pydantic and shown in ``/docs``."""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from amethyst.server.error_responses import BadRequest

ModelT = TypeVar("ModelT", bound=BaseModel)
VARIANT_HELP = (
    "Which of the engine's different fills to give, for 'try another fill': 0 is its usual one; "
    "counted modulo the engine's number of variants (see /api/v1/engines)."
)
KEEP_OUT_HELP = (
    "Optional mask of pixels the fill copies nothing from: a person beside the one removed, "
    "whom the fill would otherwise draw on into the hole. They are kept as they are."
)
MAX_VARIANT = 2**31 - 1
Variant = Annotated[int, Field(ge=0, le=MAX_VARIANT, description=VARIANT_HELP)]
KeepOut = Annotated[
    str | None, Field(description=KEEP_OUT_HELP + " Base64, of the same size; nonzero = keep out.")
]
OutputFormat = Literal["png", "jpeg", "jpg", "webp", "PNG", "JPEG", "JPG", "WEBP"]


class CompleteImageRequest(BaseModel):
    """The original mobile client's request: strokes painted in magenta, or an explicit mask."""

    model_config = ConfigDict(extra="ignore")  # the original client may send more; keep it working

    img: str = Field(description="Base64 PNG, JPEG or WebP; a data:image/...;base64, prefix is ok.")
    mask: str | None = Field(
        default=None, description="Base64 PNG mask, nonzero = remove; replaces the strokes."
    )
    variant: Variant = 0
    keep_out: KeepOut = None


class CompleteImageResponse(BaseModel):
    predict: str = Field(description="Base64 result at the input's size and format.")


class InpaintRequest(BaseModel):
    """Fill what ``mask`` marks in ``image``."""

    model_config = ConfigDict(extra="forbid")

    image: str = Field(description="Base64 PNG, JPEG or WebP; a data: URL prefix is ok.")
    mask: str = Field(description="Base64 mask image of the same size; nonzero = remove.")
    keep_out: KeepOut = None
    engine: str | None = Field(
        default="auto", description="An engine from /api/v1/engines; auto or null: the default."
    )
    format: OutputFormat | None = Field(
        default=None, description="Output format; the input's format when left out."
    )
    variant: Variant = 0


class InpaintResponse(BaseModel):
    image: str = Field(description="Base64 result, same size as the input.")
    format: str = Field(description="PNG, JPEG or WEBP.")
    engine: str = Field(description="The engine that filled the hole.")
    width: int
    height: int
    elapsed_ms: float = Field(description="Time spent decoding, filling and encoding.")
    variant: int = Field(description="The fill given: the request's variant modulo variants.")
    variants: int = Field(description="How many different fills this engine gives.")
    notes: list[str] = Field(description="How the file was written, e.g. a JPEG fallback.")


class EngineInfo(BaseModel):
    name: str
    description: str
    variants: int = Field(description="How many different fills it gives one hole.")


class EnginesResponse(BaseModel):
    default: str = Field(description="The engine 'auto' means on this server.")
    engines: list[EngineInfo]


class HealthResponse(BaseModel):
    status: Literal["loading", "ready", "failed"]
    engines: list[str] = Field(description="Engines loaded and ready.")
    error: str | None = None
    threads: int
    capacity: int = Field(description="Fills that may run or wait at once before 503s.")
    admitted: int = Field(description="Requests holding a place now.")
    running: int = Field(description="Fills running now.")


class ErrorResponse(BaseModel):
    error: str
    request_id: str


def parse_body(model: type[ModelT], body: bytes) -> ModelT:
    """Validate a JSON body into ``model``, turning pydantic's errors into one clear line."""
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "json_invalid":
            raise BadRequest(f"the body is not valid JSON: {first['msg']}") from None
        if first["type"] in ("model_type", "model_attributes_type"):
            raise BadRequest("the body must be a JSON object") from None
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise BadRequest(f"field {where!r}: {first['msg']}") from None
