"""Load benchmark of ``amethyst serve``: req/s, p50/p99 latency, peak RSS and cores used.

Starts its own server on a free loopback port (or targets ``--url``) and drives it with
closed-loop clients sending JSON (``--form``: the multipart form, as the web editor does).
Workloads: a 512x512 photo with a 60x60 hole, and 12 MP (4000x3000) photos with a 200x200 hole
or an ellipse covering 5 % of the frame. The photos are the bundled example, scaled, with
sensor-like noise, saved as JPEG q95, so their sizes are realistic. The default rows are issue
12's table. Per row: the server's peak RSS during the row, and the cores it kept busy (its CPU
seconds over the row's seconds; on a machine shared with other work, req/s divided by that
is the fair throughput figure). ``--profile`` instead times one edit's stages in-process (no
server, no HTTP): wall and CPU ms for the JSON parse, decode, holes, fill, paste, encode and reply.

Usage: python scripts/load_bench.py [--engine gan] [--seconds 20] [--rows 12MP:1 512x512:16]
       python scripts/load_bench.py --profile [--engine gan] [--workload 12MP] [--repeats 15]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import os
import signal
import socket
import statistics
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
# name: (photo size, hole: ("square", side) or ("ellipse", share of the frame))
WORKLOADS = {
    "512x512": ((512, 512), ("square", 60)),
    "12MP": ((4000, 3000), ("square", 200)),
    "12MP-ellipse": ((4000, 3000), ("ellipse", 0.05)),
}
ISSUE_ROWS = ["12MP:1", "12MP-ellipse:1", "12MP:16", "512x512:16"]
JPEG_QUALITY = 95


@dataclass
class Workload:
    """One request body (JSON or multipart form) and what it holds."""

    name: str
    body: bytes
    content_type: str
    photo_bytes: int

    @property
    def reply_type(self) -> str:
        """The Content-Type a successful reply has."""
        return "application/json" if self.content_type == "application/json" else "image/jpeg"


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


def _hole(size: tuple[int, int], hole: tuple[str, float]) -> np.ndarray:
    """The workload's mask: a square of ``side`` px or an ellipse of ``share`` of the frame."""
    width, height = size
    mask = np.zeros((height, width), np.uint8)
    kind, value = hole
    if kind == "square":
        left, top = width * 2 // 3 - int(value) // 2, height // 2 - int(value) // 2
        mask[top : top + int(value), left : left + int(value)] = 255
    else:
        axes = np.sqrt(value * width * height / np.pi) * np.array([1.4, 1 / 1.4])
        cv2.ellipse(
            mask, (width * 3 // 5, height // 2), tuple(int(a) for a in axes), 0, 0, 360, 255, -1
        )
    return mask


def make_workload(name: str, seed: int = 0, form: bool = False, engine: str = "auto") -> Workload:
    """The photo of ``WORKLOADS[name]`` as JPEG and its mask as PNG, as JSON or a form."""
    size, hole = WORKLOADS[name]
    width, height = size
    photo = Image.open(EXAMPLE).convert("RGB").resize(size, Image.Resampling.BICUBIC)
    noise = np.random.default_rng(seed).normal(0, 3, (height, width, 3))
    pixels = np.clip(np.asarray(photo, np.float32) + noise, 0, 255).astype(np.uint8)
    jpeg = io.BytesIO()
    Image.fromarray(pixels).save(jpeg, "JPEG", quality=JPEG_QUALITY)
    png = io.BytesIO()
    Image.fromarray(_hole(size, hole)).save(png, "PNG")
    photo_bytes, mask_bytes = jpeg.getvalue(), png.getvalue()
    if form:
        request = httpx.Request(
            "POST",
            "http://bench/api/v1/inpaint",
            files={
                "image": ("photo.jpg", photo_bytes, "image/jpeg"),
                "mask": ("mask.png", mask_bytes, "image/png"),
            },
            data={"engine": engine},
        )
        body, content_type = request.read(), request.headers["content-type"]
    else:
        fields = {
            "image": base64.b64encode(photo_bytes).decode(),
            "mask": base64.b64encode(mask_bytes).decode(),
            "engine": engine,
        }
        body, content_type = json.dumps(fields).encode(), "application/json"
    return Workload(name, body, content_type, len(photo_bytes))


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
    if reply.status_code == 200 and reply.headers["content-type"] == workload.reply_type:
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


def reset_peak_rss(pid: int) -> None:
    """Start a new peak-RSS window for ``pid`` (Linux: VmHWM restarts from the current RSS)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory of ``pid`` since start or the last reset, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    return float("nan")


def _timed_engine(name: str) -> list[tuple[float, float]]:
    """Load engine ``name`` and record (wall, CPU) ms of each of its ``fill`` calls."""
    from amethyst.engines import get_engine

    engine = get_engine(name)
    calls: list[tuple[float, float]] = []
    fill = engine.fill

    def timed_fill(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            return fill(rgb, mask)
        finally:
            calls.append(
                ((time.perf_counter() - started) * 1000, (time.process_time() - cpu_started) * 1000)
            )

    engine.fill = timed_fill  # the shared instance the service's edit will use
    return calls


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) that ``pid`` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def profile(workload: Workload, engine: str, repeats: int) -> None:
    """Time one JSON edit's stages in-process, ``repeats`` times; print the medians in ms.

    ``fill`` is the engine's own time; ``paste`` the rest of the fill stage (regions, scaling,
    pasting back). Wall time and process CPU time (all threads) are printed; CPU time is the
    fairer figure on a machine shared with other work.
    """
    from amethyst.server.base64_images import decode_base64_image, encode_base64
    from amethyst.server.editing import Edit, run_edit

    calls = _timed_engine(engine)
    stages = ("json+base64 in", "decode", "holes", "fill", "paste", "encode", "json+base64 out")
    runs: list[tuple[dict[str, float], dict[str, float]]] = []
    for _ in range(repeats + 1):
        calls.clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        request = json.loads(workload.body)
        edit = Edit(
            decode_base64_image(request["image"], "image"),
            decode_base64_image(request["mask"], "mask"),
            engine,
        )
        parsed, cpu_parsed = time.perf_counter(), time.process_time()
        result = run_edit(edit, engine, 50_000_000)
        edited, cpu_edited = time.perf_counter(), time.process_time()
        json.dumps({"image": encode_base64(result.encoded.data)})
        done, cpu_done = time.perf_counter(), time.process_time()
        timings = []
        for index, stage_ms, ends in (
            (0, result.stage_ms, (started, parsed, edited, done)),
            (1, result.stage_cpu_ms, (cpu_started, cpu_parsed, cpu_edited, cpu_done)),
        ):
            engine_ms = sum(call[index] for call in calls)
            timings.append(
                {
                    "json+base64 in": (ends[1] - ends[0]) * 1000,
                    "decode": stage_ms.get("decode", 0.0),
                    "holes": stage_ms.get("holes", 0.0),
                    "fill": engine_ms,
                    "paste": stage_ms.get("fill", 0.0) - engine_ms,
                    "encode": stage_ms.get("encode", 0.0),
                    "json+base64 out": (ends[3] - ends[2]) * 1000,
                    "total": (ends[3] - ends[0]) * 1000,
                }
            )
        runs.append((timings[0], timings[1]))
    runs = runs[1:]  # the first run warms caches and thread pools
    print(
        f"{workload.name} ({workload.photo_bytes / 1e6:.2f} MB JPEG), engine {engine}, "
        f"median of {repeats} in-process runs; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    columns = [*stages, "total"]
    print("| ms | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for index, label in ((0, "wall"), (1, "CPU")):
        medians = [statistics.median(run[index][c] for run in runs) for c in columns]
        print(f"| {label} | " + " | ".join(f"{m:.0f}" for m in medians) + " |")
    # The least-disturbed run: on a shared machine, the closest to what idle cores give.
    fastest = min(runs, key=lambda run: run[0]["total"])[0]
    print("| wall, fastest run | " + " | ".join(f"{fastest[c]:.0f}" for c in columns) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an already running server (default: start one)")
    parser.add_argument("--engine", default="gan", help="engine the requests ask for")
    parser.add_argument("--seconds", type=float, default=20.0, help="per row")
    parser.add_argument(
        "--rows", nargs="+", default=ISSUE_ROWS, help="WORKLOAD:CLIENTS, e.g. 12MP:16"
    )
    parser.add_argument("--form", action="store_true", help="send multipart forms, not JSON")
    parser.add_argument("--profile", action="store_true", help="time one edit's stages instead")
    parser.add_argument("--workload", default="12MP", choices=WORKLOADS, help="for --profile")
    parser.add_argument("--repeats", type=int, default=15, help="for --profile")
    args = parser.parse_args()
    if args.profile:
        profile(make_workload(args.workload, engine=args.engine), args.engine, args.repeats)
        return
    rows = [(name, int(clients)) for name, clients in (row.split(":") for row in args.rows)]
    process = None
    url = args.url
    if url is None:
        process, url = start_server("--engine", args.engine)
    try:
        health = httpx.get(f"{url}/healthz").json()
        print(
            f"server {url}: engine {args.engine}, {health['threads']} fill threads, "
            f"{os.cpu_count()} CPUs here; {args.seconds:g} s per row, "
            f"{'multipart forms' if args.form else 'JSON'}; "
            f"load average {os.getloadavg()[0]:.1f} at start"
        )
        print(
            "| photo | JPEG size | clients | ok | req/s | p50 ms | p99 ms | 503s | errors "
            "| peak RSS MB | server cores |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        workloads: dict[str, Workload] = {}
        for name, clients in rows:
            if name not in workloads:
                workloads[name] = make_workload(name, form=args.form, engine=args.engine)
            workload = workloads[name]
            if process is not None:
                reset_peak_rss(process.pid)
                cpu_before = cpu_seconds(process.pid)
            stats = asyncio.run(run_level(url, [workload], [1.0], clients, args.seconds))
            row = stats.summary()
            peak = cores = "-"
            if process is not None:
                peak = f"{peak_rss_mb(process.pid):.0f}"
                cores = f"{(cpu_seconds(process.pid) - cpu_before) / stats.seconds:.2f}"
            print(
                f"| {name} | {workload.photo_bytes / 1e6:.2f} MB | {clients} | {row['ok']} | "
                f"{row['req_s']:.2f} | {row['p50_ms']:.0f} | {row['p99_ms']:.0f} | "
                f"{row['busy_503']} | {row['errors']} | {peak} | {cores} |",
                flush=True,
            )
            for error in stats.errors[:3]:
                print(f"  error: {error}")
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        if process is not None:
            stop_server(process)


if __name__ == "__main__":
    main()
