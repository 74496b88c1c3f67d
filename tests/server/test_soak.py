"""The 60 s soak (64 clients, small and 12 MP photos) passes: no errors, RSS bounded."""

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "soak.py"


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_soak_has_no_errors_and_no_memory_growth():
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--clients", "64", "--seconds", "60"],
        capture_output=True,
        text=True,
        timeout=230,
    )
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
