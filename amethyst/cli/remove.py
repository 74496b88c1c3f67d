"""``amethyst remove`` and ``amethyst engines``: fill masked areas of photos from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import track

from amethyst.api import inpaint
from amethyst.engines import describe
from amethyst.errors import AmethystError, InvalidMask
from amethyst.imaging.holes import holes_for, read_mask
from amethyst.imaging.io import (
    DEFAULT_MAX_PIXELS,
    FORMAT_BY_SUFFIX,
    decode_image,
    encode_result,
)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=1)


def _default_output(photo: Path, folder: Path | None = None) -> Path:
    """``<stem>-amethyst.<ext>`` beside ``photo`` (or in ``folder``), as the web editor names it.

    A photo in a format Amethyst does not write (BMP, GIF, TIFF) gets a ``.png`` result.
    """
    suffix = photo.suffix if photo.suffix.lower() in FORMAT_BY_SUFFIX else ".png"
    return (folder or photo.parent) / f"{photo.stem}-amethyst{suffix}"


def _check_output_suffix(out: Path) -> None:
    """Fail unless ``out``'s extension names a format Amethyst writes (it decides the format)."""
    if out.suffix.lower() not in FORMAT_BY_SUFFIX:
        said = f"the extension {out.suffix!r}" if out.suffix else "no extension"
        raise _fail(
            f"cannot write {out}: it has {said}; use .png, .jpg, .jpeg or .webp, "
            "which also decide the format"
        )


def _find_mask(folder: Path, photo: Path) -> Path:
    """The mask in ``folder`` named like ``photo`` (any image suffix)."""
    for candidate in sorted(folder.glob(f"{photo.stem}.*")):
        if candidate.suffix.lower() in FORMAT_BY_SUFFIX or candidate.suffix.lower() in (".bmp",):
            return candidate
    raise InvalidMask(f"no mask named {photo.stem}.* in {folder}")


def _find_keep_out(folder: Path | None, photo: Path) -> Path | None:
    """The keep-out mask in ``folder`` named like ``photo``, if there is one."""
    if folder is None:
        return None
    try:
        return _find_mask(folder, photo)
    except InvalidMask:
        return None


def _remove_one(
    photo: Path,
    mask: Path | None,
    out: Path,
    engine: str,
    feather: int,
    max_pixels: int,
    variant: int,
    keep_out: Path | None = None,
) -> None:
    decoded = decode_image(photo, max_pixels=max_pixels)
    # A rotated photo's mask may come in its stored orientation: the note says which was used.
    holes = holes_for(decoded.image, mask, orientation=decoded.orientation, max_pixels=max_pixels)
    if holes.note:
        typer.echo(f"note: {photo.name}: {holes.note}")
    kept = None
    if keep_out is not None:
        read = read_mask(
            keep_out,
            decoded.image.size,
            orientation=decoded.orientation,
            max_pixels=max_pixels,
            name="keep_out",
        )
        kept = read.mask
    result = inpaint(
        decoded.image, holes.mask, engine, feather=feather, variant=variant, keep_out=kept
    )
    data = encode_result(result, decoded, holes.mask, FORMAT_BY_SUFFIX[out.suffix.lower()])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data.data)


def remove(
    photo: Annotated[Path, typer.Argument(help="A photo, or a folder of photos.")],
    mask: Annotated[
        Path | None,
        typer.Option("--mask", "-m", help="Mask image (nonzero = remove), or a folder of masks."),
    ] = None,
    strokes: Annotated[
        bool, typer.Option("--strokes", help="Take the mask from magenta strokes in the photo.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file (.png, .jpg, .jpeg or .webp: its extension picks the format) or "
            "folder. Default: <name>-amethyst.<ext> beside the photo.",
        ),
    ] = None,
    engine: Annotated[str, typer.Option("--engine", "-e", help="Engine name or 'auto'.")] = "auto",
    feather: Annotated[int, typer.Option(help="Blend the fill over N px inside the mask.")] = 0,
    variant: Annotated[
        int,
        typer.Option(
            min=0,
            help="Another of the engine's fills if the usual one (0) looks wrong: 1, 2, ... "
            "(PatchMatch engines give 4, gan 2; counted modulo that).",
        ),
    ] = 0,
    keep_out: Annotated[
        Path | None,
        typer.Option(
            "--keep-out",
            help="Mask of what the fill must copy nothing from (a person beside the one "
            "removed), or a folder of such masks named like the photos (each optional).",
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Allow writing over the input photo.")
    ] = False,
    max_pixels: Annotated[
        int, typer.Option(help="Refuse photos with more pixels than this.")
    ] = DEFAULT_MAX_PIXELS,
) -> None:
    """Remove what MASK marks (or magenta strokes mark) from PHOTO and write the result."""
    if (mask is None) == (not strokes):
        raise _fail("give exactly one of --mask or --strokes")
    if not photo.exists():
        raise _fail(f"{photo} does not exist")
    if mask is not None and not mask.exists():
        raise _fail(f"{mask} does not exist")
    if keep_out is not None and not keep_out.exists():
        raise _fail(f"{keep_out} does not exist")
    if photo.is_dir():
        if mask is not None and not mask.is_dir():
            raise _fail("when PHOTO is a folder, --mask must be a folder too")
        if keep_out is not None and not keep_out.is_dir():
            raise _fail("when PHOTO is a folder, --keep-out must be a folder too")
        out_dir = output or photo.with_name(f"{photo.name}-amethyst")
        if out_dir.resolve() == photo.resolve() and not overwrite:
            raise _fail("the output folder is the input folder; pass --overwrite to allow it")
        photos = sorted(p for p in photo.iterdir() if p.suffix.lower() in FORMAT_BY_SUFFIX)
        if not photos:
            raise _fail(f"no PNG, JPEG or WebP photos in {photo}")
        failures = 0
        for item in track(photos, description="Removing", transient=True):
            try:
                item_mask = _find_mask(mask, item) if mask is not None else None
                item_keep_out = _find_keep_out(keep_out, item)
                _remove_one(
                    item,
                    item_mask,
                    out_dir / item.name,
                    engine,
                    feather,
                    max_pixels,
                    variant,
                    item_keep_out,
                )
            except AmethystError as exc:
                failures += 1
                typer.echo(f"error: {item.name}: {exc}", err=True)
        typer.echo(f"{len(photos) - failures} of {len(photos)} photos written to {out_dir}")
        if failures:
            raise typer.Exit(code=1)
        return
    out = _default_output(photo, output) if output is None or output.is_dir() else output
    _check_output_suffix(out)
    if out.exists() and out.resolve() == photo.resolve() and not overwrite:
        raise _fail(f"refusing to overwrite the input {photo}; pass --overwrite to allow it")
    try:
        _remove_one(photo, mask, out, engine, feather, max_pixels, variant, keep_out)
    except AmethystError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"wrote {out}")


def engines() -> None:
    """List the installed engines, the one 'auto' picks first."""
    for line in describe():
        typer.echo(line)


def register(app: typer.Typer) -> None:
    """Add ``remove`` and ``engines`` to the command line."""
    app.command()(remove)
    app.command()(engines)
