"""One benchmark run: serve the seeded database with gunicorn, request every route, report."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tracker import ROOT
from tracker.bench import load, report
from tracker.bench.database import bench_app
from tracker.bench.routes import ROUTES, Params, Route, describe, pick
from tracker.extensions import db

CONF = Path(__file__).with_name("gunicorn_conf.py")


@dataclass(frozen=True)
class Options:
    url: str
    cases: int
    seconds: float = 10.0
    connections: int = 2
    warmup: float = 2.0
    port: int = 8765
    only: tuple[str, ...] = ()  # route names (substrings); empty: all
    gc_freeze: bool = True
    wait_quiet: float = 0.0  # seconds to wait for a load average below QUIET before starting


QUIET = 0.5


def _wait_quiet(seconds: float) -> None:
    """Other work on a 2-core machine halves the figures: wait (a while) for it to end."""
    deadline = time.monotonic() + seconds
    while os.getloadavg()[0] >= QUIET and time.monotonic() < deadline:
        print(f"  waiting for a quiet machine (load {os.getloadavg()[0]:.2f})", flush=True)
        time.sleep(30)


def _params(url: str) -> Params:
    app = bench_app(url)
    with app.app_context():
        params = pick()
        db.engine.dispose()
    return params


class Server:
    """gunicorn with the bench config and the reference routes on; stopped by its pid."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        env = dict(os.environ)
        env.update(
            TRACKER_DATABASE_URL=self.options.url,
            TRACKER_BENCH_ROUTES="true",
            TRACKER_ENV_NAME="production",
            TRACKER_SECRET_KEY=secrets.token_hex(32),
            TRACKER_BASE_URL=f"http://127.0.0.1:{self.options.port}",
            BENCH_BIND=f"127.0.0.1:{self.options.port}",
            BENCH_GC_FREEZE="1" if self.options.gc_freeze else "0",
        )
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
            [str(gunicorn), "-c", str(CONF), "wsgi:app"], cwd=ROOT, env=env
        )
        self._wait()
        return self

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited before answering; see its log above")
            try:
                if load.probe(self.options.port, "/healthz").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def workers(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def __exit__(self, *_exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _measure(route: Route, params: Params, server: Server) -> load.Result:
    options = server.options
    paths = params.paths(route)
    result = load.Result(route.name, paths[0])
    if route.kind == "export":
        # The first download is the measurement: a probe before it would leave the worker's
        # memory already grown, and hide the growth.
        extra = load.download(options.port, paths[0], server.workers())
        if extra["status"] != 200:
            result.skipped = f"answers {extra['status']}"
            return result
        result.extra, result.size = extra, extra["bytes"]
        result.rps = 1 / extra["total"]
        result.p50 = result.p99 = extra["total"] * 1000
        return result
    first = load.probe(options.port, paths[0])
    result.size = first.size
    if first.status != 200:
        result.skipped = "answers 404: not built yet" if first.status == 404 else (
            f"answers {first.status}")  # fmt: skip
        return result
    headers = {}
    if route.kind == "revalidate":
        if not first.etag:
            result.skipped = "sends no ETag"
            return result
        headers["If-None-Match"] = first.etag
        if load.probe(options.port, paths[0], headers).status != 304:
            result.skipped = "does not answer 304 to its own ETag"
            return result
    # Varied routes warm up on other URLs than they are measured on.
    half = len(paths) // 2 if len(paths) > 1 else 1
    warm, measured = (paths[half:], paths[:half]) if len(paths) > 1 else (paths, paths)
    if options.warmup:
        load.wrk(options.port, warm, options.warmup, options.connections, headers)
    numbers = load.wrk(options.port, measured, options.seconds, options.connections, headers)
    for key, value in numbers.items():
        setattr(result, key, value)
    return result


def run(options: Options) -> dict[str, Any]:
    """Every route of the table, measured; returns (and writes) the report."""
    _wait_quiet(options.wait_quiet)
    facts = report.machine(options.url)
    print(report.facts_text(facts, options.cases))
    params = _params(options.url)
    routes = [r for r in ROUTES if not options.only or any(o in r.name for o in options.only)]
    results: list[load.Result] = []
    with Server(options) as server:
        for route in routes:
            result = _measure(route, params, server)
            results.append(result)
            print(report.progress_line(result), flush=True)
    body = {
        "cases": options.cases,
        "database": options.url.split(":", 1)[0],
        "seconds": options.seconds,
        "connections": options.connections,
        "machine": facts,
        "params": describe(params),
        "results": [asdict(r) for r in results],
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "only": list(options.only),
        "gc_freeze": options.gc_freeze,
    }
    body["machine"]["load average at the end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    body["targets"] = report.targets(body)
    print()
    print(report.table_text(body))
    report.write(body)
    return body
