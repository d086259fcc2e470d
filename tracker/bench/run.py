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
from tracker.bench.views import UNCACHED
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
    rounds: int = 3
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


@dataclass
class Plan:
    """A route ready to be loaded: its paths (warm-up and measured) and request headers."""

    result: load.Result
    warm: list[str]
    measured: list[str]
    headers: dict[str, str]
    rounds: list[dict[str, Any]]


def _export(route: Route, params: Params, server: Server) -> load.Result:
    """The first download is the measurement: a probe before it would leave the worker's
    memory already grown, and hide the growth."""
    path = params.paths(route)[0]
    result = load.Result(route.name, path)
    extra = load.download(server.options.port, path, server.workers())
    if extra["status"] != 200:
        result.skipped = f"answers {extra['status']}"
        return result
    result.extra, result.size = extra, extra["bytes"]
    result.rps = 1 / extra["total"]
    result.p50 = result.p99 = extra["total"] * 1000
    return result


def _prepare(route: Route, params: Params, port: int) -> Plan | load.Result:
    """Probe the route; a Result (skipped, with why) when it cannot be loaded."""
    paths = params.paths(route)
    result = load.Result(route.name, paths[0])
    first = load.probe(port, paths[0])
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
        if load.probe(port, paths[0], headers).status != 304:
            result.skipped = "does not answer 304 to its own ETag"
            return result
    # Varied routes warm up on other URLs than they are measured on, and ask the app (bench
    # mode only) not to answer from its per-process caches: at 1,000 cases there are too few
    # distinct full-page searches for new URLs alone to keep them out.
    half = len(paths) // 2
    if half:
        headers[UNCACHED] = "1"
        return Plan(result, paths[half:], paths[:half], headers, [])
    return Plan(result, paths, paths, headers, [])


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _measure_all(routes: list[Route], params: Params, server: Server) -> list[load.Result]:
    """Every route in turn, `rounds` times over, each figure the median of its rounds: load
    from other work on the machine then falls on every route alike, not on a few."""
    options = server.options
    prepared = {r.name: _prepare(r, params, options.port) for r in routes if r.kind != "export"}
    plans = [p for p in prepared.values() if isinstance(p, Plan)]
    for plan in plans:
        if options.warmup:
            load.wrk(options.port, plan.warm, options.warmup, options.connections, plan.headers)
    for n in range(options.rounds):
        for plan in plans:
            plan.rounds.append(load.wrk(options.port, plan.measured,
                                        options.seconds / options.rounds,
                                        options.connections, plan.headers))  # fmt: skip
        print(f"  round {n + 1} of {options.rounds} done", flush=True)
    results = []
    for route in routes:
        if route.kind == "export":
            results.append(_export(route, params, server))
            continue
        plan = prepared[route.name]
        if isinstance(plan, load.Result):
            results.append(plan)
            continue
        result = plan.result
        for key in ("rps", "p50", "p99"):
            setattr(result, key, _median([r[key] for r in plan.rounds]))
        result.requests = sum(r["requests"] for r in plan.rounds)
        result.errors = "; ".join(sorted({r["errors"] for r in plan.rounds if r["errors"]}))
        result.rounds = [{k: r[k] for k in ("rps", "p50", "p99")} for r in plan.rounds]
        results.append(result)
    return results


def run(options: Options) -> dict[str, Any]:
    """Every route of the table, measured; returns (and writes) the report."""
    _wait_quiet(options.wait_quiet)
    facts = report.machine(options.url)
    print(report.facts_text(facts, options.cases))
    params = _params(options.url)
    routes = [r for r in ROUTES if not options.only or any(o in r.name for o in options.only)]
    with Server(options) as server:
        results = _measure_all(routes, params, server)
    for result in results:
        print(report.progress_line(result))
    body = {
        "cases": options.cases,
        "database": options.url.split(":", 1)[0],
        "seconds": options.seconds,
        "rounds": options.rounds,
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
