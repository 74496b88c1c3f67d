"""``amethyst bench``: fill quality and speed of every engine, ours and the peers', side by side."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from amethyst.evaluation.split import DEFAULT_DATA

if TYPE_CHECKING:
    from amethyst.bench import BenchConfig


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise typer.BadParameter(f"expected WIDTHxHEIGHT, got {text!r}") from None
    if width < 16 or height < 16:
        raise typer.BadParameter(f"a speed size must be at least 16x16, got {text!r}")
    return width, height


def bench(
    photos: Annotated[
        Path | None,
        typer.Option(help="Folder of photos. Default: the validation split of the shared data."),
    ] = None,
    masks: Annotated[
        Path | None,
        typer.Option(help="Folder of masks named like the photos. Default: generated from --seed."),
    ] = None,
    count: Annotated[int, typer.Option(help="How many photos to draw from the set.")] = 30,
    seed: Annotated[int, typer.Option(help="Seed for drawing photos and generating masks.")] = 0,
    engines: Annotated[
        list[str] | None,
        typer.Option("--engine", "-e", help="Engine to bench (repeatable). Default: all known."),
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Folder for the CSV files, the montage and the plot.")
    ] = Path("bench-report"),
    report: Annotated[
        Path | None, typer.Option(help="Markdown report path. Default: OUT/report.md.")
    ] = None,
    montage: Annotated[int, typer.Option(min=1, help="Photos shown in the montage.")] = 4,
    speed_size: Annotated[
        list[str] | None,
        typer.Option(help="Photo size WIDTHxHEIGHT for the speed test (repeatable)."),
    ] = None,
    speed_repeats: Annotated[int, typer.Option(help="Timed calls per engine and size.")] = 3,
    speed: Annotated[bool, typer.Option(help="Measure speed and memory.")] = True,
    pairs: Annotated[
        str | None,
        typer.Option(
            metavar="X,Y",
            help="Instead of the report: blind side-by-side sheets (input with the hole grey, "
            "A, B) of engines X and Y, one per photo, in OUT/sheets (give reviewers this folder "
            "only); which is A and B in OUT/key.json. auto stands for the engine it picks; "
            "ENGINE@N for the engine's fill N (auto,auto@1: its usual fill against the next).",
        ),
    ] = None,
    tally: Annotated[
        list[Path] | None,
        typer.Option(
            metavar="ANSWERS",
            help="Instead of the report: tally reviewers' answers (sheet,answer with A, B or "
            "tie, as in OUT/sheets/answers.csv; repeat for several reviewers) against --key and "
            "print each engine's win rate.",
        ),
    ] = None,
    key: Annotated[
        Path | None, typer.Option(help="The key of the sheets that --tally's answers judge.")
    ] = None,
) -> None:
    """Fill the same holes with every engine; write quality, speed, a montage and a plot.

    With --pairs X,Y write blind side-by-side sheets instead; with --tally ANSWERS --key KEY
    count a reviewer's preferences.
    """
    if tally:
        _tally(tally, key)
        return
    try:  # check the extra's packages now, not after minutes of filling (matplotlib is last)
        import matplotlib  # noqa: F401

        from amethyst.bench import BenchConfig, run_bench
        from amethyst.bench.dataset import list_folder
    except ImportError as exc:
        typer.echo(f"error: {exc}; install the extra: pip install 'amethyst[bench]'", err=True)
        raise typer.Exit(code=1) from None
    from amethyst.bench.speed import DEFAULT_SIZES
    from amethyst.errors import AmethystError
    from amethyst.evaluation.split import split_photos

    if count < 1 or montage < 0 or speed_repeats < 1:
        raise typer.BadParameter("--count and --speed-repeats must be at least 1, --montage >= 0")
    sizes = tuple(_size(s) for s in speed_size) if speed_size else DEFAULT_SIZES
    try:
        if photos is None:
            if not DEFAULT_DATA.is_dir():
                raise typer.BadParameter(f"no --photos given and {DEFAULT_DATA} does not exist")
            root, chosen = DEFAULT_DATA, split_photos(DEFAULT_DATA)[1]
            source = f"the validation split of `{DEFAULT_DATA.name}/` (never used in training)"
        else:
            root, chosen, source = photos, list_folder(photos), f"`{photos}`"
        if pairs is not None:
            _pairs(pairs, engines, chosen, root, masks, count, seed, out)
            return
        config = BenchConfig(
            photos=chosen,
            root=root,
            source=source,
            masks=masks,
            count=count,
            seed=seed,
            engines=engines,
            out=out,
            report=report,
            montage=montage,
            speed_sizes=sizes if speed else (),
            speed_repeats=speed_repeats,
        )
        config.command = _command(config, photos, speed_size)
        run_bench(config)
    except AmethystError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"wrote {config.files['report']} and {len(config.files) - 1} files in {out}")


def _tally(answers: list[Path], key: Path | None) -> None:
    """Print how often each engine won on the sheets that the ``answers`` files judged."""
    from amethyst.bench.tally import describe, read_answers, read_key
    from amethyst.bench.tally import tally as count_wins
    from amethyst.errors import AmethystError

    if key is None:
        raise typer.BadParameter("--tally needs --key, the key.json written beside the sheets")
    try:
        typer.echo(describe(count_wins([read_answers(path) for path in answers], read_key(key))))
    except AmethystError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None


def _pairs(
    text: str,
    engines: list[str] | None,
    photos: list[Path],
    root: Path,
    masks: Path | None,
    count: int,
    seed: int,
    out: Path,
) -> None:
    """Write the blind sheets of the two engines in ``text`` (``X,Y``) and their key."""
    from amethyst.bench.pairs import parse_pair, run_pairs

    if engines:
        raise typer.BadParameter("--pairs names its two engines; leave out --engine")
    done = run_pairs(photos, root, masks, count, seed, parse_pair(text), out)
    for name, why in done.skipped.items():
        typer.echo(f"skipped {name}: {why}", err=True)
    typer.echo(
        f"wrote {len(done.sheets)} sheets, answers.csv and README.txt in {done.sheets_dir} "
        f"(give reviewers this folder only) and the key in {done.key}"
    )


def _command(config: BenchConfig, photos: Path | None, speed_size: list[str] | None) -> str:
    """The full command line that repeats this run, every choice spelled out."""
    args = ["amethyst", "bench"]
    if photos is not None:
        args += ["--photos", str(photos)]
    if config.masks is not None:
        args += ["--masks", str(config.masks)]
    args += ["--count", str(config.count), "--seed", str(config.seed)]
    for engine in config.engines or []:
        args += ["--engine", engine]
    args += ["--out", str(config.out)]
    if config.report is not None:
        args += ["--report", str(config.report)]
    args += ["--montage", str(config.montage)]
    if not config.speed_sizes:
        args.append("--no-speed")
    else:
        for size in speed_size or []:
            args += ["--speed-size", size]
        args += ["--speed-repeats", str(config.speed_repeats)]
    return shlex.join(args)


def register(app: typer.Typer) -> None:
    """Add ``bench`` to the command line."""
    app.command()(bench)
