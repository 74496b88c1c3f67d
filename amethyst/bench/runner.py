"""Run the bench: every engine on every photo, then the speed probes, then the report."""

from __future__ import annotations

import hashlib
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import amethyst
from amethyst.bench.dataset import BenchError, build_cases
from amethyst.bench.machine import current_machine
from amethyst.bench.model_speed import ModelSpeed, measure_model_speed
from amethyst.bench.montage import write_montage
from amethyst.bench.plot import write_plot
from amethyst.bench.quality import QualityRecord, score_fill, summarize
from amethyst.bench.report import PEERS, BenchResult, role, write_csvs, write_markdown
from amethyst.bench.speed import DEFAULT_SIZES, SpeedRecord, measure_speed
from amethyst.engines import AUTO_PREFERENCE, registered
from amethyst.engines.gan import GanEngine
from amethyst.errors import AmethystError

MODELS = Path(amethyst.__file__).parent / "models"


@dataclass
class BenchConfig:
    """What to bench and where to write it; ``engines=None`` means every known engine."""

    photos: list[Path]
    root: Path
    source: str
    masks: Path | None = None
    count: int = 30
    seed: int = 0
    engines: list[str] | None = None
    out: Path = Path("bench-report")
    report: Path | None = None
    montage: int = 4
    speed_sizes: tuple[tuple[int, int], ...] = DEFAULT_SIZES
    speed_repeats: int = 3
    command: str = "amethyst bench"
    files: dict[str, Path] = field(default_factory=dict)


def select_engines(requested: list[str] | None) -> tuple[list[str], dict[str, str]]:
    """The engines to run (ours first, in ``auto``'s order) and the missing ones with why."""
    known = registered()
    names = requested or sorted({*known, *PEERS})
    unknown = [n for n in names if n not in known and n not in PEERS]
    if unknown:
        raise BenchError(
            f"unknown engine {unknown[0]!r}; known: {', '.join(sorted({*known, *PEERS}))}"
        )
    rank = {name: i for i, name in enumerate(AUTO_PREFERENCE)}
    names = sorted(dict.fromkeys(names), key=lambda n: (role(n) == "peer", rank.get(n, 99), n))
    run = [n for n in names if n in known and known[n].is_available()]
    missing = {
        n: "its package or model file is not installed" if n in known else "no engine module"
        for n in names
        if n not in run
    }
    return run, missing


def _git_commit() -> str | None:
    """The checkout's commit, marked when ``amethyst/`` has uncommitted changes."""
    package = Path(amethyst.__file__).parent

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=package, capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return None
    if git("status", "--porcelain", "--", "."):
        return f"{commit}, with uncommitted changes in amethyst/"
    return commit


def _model_files() -> list[str]:
    """Each shipped model file with its size and hash prefix: which weights were benched."""
    described = []
    for path in sorted(MODELS.glob("*.onnx")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        described.append(f"`{path.name}` ({path.stat().st_size / 2**20:.1f} MiB, sha256 {digest})")
    return described


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
    )


def run_bench(config: BenchConfig, show_progress: bool = True) -> BenchResult:
    """Run the whole bench and write every output; returns what was measured."""
    engines, missing = select_engines(config.engines)
    if not engines:
        raise BenchError("none of the requested engines is installed")
    cases = build_cases(config.photos, config.root, config.masks, config.count, config.seed)
    machine_start = current_machine()
    commit, models = _git_commit(), _model_files()  # before running: code may change meanwhile
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    records: list[QualityRecord] = []
    montage_rows = []
    skipped: dict[str, str] = {}
    speed: list[SpeedRecord] = []
    model_speed: list[ModelSpeed] = []
    with _progress(show_progress) as progress:
        fills = progress.add_task("quality", total=len(cases) * len(engines))
        for index, case in enumerate(cases):
            try:
                rgb, mask = case.load(config.seed, index, config.masks)
            except AmethystError as exc:
                skipped[case.name] = str(exc)
                progress.advance(fills, len(engines))
                continue
            outputs: dict[str, np.ndarray | None] = {}
            for engine in engines:
                mask_name = Path(case.mask_source).name
                record, output = score_fill(engine, case.name, mask_name, rgb, mask, case.family)
                records.append(record)
                outputs[engine] = output
                progress.advance(fills)
            if len(montage_rows) < config.montage:
                montage_rows.append((rgb, mask, outputs))
        if not records:
            raise BenchError("no photo of the evaluation set could be loaded")
        if config.speed_sizes:
            speed_photo = next(c.photo for c in cases if c.name not in skipped)
            timing = progress.add_task("speed", total=len(engines) * len(config.speed_sizes))
            for engine in engines:
                for width, height in config.speed_sizes:
                    speed.append(
                        measure_speed(engine, speed_photo, width, height, config.speed_repeats)
                    )
                    progress.advance(timing)
            if "gan" in engines:
                model_speed = [measure_model_speed(GanEngine.model_path)]
    if _model_files() != models:
        models.append("**a model file changed while this ran**, so its figures mix two models")
    result = BenchResult(
        command=config.command,
        started=started.strftime("%Y-%m-%d %H:%M UTC"),
        seconds=time.perf_counter() - clock,
        version=amethyst.__version__,
        commit=commit,
        machine_start=machine_start,
        machine_end=current_machine(),
        evaluation_set=_describe_set(config, len(cases)),
        engines=engines,
        missing=missing,
        records=records,
        summaries=summarize(records, engines),
        speed=speed,
        skipped=skipped,
        models=models,
        model_speed=model_speed,
    )
    out = config.out
    files = write_csvs(result, out)
    files["montage"] = out / "montage.png"
    files["plot"] = out / "quality_vs_time.png"
    write_montage(montage_rows, engines, files["montage"])
    write_plot(result.summaries, {e for e in engines if role(e) != "peer"}, files["plot"])
    files["report"] = config.report or out / "report.md"
    write_markdown(result, files["report"], files)
    config.files = files
    return result


def _describe_set(config: BenchConfig, chosen: int) -> str:
    text = (
        f"{chosen} of the {len(config.photos)} photos of {config.source}, drawn with seed "
        f"{config.seed}; "
    )
    if config.masks is not None:
        return text + f"masks from `{config.masks}`."
    return text + (
        f"masks generated from seed {config.seed}, strokes and objects in turn: LaMa's thin, "
        "medium and thick stroke recipes, stratified so each hole-size bin from 1–10% to "
        "50–60% gets the same number of photos, and object shapes (blobs, person silhouettes, "
        "boxes; about a third running off the frame's edge), stratified over 2–10%, 10–20% and "
        "20–30%."
    )
