"""The command-line tools operators rely on."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from tracker.accounts.models import Role, User
from tracker.accounts.services import authenticate
from tracker.cases.models import Case, CaseStatus, Category
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.public.models import PublicState


def test_users_create_and_list(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=[
            "users", "create", "--email", "Ana@Example.org", "--name", "Ana",
            "--role", "coordinator", "--password", "a long enough password",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "coordinator ana@example.org" in result.output
    user = authenticate("ana@example.org", "a long enough password")
    assert user is not None and user.role is Role.COORDINATOR
    listed = runner.invoke(args=["users", "list"])
    assert "ana@example.org" in listed.output and "coordinator" in listed.output


def test_users_create_refuses_duplicates_and_short_passwords(runner: FlaskCliRunner) -> None:
    args = ["users", "create", "--email", "b@example.org", "--name", "B", "--password"]
    short = runner.invoke(args=[*args, "short"])
    assert short.exit_code != 0 and "12" in short.output  # the minimum, in the default language
    assert runner.invoke(args=[*args, "long enough password"]).exit_code == 0
    again = runner.invoke(args=[*args, "long enough password"])
    assert again.exit_code != 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_users_create_prompts_for_password(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["users", "create", "--email", "c@example.org", "--name", "C"],
        input="prompted password!\nprompted password!\n",
    )
    assert result.exit_code == 0, result.output
    assert authenticate("c@example.org", "prompted password!") is not None


def test_municipalities_load_is_idempotent(runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["municipalities", "load"])
    again = runner.invoke(args=["municipalities", "load"])
    assert first.exit_code == again.exit_code == 0
    assert "0 added, 202 updated (202)" in again.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Municipality)) == 202
    zvezdara = db.session.scalar(sa.select(Municipality).where(Municipality.code == "70157"))
    assert zvezdara is not None and zvezdara.parent is not None
    assert zvezdara.parent.name_latin == "Beograd"


def test_loading_names_expires_public_pages(runner: FlaskCliRunner) -> None:
    """Municipality and category names are on every public page: after a load, cached pages,
    names and validators must not outlive them."""

    def version() -> int:
        db.session.expire_all()
        state = db.session.get(PublicState, 1)
        return state.version if state else 0

    before = version()
    assert runner.invoke(args=["municipalities", "load"]).exit_code == 0
    after_places = version()
    assert after_places > before
    assert runner.invoke(args=["categories", "load"]).exit_code == 0  # adds the defaults
    after_kinds = version()
    assert after_kinds > after_places
    assert runner.invoke(args=["categories", "load"]).exit_code == 0  # nothing new
    assert version() == after_kinds


def test_demo_load_creates_once_and_prints_logins(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "admin@demo.tracker" in result.output and "demo-member-password" in result.output
    statuses = set(db.session.scalars(sa.select(Case.status)))
    assert {CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.PUBLISHED} <= statuses
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Category)) == 12
    cases = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
    again = runner.invoke(args=["demo", "load"])
    assert "already present" in again.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == cases
    assert {u.role for u in db.session.scalars(sa.select(User))} == set(Role)


def test_audit_verify(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["demo", "load"])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output


def test_help_texts_are_written_for_users(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["users", "create", "--help"])
    assert "without an invitation" in result.output
    assert "--role [member|coordinator|admin]" in result.output
