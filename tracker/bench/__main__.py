"""`python -m tracker.bench seed|run|compare`: the commands behind `make bench`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click

from tracker.bench.database import check_url, default_url, fresh_seed, seeded_count


@click.group()
def cli() -> None:
    """Benchmark the public pages on a seeded database (developer tooling)."""


@cli.command()
@click.option("--cases", type=int, default=100_000, show_default=True)
@click.option("--database-url", default="", help="Default: instance/bench/bench-<cases>.db.")
@click.option("--if-missing", is_flag=True, help="Keep a database that has these cases already.")
def seed(cases: int, database_url: str, if_missing: bool) -> None:
    """Create a fresh benchmark database with CASES published cases."""
    url = check_url(database_url or default_url(cases))
    if if_missing and seeded_count(url) == cases:
        click.echo(f"Benchmark database with {cases:,} cases present: {url}")
        return
    click.echo(f"Seeding {cases:,} published cases into {url}")
    report = fresh_seed(url, cases)
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in report.phases.items())
    click.echo(f"Seeded {report.cases:,} cases in {report.seconds:.1f} s ({phases}).")


@cli.command()
@click.option("--cases", type=int, default=100_000, show_default=True)
@click.option("--database-url", default="", help="Default: instance/bench/bench-<cases>.db.")
@click.option("--duration", type=float, default=12, show_default=True, help="Seconds a route.")
@click.option("--rounds", type=int, default=3, show_default=True,
              help="Measure the routes this many times over (sharing the duration).")  # fmt: skip
@click.option("--connections", type=int, default=2, show_default=True)
@click.option("--warmup", type=float, default=2, show_default=True, help="Seconds a route.")
@click.option("--port", type=int, default=8765, show_default=True)
@click.option("--only", multiple=True, help="Only routes whose name contains this (repeatable).")
@click.option("--gc-freeze/--no-gc-freeze", default=True, show_default=True,
              help="gc.freeze() in each worker after the app loads.")  # fmt: skip
@click.option("--wait-quiet", type=float, default=0, show_default=True,
              help="Wait up to this many seconds for a load average below 0.5.")  # fmt: skip
def run(cases: int, database_url: str, duration: float, connections: int, warmup: float,
        port: int, only: tuple[str, ...], gc_freeze: bool, wait_quiet: float,
        rounds: int) -> None:  # fmt: skip
    """Serve the benchmark database with gunicorn and measure every route."""
    from tracker.bench.run import Options
    from tracker.bench.run import run as run_bench

    url = check_url(database_url or default_url(cases))
    found = seeded_count(url)
    if found != cases:
        raise click.ClickException(f"{url} holds {found} cases, not {cases}: seed it first")
    options = Options(url, cases, duration, connections, warmup, port, only)
    run_bench(replace(options, gc_freeze=gc_freeze, rounds=rounds, wait_quiet=wait_quiet))


@cli.command()
@click.argument("small", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("large", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=float, default=1.5, show_default=True)
def compare(small: Path, large: Path, limit: float) -> None:
    """Compare two runs' page times (say 1,000 and 1,000,000 cases)."""
    from tracker.bench.report import compare as compare_runs

    text, ok = compare_runs(json.loads(small.read_text()), json.loads(large.read_text()), limit)
    click.echo(text)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    cli()
