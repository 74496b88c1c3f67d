"""Without Debian's Chromium the browser tests skip for one reason, unless asked for.

`.ci/run` asks for them (AMETHYST_REQUIRE_BROWSER=1), so CI fails if they cannot run, and then
runs the README's test command, unchanged.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.web.conftest import REQUIRE_BROWSER

ROOT = Path(__file__).resolve().parents[2]
# Runs pytest with the browser tests' Chromium path pointing nowhere.
PYTEST_WITHOUT_CHROMIUM = """
import sys
import pytest
import tests.web.conftest
tests.web.conftest.CHROMIUM = "/nonexistent/chromium"
sys.exit(pytest.main(sys.argv[1:]))
"""


def desktop_tests_without_chromium(require: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != REQUIRE_BROWSER}
    if require is not None:
        env[REQUIRE_BROWSER] = require
    return subprocess.run(
        [sys.executable, "-c", PYTEST_WITHOUT_CHROMIUM, "-q", "-p", "no:cacheprovider"]
        + ["tests/web/test_desktop_editor.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_without_chromium_the_browser_tests_skip_with_one_reason() -> None:
    run = desktop_tests_without_chromium(require=None)
    assert run.returncode == 0, run.stdout + run.stderr
    skipped = re.search(r"\b(\d+) skipped\b", run.stdout)
    assert skipped and int(skipped[1]) > 1, run.stdout
    why = f"{skipped[1]} browser tests skipped: no Chromium at /nonexistent/chromium"
    assert [line for line in run.stdout.splitlines() if "Chromium" in line] == [
        f"{why} (Debian: apt-get install chromium)"
    ], run.stdout


def test_when_required_the_browser_tests_fail_without_chromium() -> None:
    run = desktop_tests_without_chromium(require="1")
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(r"\b\d+ errors\b", run.stdout) and " passed" not in run.stdout, run.stdout
    assert f"{REQUIRE_BROWSER}=1 but the browser tests cannot run" in run.stdout


def test_ci_requires_the_browser_tests_and_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```bash\n", 1)[1].split("```", 1)[0]
    command = first_block.splitlines()[1].split("#", 1)[0].strip()
    assert command == "pip install -e '.[dev,train,bench]' && python -m pytest -q"
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert command in ci, "the CI script must run the README's test command, unchanged"
    assert f"export {REQUIRE_BROWSER}=1" in ci[: ci.index(command)]
