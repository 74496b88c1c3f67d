"""``amethyst bench``: fill quality and speed of every engine, ours and the peers', on one set;
blind side-by-side sheets of two engines' fills, and the tally of a reviewer's answers."""

from amethyst.bench.runner import BenchConfig, run_bench
from amethyst.bench.sheets import SheetCase, write_pair_sheets

__all__ = ["BenchConfig", "SheetCase", "run_bench", "write_pair_sheets"]
