"""Soak test of ``amethyst serve``: 64 clients for 60 s, small and 12 MP photos, RSS over time.

Starts its own server on loopback (``--engine``, default auto) and drives it with closed-loop
clients; about one request in ten is a 12 MP photo. Clients wait out each 503 as its
``Retry-After`` says. Prints req/s, p50/p99 per photo size, errors and 503s, and the server's
RSS every few seconds. Exits 1 if any request failed (a 503 is not a failure) or if RSS grew
after warm-up: the peak of the last half may not exceed the peak of the first half (after
the warm-up) by more than ``--rss-slack-mb``.

Usage: python scripts/soak.py [--clients 64] [--seconds 60] [--engine auto]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_bench import Stats, Workload, make_workload, send, start_server, stop_server  # noqa: E402


def rss_mb(process: psutil.Process) -> float:
    """Resident memory of the server and its worker processes, in MB."""
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 1e6


async def soak(
    url: str,
    server: psutil.Process,
    workloads: list[Workload],
    weights: list[float],
    clients: int,
    seconds: float,
    sample_s: float,
) -> tuple[dict[str, Stats], list[tuple[float, float]]]:
    """Drive the server; return stats per workload and (time, RSS MB) samples."""
    stats = {workload.name: Stats() for workload in workloads}
    samples: list[tuple[float, float]] = []
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    deadline = started + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            workload = workloads[rng.choice(len(workloads), p=weights)]
            await send(client, url, workload, stats[workload.name])

    async def sampler() -> None:
        while time.perf_counter() < deadline:
            samples.append((time.perf_counter() - started, rss_mb(server)))
            await asyncio.sleep(sample_s)

    async with httpx.AsyncClient(timeout=600, limits=limits) as client:
        await asyncio.gather(sampler(), *(client_loop(client) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    for item in stats.values():
        item.seconds = elapsed
    samples.append((elapsed, rss_mb(server)))
    return stats, samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--large-share", type=float, default=0.1, help="share of 12 MP requests")
    parser.add_argument("--warmup-s", type=float, default=15.0)
    parser.add_argument("--sample-s", type=float, default=1.0)
    parser.add_argument("--rss-slack-mb", type=float, default=64.0)
    parser.add_argument("--log", type=Path, help="write the server's log here")
    args = parser.parse_args()
    workloads = [make_workload("512x512"), make_workload("12MP")]
    weights = [1 - args.large_share, args.large_share]
    process, url = start_server("--engine", args.engine, log_path=args.log)
    try:
        engine = httpx.get(f"{url}/api/v1/engines").json()["default"]
        health = httpx.get(f"{url}/healthz").json()
        print(
            f"server {url}: engine {engine}, {health['threads']} fill threads, "
            f"{health['capacity']} places; {args.clients} clients for {args.seconds:g} s"
        )
        stats, samples = asyncio.run(
            soak(
                url,
                psutil.Process(process.pid),
                workloads,
                weights,
                args.clients,
                args.seconds,
                args.sample_s,
            )
        )
    finally:
        stop_server(process)
    print("| photo | ok | req/s | p50 ms | p99 ms | 503s | errors |")
    print("|---|---|---|---|---|---|---|")
    errors = 0
    for name, item in stats.items():
        row = item.summary()
        errors += row["errors"]
        print(
            f"| {name} | {row['ok']} | {row['req_s']:.2f} | {row['p50_ms']:.0f} | "
            f"{row['p99_ms']:.0f} | {row['busy_503']} | {row['errors']} |"
        )
        for error in item.errors[:5]:
            print(f"  error: {error}")
    total_ok = sum(len(item.latencies_s) for item in stats.values())
    print(f"total: {total_ok} ok, {total_ok / samples[-1][0]:.2f} req/s, {errors} errors")
    print(
        "RSS (s: MB): "
        + ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb in samples[:: max(1, int(5 / args.sample_s))])
    )
    after = [(t, mb) for t, mb in samples if t >= args.warmup_s]
    middle = after[0][0] + (after[-1][0] - after[0][0]) / 2
    first = max(mb for t, mb in after if t <= middle)
    last = max(mb for t, mb in after if t > middle)
    grew = last > first + args.rss_slack_mb
    print(
        f"RSS after {args.warmup_s:g} s warm-up: peak {first:.0f} MB in the first half, "
        f"{last:.0f} MB in the second ({'GREW' if grew else 'bounded'})"
    )
    return 1 if errors or grew else 0


if __name__ == "__main__":
    sys.exit(main())
