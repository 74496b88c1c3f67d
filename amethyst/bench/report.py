"""Write a bench's results: CSV files and the Markdown report that links the images."""

from __future__ import annotations

import csv
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from amethyst.bench.dataset import BIN_LABELS
from amethyst.bench.machine import Machine
from amethyst.bench.model_speed import ModelSpeed
from amethyst.bench.quality import ALL_BINS, ALL_FAMILIES, QualityRecord, QualitySummary
from amethyst.bench.speed import SpeedRecord

PEERS = {
    "telea": "OpenCV Telea (fast marching)",
    "ns": "OpenCV Navier–Stokes",
    "patchmatch": "PatchMatch (pypatchmatch)",
}


def role(engine: str) -> str:
    """``peer`` for the tools a user would pick instead of Amethyst, else ``amethyst``."""
    return "peer" if engine in PEERS else "amethyst"


@dataclass
class BenchResult:
    """Everything one bench run measured, and what it needs to be reported faithfully."""

    command: str
    started: str
    seconds: float
    version: str
    commit: str | None
    machine_start: Machine
    machine_end: Machine
    evaluation_set: str
    engines: list[str]
    missing: dict[str, str]
    records: list[QualityRecord]
    summaries: list[QualitySummary]
    speed: list[SpeedRecord]
    skipped: dict[str, str] = field(default_factory=dict)
    models: list[str] = field(default_factory=list)
    model_speed: list[ModelSpeed] = field(default_factory=list)


def _number(value: float | None, digits: int) -> str:
    if value is None:
        return "–"
    if math.isinf(value):
        return "∞"
    return f"{value:.{digits}f}"


