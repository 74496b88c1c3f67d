"""``scripts/load_bench.py --profile`` prints one edit's stage breakdown in one command."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "load_bench.py"


def test_profile_prints_every_stage_in_wall_and_cpu_ms():
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--profile", "--engine", "telea",
         "--workload", "512x512", "--repeats", "2"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    header, _, wall, cpu, fastest = run.stdout.splitlines()[1:6]
    for stage in ("decode", "holes", "fill", "paste", "encode", "total"):
        assert f" {stage} " in header
    for row in (wall, cpu, fastest):
        assert len(row.strip("|").split("|")) == len(header.strip("|").split("|"))
