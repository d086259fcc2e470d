"""Driving the server: probes, wrk runs (parsed), and timed downloads with worker memory."""

from __future__ import annotations

import http.client
import re
import subprocess
import tempfile
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
    """VmRSS and VmHWM of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> bool:
    """Reset a process's VmHWM to its current RSS (Linux: clear_refs 5), where permitted."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def download(port: int, path: str, workers: list[int]) -> dict[str, Any]:
    """Time to first byte, total time and size of one download; the workers' memory growth.

    Every worker's peak is reset before and read after, so the growth is the larger of the
    workers' peak above its resident size before (the one that served it, in practice).
    """
    before = {pid: memory_kb(pid) for pid in workers}
    resettable = all(reset_peak(pid) for pid in workers)
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
    after = {pid: memory_kb(pid) for pid in workers}
    growth = max(
        (after[p]["VmHWM"] if resettable else after[p]["VmRSS"]) - before[p]["VmRSS"]
        for p in workers
    )
    return {"status": response.status, "ttfb": ttfb, "total": total, "bytes": size,
            "growth_kb": growth, "peak_reset": resettable,
            "before": before, "after": after}  # fmt: skip
