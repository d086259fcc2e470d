"""`flask --app tracker evidence verify|sweep`: integrity checks for operators."""

from __future__ import annotations

import click

from tracker.evidence.integrity import find_leftovers, remove_leftovers, verify_files


@click.command("verify")
def verify_command() -> None:
    """Recompute every stored file's SHA-256 and compare it with the evidence records.

    Names each missing file, each file whose content no longer matches its hash, and each
    record whose hash no evidence_added event confirms; exits with status 1 if any.
    """
    report = verify_files()
    for line in report.problems():
        click.echo(line, err=True)
    if not report.ok:
        click.echo(f"Evidence NOT intact: {len(report.problems())} problem(s).", err=True)
        raise SystemExit(1)
    click.echo(f"Evidence intact: {report.checked} stored files match their records.")


@click.command("sweep")
@click.option("--delete", is_flag=True, help="Remove what is found (without it, only list).")
@click.option(
    "--older-than",
    type=click.FloatRange(min=0),
    default=24.0,
    show_default=True,
    help="Hours: only files at least this old, so uploads in progress are never touched.",
)
def sweep_command(delete: bool, older_than: float) -> None:
    """List stored files that no evidence record uses and temporary files of broken uploads."""
    report = find_leftovers(older_than * 3600)
    for sha256 in report.orphans:
        click.echo(f"orphan: {sha256}")
    for path in report.leftovers:
        click.echo(f"temporary: {path.name}")
    found = len(report.orphans) + len(report.leftovers)
    if delete:
        removed = remove_leftovers(report, older_than * 3600)
        click.echo(f"Removed {removed} file(s).")
    else:
        click.echo(f"Found {found} file(s); run again with --delete to remove them.")
