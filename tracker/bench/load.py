"""Driving the server: probes, wrk runs (parsed), and timed downloads with worker memory."""

from __future__ import annotations

import http.client
import re
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# wrk reads the paths to request from a file and takes them in turn, from a random start.
ROTATE_LUA = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
"""
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


@dataclass
class Probe:
    status: int
    etag: str | None
    size: int
    seconds: float


@dataclass
class Result:
    """One row: requests/s and latency percentiles in milliseconds, or why it is missing."""

    name: str
    path: str
    rps: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    requests: int = 0
    errors: str = ""
    size: int = 0  # bytes of the probe's body
    skipped: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    rounds: list[dict[str, float]] = field(default_factory=list)


def probe(port: int, path: str, headers: dict[str, str] | None = None) -> Probe:
    """One request, whole body read."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return Probe(response.status, response.getheader("ETag"), len(body),
                 time.perf_counter() - started)  # fmt: skip


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not found:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(found[1]) * UNITS[found[2]]


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests/s, p50 and p99 (ms), request count and any errors from wrk --latency."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    count = re.search(r"(\d+) requests in", output)
    if not (rps and p50 and p99 and count):
        raise ValueError(f"cannot read wrk's output:\n{output}")
    errors = [m.strip() for m in re.findall(r"^\s*(Non-2xx.*|Socket errors.*)$", output, re.M)]
    return {"rps": float(rps[1]), "p50": _ms(p50[1]), "p99": _ms(p99[1]),
            "requests": int(count[1]), "errors": "; ".join(errors)}  # fmt: skip


def wrk(port: int, paths: list[str], seconds: float, connections: int,
        headers: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    """Run wrk over these paths (in turn) and parse what it reports."""
    with tempfile.TemporaryDirectory() as tmp:
        script, listing = Path(tmp, "rotate.lua"), Path(tmp, "paths.txt")
        script.write_text(ROTATE_LUA)
        listing.write_text("\n".join(paths) + "\n")
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
                   "-s", str(script)]  # fmt: skip
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        command.append(f"http://127.0.0.1:{port}{paths[0]}")
        done = subprocess.run(  # noqa: S603 - fixed arguments, local server
            command, capture_output=True, text=True, check=True,
            env={"BENCH_PATHS": str(listing), "PATH": "/usr/bin:/usr/local/bin:/bin"},
        )  # fmt: skip
    return parse_wrk(done.stdout)


def memory_kb(pid: int) -> dict[str, int]:
    """A process's resident memory in kB: VmRSS (all), RssAnon (its own: heap, stacks) and
    RssFile (mapped files: with SQLite's memory map, the database's pages it has read)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile"):
            values[key] = int(rest.split()[0])
    return values


class Sampler(threading.Thread):
    """The workers' largest RssAnon and RssFile while a download runs (every 5 ms)."""

    def __init__(self, workers: list[int]) -> None:
        super().__init__(daemon=True)
        self.workers, self.done = workers, threading.Event()
        self.peak = {pid: memory_kb(pid) for pid in workers}

    def run(self) -> None:
        while not self.done.wait(0.005):
            for pid in self.workers:
                now = memory_kb(pid)
                self.peak[pid] = {k: max(v, now.get(k, 0)) for k, v in self.peak[pid].items()}


def download(port: int, path: str, workers: list[int]) -> dict[str, Any]:
    """Time to first byte, total time and size of one download; the workers' memory growth.

    The growth is the largest rise of a worker's own memory (RssAnon, sampled every 5 ms)
    above what it held before: what the export keeps in memory. Pages of the database file
    the worker has mapped (SQLite's mmap) are the kernel's page cache, shared by the workers
    and given back under pressure; they are reported apart (`mapped_kb`), not counted.
    """
    before = {pid: memory_kb(pid) for pid in workers}
    sampler = Sampler(workers)
    sampler.start()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    first = response.read(1)
    ttfb = time.perf_counter() - started
    size = len(first)
    while chunk := response.read(1 << 16):
        size += len(chunk)
    total = time.perf_counter() - started
    conn.close()
    sampler.done.set()
    sampler.join()
    after = sampler.peak
    growth = max(after[p]["RssAnon"] - before[p]["RssAnon"] for p in workers)
    mapped = max(after[p]["RssFile"] - before[p]["RssFile"] for p in workers)
    return {"status": response.status, "ttfb": ttfb, "total": total, "bytes": size,
            "growth_kb": growth, "mapped_kb": mapped,
            "before": before, "after": after}  # fmt: skip
