"""Load benchmark of ``amethyst serve``: req/s and p50/p99 latency per photo size and concurrency.

Starts its own server on a free loopback port (or targets ``--url``) and drives it with
closed-loop clients sending the multipart form, as the web editor does. Workloads: a 512x512
photo with a 40 px-radius object, and a 12 MP (4000x3000) photo with a 100 px-radius object.
The photos are the bundled example, scaled, with sensor-like noise so JPEG sizes are realistic.

Usage: python scripts/load_bench.py [--engine auto] [--seconds 20] [--concurrency 1 4 16]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import httpx
import numpy as np
from PIL import Image

import amethyst

EXAMPLE = Path(amethyst.__file__).parent / "examples" / "rocket.jpg"
WORKLOADS = {"512x512": ((512, 512), 40), "12MP": ((4000, 3000), 100)}


@dataclass
class Workload:
    """One request body (multipart form) and what it holds."""

    name: str
    body: bytes
    content_type: str
    photo_bytes: int


@dataclass
class Stats:
    """Outcome of one run: latencies of successes and counts of everything else."""

    seconds: float = 0.0
    latencies_s: list[float] = field(default_factory=list)
    busy: int = 0  # designed 503s
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        ok = np.asarray(self.latencies_s or [np.nan]) * 1000
        return {
            "ok": len(self.latencies_s),
            "req_s": len(self.latencies_s) / self.seconds if self.seconds else 0.0,
            "p50_ms": float(np.percentile(ok, 50)),
            "p99_ms": float(np.percentile(ok, 99)),
            "busy_503": self.busy,
            "errors": len(self.errors),
        }


def make_workload(name: str, seed: int = 0) -> Workload:
    """The photo of ``WORKLOADS[name]`` as JPEG and its disc mask as PNG, in a multipart form."""
    (width, height), radius = WORKLOADS[name]
    photo = Image.open(EXAMPLE).convert("RGB").resize((width, height), Image.Resampling.BICUBIC)
    noise = np.random.default_rng(seed).normal(0, 3, (height, width, 3))
    pixels = np.clip(np.asarray(photo, np.float32) + noise, 0, 255).astype(np.uint8)
    jpeg = io.BytesIO()
    Image.fromarray(pixels).save(jpeg, "JPEG", quality=92)
    mask = np.zeros((height, width), np.uint8)
    cv2.circle(mask, (width * 2 // 3, height // 2), radius, 255, -1)
    png = io.BytesIO()
    Image.fromarray(mask).save(png, "PNG")
    request = httpx.Request(
        "POST",
        "http://bench/api/v1/inpaint",
        files={
            "image": ("photo.jpg", jpeg.getvalue(), "image/jpeg"),
            "mask": ("mask.png", png.getvalue(), "image/png"),
        },
    )
    return Workload(name, request.read(), request.headers["content-type"], len(jpeg.getvalue()))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(*serve_args: str, log_path: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``amethyst serve`` on a free port; return the process and URL once it is ready."""
    port = free_port()
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 - lives with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "amethyst.cli.main", "serve", "--port", str(port), *serve_args],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"amethyst serve exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("amethyst serve was not ready within 120 s")


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()


async def send(client: httpx.AsyncClient, url: str, workload: Workload, stats: Stats) -> None:
    """One request; record its latency, a designed 503 (then wait as told), or an error."""
    started = time.perf_counter()
    try:
        reply = await client.post(
            f"{url}/api/v1/inpaint",
            content=workload.body,
            headers={"Content-Type": workload.content_type},
        )
    except httpx.HTTPError as exc:
        stats.errors.append(f"{type(exc).__name__}: {exc}")
        return
    if reply.status_code == 200 and reply.headers["content-type"] == "image/jpeg":
        stats.latencies_s.append(time.perf_counter() - started)
    elif reply.status_code == 503:
        stats.busy += 1
        await asyncio.sleep(float(reply.headers.get("retry-after", "1")))
    else:
        stats.errors.append(f"{reply.status_code}: {reply.text[:200]}")


async def run_level(
    url: str, workloads: list[Workload], weights: list[float], clients: int, seconds: float
) -> Stats:
    """``clients`` closed-loop clients for ``seconds``, each picking a workload by ``weights``."""
    stats = Stats()
    deadline = time.perf_counter() + seconds
    rng = np.random.default_rng(clients)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=600, limits=limits) as client:

        async def loop() -> None:
            while time.perf_counter() < deadline:
                workload = workloads[rng.choice(len(workloads), p=weights)]
                await send(client, url, workload, stats)

        started = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(clients)))
        stats.seconds = time.perf_counter() - started
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an already running server (default: start one)")
    parser.add_argument("--engine", default="auto", help="engine of the started server")
    parser.add_argument("--seconds", type=float, default=20.0, help="per workload and level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    args = parser.parse_args()
    process = None
    url = args.url
    if url is None:
        process, url = start_server("--engine", args.engine)
    try:
        health = httpx.get(f"{url}/healthz").json()
        engine = httpx.get(f"{url}/api/v1/engines").json()["default"]
        print(
            f"server {url}: engine {engine}, {health['threads']} fill threads, "
            f"{os.cpu_count()} CPUs here; {args.seconds:g} s per row"
        )
        print("| photo | JPEG size | clients | ok | req/s | p50 ms | p99 ms | 503s | errors |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name in args.workloads:
            workload = make_workload(name)
            for clients in args.concurrency:
                stats = asyncio.run(run_level(url, [workload], [1.0], clients, args.seconds))
                row = stats.summary()
                print(
                    f"| {name} | {workload.photo_bytes / 1e6:.2f} MB | {clients} | {row['ok']} | "
                    f"{row['req_s']:.2f} | {row['p50_ms']:.0f} | {row['p99_ms']:.0f} | "
                    f"{row['busy_503']} | {row['errors']} |",
                    flush=True,
                )
                for error in stats.errors[:3]:
                    print(f"  error: {error}")
    finally:
        if process is not None:
            stop_server(process)


if __name__ == "__main__":
    main()
