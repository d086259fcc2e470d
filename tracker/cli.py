"""Command-line tools: `flask --app tracker <group> <command>`."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from tracker.accounts.models import Role, User
from tracker.accounts.services import AccountError, create_user
from tracker.audit.services import verify_chain
from tracker.cases.categories import load_categories
from tracker.demo import DEMO_LOGINS, load_demo
from tracker.extensions import db
from tracker.geo.services import load_municipalities
from tracker.notifications.outbox import deliver_pending
from tracker.public import index

users_cli = AppGroup("users", help="Manage accounts.")
municipalities_cli = AppGroup("municipalities", help="Manage the municipality gazetteer.")
categories_cli = AppGroup("categories", help="Manage case categories.")
demo_cli = AppGroup("demo", help="Demo data for trying tracker locally.")
audit_cli = AppGroup("audit", help="Check the audit trail.")


@users_cli.command("create")
@click.option("--email", required=True, help="Sign-in address of the new account.")
@click.option("--name", required=True, help="The person's name as others will see it.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.MEMBER.value,
    show_default=True,
    help="What the account may do.",
)
@click.password_option(help="Password (asked for twice when not given).")
def users_create(email: str, name: str, role: str, password: str) -> None:
    """Create an account directly, without an invitation (e.g. the first admin)."""
    try:
        user = create_user(email, name, Role(role), password)
    except AccountError as err:
        raise click.ClickException(str(err)) from err
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


@users_cli.command("list")
def users_list() -> None:
    """List every account with its role and whether it is active."""
    for user in db.session.scalars(sa.select(User).order_by(User.id)):
        state = "active" if user.active else "deactivated"
        twofa = "2FA" if user.totp_enabled else "-"
        click.echo(
            f"{user.id:>5}  {user.role.value:<12} {state:<12} {twofa:<4} {user.email}  {user.name}"
        )


@municipalities_cli.command("load")
def municipalities_load() -> None:
    """Load or update all municipalities from the bundled gazetteer (safe to run again)."""
    report = load_municipalities()
    index.touch()  # names on every public page: cached pages, names and ETags expire
    db.session.commit()
    click.echo(
        f"Municipalities: {report.created} added, {report.updated} updated ({report.total})."
    )


@categories_cli.command("load")
def categories_load() -> None:
    """Add the network's default case categories that are missing (safe to run again)."""
    added = load_categories()
    if added:
        index.touch()  # the public facets and pages name the categories
    db.session.commit()
    click.echo(f"Categories: {added} added.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load demo accounts (one per role) and sample cases, unless already there; print logins."""
    created = load_demo()
    db.session.commit()
    click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")
    click.echo("Demo logins (two-factor login is relaxed outside production):")
    for login in DEMO_LOGINS:
        click.echo(f"  {login.role.value:<12} {login.email:<28} {login.password}")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Recompute the audit trail's hash chain and name the first broken link, if any."""
    report = verify_chain()
    if not report.ok:
        raise click.ClickException(
            f"Chain broken at event {report.broken_at} ({report.reason}); "
            f"{report.checked} events before it are intact."
        )
    click.echo(f"Audit trail intact: {report.checked} events.")


mail_cli = AppGroup("mail", help="Outgoing mail.")


@mail_cli.command("send-pending")
@click.option("--limit", default=200, show_default=True, help="At most this many messages.")
def mail_send_pending(limit: int) -> None:
    """Send queued mail that is due, retrying earlier failures (run it from cron)."""
    sent, failed = deliver_pending(limit)
    click.echo(f"Mail: {sent} sent, {failed} failed (will be retried).")


public_cli = AppGroup("public", help="The public read model (published findings).")


@public_cli.command("rebuild")
def public_rebuild() -> None:
    """Recompute the published findings, their counts and search index from the cases."""
    count = index.rebuild()
    db.session.commit()
    click.echo(f"Public read model rebuilt: {count} published findings.")


def register(app: Flask) -> None:
    """Attach the command groups to the app."""
    groups = (users_cli, municipalities_cli, categories_cli, demo_cli, audit_cli, mail_cli)
    for group in (*groups, public_cli):
        app.cli.add_command(group)
