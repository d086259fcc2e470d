"""The policy module answers every "may this user…" question, and nothing unknown is allowed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask_login import AnonymousUserMixin

from tests.builders import make_user
from tracker.accounts.models import Role
from tracker.policy import Access, can, may_reach, needs_second_factor


@pytest.mark.parametrize(
    ("level", "role", "allowed"),
    [
        (Access.PUBLIC, None, True),
        (Access.SIGNED_IN, None, False),
        (Access.MEMBER, None, False),
        (Access.SIGNED_IN, Role.MEMBER, True),
        (Access.MEMBER, Role.MEMBER, True),
        (Access.COORDINATOR, Role.MEMBER, False),
        (Access.COORDINATOR, Role.COORDINATOR, True),
        (Access.ADMIN, Role.COORDINATOR, False),
        (Access.ADMIN, Role.ADMIN, True),
        (Access.MEMBER, Role.ADMIN, True),
    ],
)
def test_may_reach(app: Flask, level: Access, role: Role | None, allowed: bool) -> None:
    user = make_user(role) if role else AnonymousUserMixin()
    assert may_reach(user, level) is allowed


def test_admin_rules_are_per_object(app: Flask) -> None:
    admin, other = make_user(Role.ADMIN), make_user(Role.MEMBER)
    assert can(admin, "users.deactivate", other)
    assert not can(admin, "users.deactivate", admin)  # never yourself
    assert not can(admin, "users.change_role", admin)
    assert not can(other, "users.deactivate", admin)
    assert not can(admin, "users.reactivate", other)  # still active
    other.active = False
    assert can(admin, "users.reactivate", other)


def test_unknown_actions_and_inactive_users_are_refused(app: Flask) -> None:
    admin = make_user(Role.ADMIN)
    assert not can(admin, "no.such.action")
    assert not can(AnonymousUserMixin(), "users.list")
    admin.active = False
    assert not can(admin, "users.list")


def test_second_factor_required_only_when_configured(make_app: Callable[..., Flask]) -> None:
    with make_app(REQUIRE_2FA=True).app_context():
        coordinator, member = make_user(Role.COORDINATOR), make_user(Role.MEMBER)
        assert needs_second_factor(coordinator)
        assert not needs_second_factor(member)
        assert not may_reach(coordinator, Access.COORDINATOR)
        assert may_reach(coordinator, Access.SIGNED_IN)  # so they can enrol
        coordinator.totp_secret = "JBSWY3DPEHPK3PXP"
        assert may_reach(coordinator, Access.COORDINATOR)
    with make_app(REQUIRE_2FA=False).app_context():
        assert not needs_second_factor(make_user(Role.ADMIN))
