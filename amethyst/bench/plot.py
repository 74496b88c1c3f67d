"""The quality-against-time plot: where each engine sits between fast and faithful."""

from __future__ import annotations

from pathlib import Path

from amethyst.bench.quality import ALL_BINS, ALL_FAMILIES, QualitySummary


def write_plot(summaries: list[QualitySummary], ours: set[str], path: Path) -> None:
    """Plot hole PSNR, texture distance, seam and haze against median seconds per photo, one
    dot per engine (ours filled, peers hollow), as a PNG at ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    points = [
        s
        for s in summaries
        if s.bin == ALL_BINS and s.family == ALL_FAMILIES and s.median_seconds is not None
    ]
    figure, axes = plt.subplots(2, 2, figsize=(10, 8.4), constrained_layout=True)
    panels = (
        ("psnr", "hole PSNR (dB, higher is better)"),
        ("texture", "texture distance (lower is better)"),
        ("seam", "seam (lower is better)"),
        ("haze", "haze (lower is better)"),
    )
    for axis, (field, title) in zip(axes.flat, panels, strict=True):
        for index, summary in enumerate(points):
            value = getattr(summary, field)
            if value is None:  # haze of holes with no textured pixel inside
                continue
            mine = summary.engine in ours
            axis.scatter(
                summary.median_seconds,
                value,
                s=60,
                color="tab:purple" if mine else "none",
                edgecolors="tab:purple" if mine else "tab:gray",
                linewidths=1.5,
            )
            axis.annotate(
                summary.engine,
                (summary.median_seconds, value),
                textcoords="offset points",
                xytext=(6, 4 if index % 2 == 0 else -12),  # alternate: close dots stay legible
                fontsize=9,
            )
        axis.set_xscale("log")
        axis.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        axis.xaxis.set_minor_formatter(NullFormatter())
        axis.margins(0.25)
        axis.set_xlabel("median seconds per photo (log scale)")
        axis.set_title(title)
        axis.grid(True, alpha=0.3)
    figure.suptitle("Fill quality against time (filled: Amethyst's engines, hollow: peers)")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