def write_csvs(result: BenchResult, out: Path) -> dict[str, Path]:
    """``quality.csv`` (per engine and bin), ``per_photo.csv`` and ``speed.csv`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "quality.csv": [
            {"engine": s.engine, "role": role(s.engine), **asdict(s)} for s in result.summaries
        ],
        "per_photo.csv": [{**asdict(r), "bin": r.bin} for r in result.records],
        "speed.csv": [{**asdict(r), "role": role(r.engine)} for r in result.speed],
    }
    paths = {}
    for name, rows in tables.items():
        path = out / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            if rows:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        paths[name] = path
    return paths


def _link(target: Path, report: Path) -> str:
    return Path(os.path.relpath(target.resolve(), report.resolve().parent)).as_posix()


def _quality_rows(summaries: list[QualitySummary], first: str | None = None) -> list[str]:
    """Table rows, led by each summary's ``first`` field (``family`` or ``bin``) when given."""
    rows = []
    for s in summaries:
        cells = [f"`{s.engine}`", role(s.engine)]
        if first is not None:
            cells.insert(0, getattr(s, first))
        cells += [
            str(s.photos),
            str(s.failures),
            _number(s.psnr, 2),
            _number(s.ssim, 3),
            _number(s.l1, 4),
            _number(s.texture, 3),
            _number(s.seam, 2),
            _number(s.haze, 2),
            _number(s.median_seconds, 3),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


QUALITY_HEADER = (
    "| engine | role | photos | failures | hole PSNR (dB) ↑ | hole SSIM ↑ | hole L1 ↓ "
    "| texture distance ↓ | seam ↓ | haze ↓ | median s/photo |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def _led_header(label: str) -> str:
    """The quality header with a first column ``label``."""
    return f"| {label} |" + QUALITY_HEADER[1:].replace("|---|", "|---|---|", 1)


def _family_section(result: BenchResult) -> list[str]:
    """The quality table per mask family (strokes, objects), when the set mixes them."""
    by_family = [s for s in result.summaries if s.family != ALL_FAMILIES and s.bin == ALL_BINS]
    if not by_family:
        return []
    by_family.sort(key=lambda s: (s.family != "strokes", s.family, result.engines.index(s.engine)))
    return [
        "## Quality by mask family",
        "",
        "Strokes: LaMa's thin, medium and thick brush strokes (1–60% of the photo). Objects: one "
        "blob, person silhouette or box (2–30%), some running off the frame's edge.",
        "",
        _led_header("mask family"),
        *_quality_rows(by_family, "family"),
        "",
    ]


def _speed_table(result: BenchResult) -> list[str]:
    sizes = sorted({(r.width, r.height) for r in result.speed}, key=lambda s: s[0] * s[1])
    if not sizes:
        return ["Speed was not measured in this run."]
    header = "| engine |"
    rule = "|---|"
    for width, height in sizes:
        label = f"{width}x{height}"
        if width * height >= 10_000_000:
            label += f" ({width * height / 1e6:.0f} MP)"
        header += f" {label}: median s (min–max) | first call s | peak MiB |"
        rule += "---:|---:|---:|"
    lines = [header, rule]
    for engine in result.engines:
        cells = [f"`{engine}`"]
        for width, height in sizes:
            record = next(
                (
                    r
                    for r in result.speed
                    if r.engine == engine and (r.width, r.height) == (width, height)
                ),
                None,
            )
            if record is None or record.error is not None:
                cells += ["failed" if record else "–", "–", "–"]
                continue
            cells += [
                f"{record.median_seconds:.3f} ({record.min_seconds:.3f}–{record.max_seconds:.3f})",
                f"{record.first_seconds:.3f}",
                _number(record.peak_mib, 0),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _model_speed_lines(result: BenchResult) -> list[str]:
    """The GAN network timed alone, when it was (its 60 ms budget is for the network)."""
    return [
        f"The GAN network alone (`{m.model}` through ONNX Runtime, no pipeline, one "
        f"{m.size}x{m.size} input, {m.runs} runs after warm-up): median **{m.median_ms:.1f} ms** "
        f"({m.min_ms:.1f}–{m.max_ms:.1f} ms)."
        for m in result.model_speed
    ]


def _load_note(result: BenchResult) -> str:
    start, end = result.machine_start, result.machine_end
    if start.load_average is None or end.load_average is None:
        return ""
    note = (
        f" The 1-minute load average was {start.load_average[0]:.1f} when the run started and "
        f"{end.load_average[0]:.1f} when it ended, on {start.cores} cores"
    )
    if start.load_average[0] >= 0.5:
        return note + (
            ": other jobs shared the CPU, so times are slower and noisier than on an idle machine."
        )
    return note + "."


def write_markdown(
    result: BenchResult, report: Path, files: dict[str, Path], title: str = "Amethyst benchmarks"
) -> None:
    """Write the Markdown report at ``report``, linking the CSVs and images in ``files``."""
    all_bins = [s for s in result.summaries if s.bin == ALL_BINS and s.family == ALL_FAMILIES]
    by_bin = sorted(
        (s for s in result.summaries if s.bin != ALL_BINS),
        key=lambda s: (BIN_LABELS.index(s.bin), result.engines.index(s.engine)),
    )
    montage, plot = _link(files["montage"], report), _link(files["plot"], report)
    commit = f" (git `{result.commit}`)" if result.commit else ""
    lines = [
        f"# {title}",
        "",
        "Fill quality and speed of every Amethyst engine beside the tools a user would pick "
        "instead, on the same photos and holes, every fill made through `amethyst.inpaint`.",
        "",
        "Made by:",
        "",
        "```sh",
        result.command,
        "```",
        "",
        f"- **When**: {result.started}, {result.seconds:.0f} s; amethyst {result.version}{commit}.",
        f"- **Machine**: {result.machine_start.cpu}, {result.machine_start.cores} cores usable."
        + _load_note(result),
        f"- **Evaluation set**: {result.evaluation_set}",
        "- **Engines**: " + ", ".join(f"`{e}` ({role(e)})" for e in result.engines) + ".",
    ]
    if result.missing:
        lines.append(
            "- **Missing** (not installed here, so not run): "
            + "; ".join(f"`{e}`: {why}" for e, why in result.missing.items())
            + "."
        )
    if result.models:
        lines.append("- **Model files**: " + "; ".join(result.models) + ".")
    if result.skipped:
        lines.append(
            "- **Skipped photos**: "
            + "; ".join(f"{name}: {why}" for name, why in result.skipped.items())
            + "."
        )
    lines += [
        "",
        "## Quality, all holes",
        "",
        QUALITY_HEADER,
        *_quality_rows(all_bins),
        "",
        *_family_section(result),
        "## Quality by hole size (share of the photo covered by the hole)",
        "",
        _led_header("hole size"),
        *_quality_rows(by_bin, "bin"),
        "",
        "## Speed and memory",
        "",
        "Each engine fills an off-centre ellipse covering about 5% of the frame (an object to "
        "remove) in a validation photo resized to each size, through `amethyst.inpaint`.",
        "",
        *_speed_table(result),
        "",
        *(line for sentence in _model_speed_lines(result) for line in (sentence, "")),
        "## Fills side by side",
        "",
        f"![Input with the hole tinted, then each engine's fill]({montage})",
        "",
        "## Quality against time",
        "",
        f"![Hole PSNR, texture distance, seam and haze against seconds per photo]({plot})",
        "",
        "## How it is measured",
        "",
        "- Every score looks at hole pixels only (outside the hole the output is the original, "
        "bit for bit). Hole PSNR and L1 (0–1 scale) compare the fill with the original pixels; "
        "hole SSIM is the mean of the SSIM map (Gaussian window, σ = 1.5) over the hole.",
        "- Texture distance is the 1-D Wasserstein distance between the distributions of "
        "log(1 + |Sobel gradient|) of the grayscale output and original inside the hole: 0 means "
        "the same gradient statistics; a smooth smear of a textured hole scores about 1 or more.",
        "- Seam: edges the fill adds where it meets the photo. Over a 3 px ring on the hole's "
        "border (the mask dilated by 1 px minus the mask eroded by 2 px), the mean of "
        "max(0, |∇output| − |∇original|), with |∇| the Sobel magnitude of the grey image divided "
        "by 8 (grey levels per pixel): 0 means no edge the photo lacks.",
        "- Haze: contrast the fill loses. Over pixels at least 3 px inside the hole where the "
        "original's 15x15 local standard deviation of grey levels exceeds 2, 1 − the median of "
        "std(output) / std(original), clipped at 0: 0 keeps the photo's contrast, 1 is flat. "
        "A hole with no such pixel has no haze score and is left out of the haze mean.",
        "- A failure is any exception an engine raises on a photo; failed fills are left out of "
        "the means and counted instead.",
        "- Median s/photo is the time of the whole `amethyst.inpaint` call on the evaluation "
        "photo, at its own size.",
        "- Speed: one fresh process per engine and size; a first call (which loads the engine) "
        "is reported apart, then the median, min and max of the timed calls. Peak MiB is the "
        "process's peak resident set size over all these calls (Linux `VmHWM`, reset just "
        "before the first call) minus its resident size then, inputs already in memory: what "
        "the engine, its model and the pipeline add.",
        "- Raw numbers: "
        + ", ".join(
            f"[{name}]({_link(path, report)})"
            for name, path in files.items()
            if name.endswith(".csv")
        )
        + ".",
        "",
    ]
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("\n".join(lines), encoding="utf-8")
