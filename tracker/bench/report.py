"""The benchmark's output: machine facts, the table, the issue's targets, files, comparisons."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
from importlib.metadata import version
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tracker.bench.database import BENCH_DIR
from tracker.bench.load import Result
from tracker.bench.routes import LIST_LIKE, REFERENCE, ROUTES, SEARCHES, TRIVIAL

MAP_LIMIT = 1_000_000  # bytes: the zoomed-out map must stay far from a 25 MB payload


def machine(url: str) -> dict[str, Any]:
    cpu = next(
        (line.split(":", 1)[1].strip()
         for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    facts = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": version("gunicorn"),
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0],  # noqa: S607
    }  # fmt: skip
    load = os.getloadavg()
    facts["load average (1, 5, 15 min) at start"] = " ".join(f"{x:.2f}" for x in load)
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            facts["postgresql"] = conn.execute(sa.text("SHOW server_version")).scalar()
        engine.dispose()
    return {k: str(v).strip() for k, v in facts.items()}


def facts_text(facts: dict[str, Any], cases: int) -> str:
    lines = [f"Benchmark at {cases:,} published cases on:"]
    lines += [f"  {key}: {value}" for key, value in facts.items()]
    if os.getloadavg()[0] > 0.5:
        lines.append("  WARNING: the machine is busy (load above 0.5): figures will be low")
    return "\n".join(lines)


def progress_line(result: Result) -> str:
    if result.skipped:
        return f"  skipped {result.name} ({result.path}): {result.skipped}"
    return (
        f"  {result.name}: {result.rps:,.0f} req/s, "
        f"p50 {result.p50:.2f} ms, p99 {result.p99:.2f} ms"
    )


def _rows(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in body["results"]}


def table_text(body: dict[str, Any]) -> str:
    """The results as a Markdown table, each figure also as a share of the references'."""
    rows = _rows(body)
    trivial = rows.get(TRIVIAL, {}).get("rps") or 0
    reference = rows.get(REFERENCE, {}).get("rps") or 0
    freeze = "on" if body.get("gc_freeze", True) else "off"
    out = [
        f"{body['cases']:,} cases, {body['database']}, {body['connections']} connections, "
        f"{body['seconds']:.0f} s a route in {body.get('rounds', 1)} rounds (medians), "
        f"gc.freeze {freeze} ({body['when']})",
        "",
        "| route | req/s | p50 ms | p99 ms | p99/p50 | of trivial | of 50-row ref | notes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in body["results"]:
        if r["skipped"]:
            out.append(f"| {r['name']} | | | | | | | skipped: {r['skipped']} |")
            continue
        notes = [f"{r['size']:,} B"] + ([r["errors"]] if r["errors"] else [])
        if r["extra"]:
            x = r["extra"]
            notes = [
                f"{x['bytes']:,} B, first byte {x['ttfb'] * 1000:.0f} ms of "
                f"{x['total'] * 1000:.0f} ms, worker memory +{x['growth_kb'] / 1024:.1f} MB"
                f" (mapped database pages +{x.get('mapped_kb', 0) / 1024:.1f} MB)"
            ]
        ratio = r["p99"] / r["p50"] if r["p50"] else 0
        out.append(
            f"| {r['name']} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {ratio:.1f} "
            f"| {_share(r['rps'], trivial)} | {_share(r['rps'], reference)} | {'; '.join(notes)} |"
        )
    out += ["", "Targets (issue 5):", ""]
    out += [f"- {'met' if t['met'] else 'NOT MET'}: {t['target']} ({t['measured']})"
            for t in body.get("targets", [])]  # fmt: skip
    return "\n".join(out)


def _share(value: float, base: float) -> str:
    return f"{value / base:.0%}" if base else ""


def targets(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets that one run can check (the scale one needs two: `compare`)."""
    rows = {name: r for name, r in _rows(body).items() if not r["skipped"]}
    reference = rows.get(REFERENCE, {}).get("rps") or 0
    trivial = rows.get(TRIVIAL, {}).get("rps") or 0
    out: list[dict[str, Any]] = []

    def add(target: str, met: bool, measured: str) -> None:
        out.append({"target": target, "met": met, "measured": measured})

    at = "" if body["cases"] == 100_000 else " (stated for 100,000 cases)"
    for name in LIST_LIKE:
        if name in rows and reference:
            share = rows[name]["rps"] / reference
            add(f"{name} >= 60% of the 50-row reference{at}", share >= 0.6, f"{share:.0%}")
    for r in rows.values():
        if r["name"].endswith("(304)") and trivial:
            share = r["rps"] / trivial
            add(f"{r['name']} >= 50% of trivial", share >= 0.5, f"{share:.0%}")
    for name in SEARCHES:
        if name in rows:
            add(f"{name}: p99 <= 50 ms{at}", rows[name]["p99"] <= 50, f"{rows[name]['p99']:.1f} ms")
    zoomed = rows.get("map data, zoomed out")
    if zoomed:
        add("map data zoomed out is small (<= 1 MB)", zoomed["size"] <= MAP_LIMIT,
            f"{zoomed['size']:,} B")  # fmt: skip
    csv = rows.get("CSV export")
    if csv:
        x = csv["extra"]
        add(f"CSV export memory growth <= 20 MB{at}", x["growth_kb"] <= 20 * 1024,
            f"+{x['growth_kb'] / 1024:.1f} MB")  # fmt: skip
        first = x["ttfb"] <= 0.05 * x["total"]
        add(f"CSV export first byte within 5% of the total time{at}", first,
            f"{x['ttfb'] * 1000:.0f} of {x['total'] * 1000:.0f} ms")  # fmt: skip
    loaded = [r for r in rows.values() if not r["extra"] and r["p50"]]
    worst = max(loaded, key=lambda r: r["p99"] / r["p50"], default=None)
    if worst:
        ratio = worst["p99"] / worst["p50"]
        add(f"p99 <= 3x p50 at {body['connections']} connections, every route", ratio <= 3,
            f"worst {ratio:.1f}x: {worst['name']}")  # fmt: skip
    return out


def path_for(body: dict[str, Any], suffix: str) -> Path:
    """instance/bench/results-<cases>-<database>[-partial].<suffix>"""
    partial = "-partial" if body.get("only") else ""
    name = f"results-{body['cases']}-{body['database'].split('+')[0]}{partial}.{suffix}"
    return BENCH_DIR / name


def write(body: dict[str, Any]) -> None:
    """The latest run of each size (JSON and Markdown), and every run in history.jsonl."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path_for(body, "json").write_text(json.dumps(body, indent=1))
    path_for(body, "md").write_text(report_markdown(body))
    with (BENCH_DIR / "history.jsonl").open("a") as fh:
        fh.write(json.dumps(body) + "\n")
    print(f"\nWritten: {path_for(body, 'md')} (and .json)")


def report_markdown(body: dict[str, Any]) -> str:
    facts = ", ".join(f"{k} {v}" for k, v in body["machine"].items())
    return f"{table_text(body)}\n\nMachine: {facts}\n"


def compare(small: dict[str, Any], large: dict[str, Any], limit: float = 1.5) -> tuple[str, bool]:
    """Page times at two sizes: every page's p50 at the larger within `limit` of the smaller."""
    a, b = _rows(small), _rows(large)
    exempt = {TRIVIAL, REFERENCE} | {r.name for r in ROUTES if r.kind == "export"}
    lines = [
        f"p50 at {large['cases']:,} cases against {small['cases']:,} (limit {limit}x):",
        "",
        f"| route | p50 ms at {small['cases']:,} | p50 ms at {large['cases']:,} | ratio | |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    ok, checked = True, 0
    exports = {r.name for r in ROUTES if r.kind == "export"}
    for name, x in a.items():
        y = b.get(name)
        if not y or x["skipped"] or y["skipped"] or not x["p50"]:
            continue
        ratio = y["p50"] / x["p50"]
        if name in exempt:
            verdict = "(export: grows with the data)" if name in exports else "(reference)"
        else:
            checked += 1
            verdict = "ok" if ratio <= limit else "TOO SLOW"
            ok &= ratio <= limit
        lines.append(f"| {name} | {x['p50']:.2f} | {y['p50']:.2f} | {ratio:.2f} | {verdict} |")
    ok &= checked > 0
    lines += ["", "Scale target met." if ok else "Scale target NOT met."]
    return "\n".join(lines), ok
