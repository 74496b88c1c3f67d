"""``amethyst bench``: fill quality and speed of every engine, ours and the peers', on one set."""

from amethyst.bench.runner import BenchConfig, run_bench

__all__ = ["BenchConfig", "run_bench"]
