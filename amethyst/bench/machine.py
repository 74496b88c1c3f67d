"""The machine a bench ran on, named in the report so figures can be compared fairly."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

from amethyst.cores import cpu_count


@dataclass(frozen=True)
class Machine:
    """CPU model, cores this process may use, and the load average when sampled."""

    cpu: str
    cores: int
    load_average: tuple[float, float, float] | None

    def describe(self) -> str:
        text = f"{self.cpu}, {self.cores} cores usable"
        if self.load_average is not None:
            text += f", load average {self.load_average[0]:.1f} (1 min)"
        return text


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown CPU"


def current_machine() -> Machine:
    """Describe this machine now."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return Machine(_cpu_model(), cpu_count(), load)
