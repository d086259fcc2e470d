"""The one place that answers "may this user do this (to this object)?".

Every route declares who may reach it with `@access(...)`; a route that declares
nothing is refused (deny by default). Object-level questions go through `can()`.
Views and templates ask here; nothing else decides.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from blinker import Namespace
from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from tracker.accounts.models import Role, User
from tracker.cases.models import Case, CaseStatus
from tracker.evidence.models import Evidence
from tracker.workflow import REPORTER_EDITABLE

# Members may add evidence until a coordinator has verified the case.
EVIDENCE_OPEN = frozenset(
    {CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW, CaseStatus.NEEDS_INFO}
)
CLOSED = frozenset({CaseStatus.REJECTED, CaseStatus.RETRACTED, CaseStatus.ARCHIVED})

F = TypeVar("F", bound=Callable[..., Any])


class Access(enum.StrEnum):
    """Who may reach a route at all; per-object checks come after."""

    PUBLIC = "public"  # anyone, signed in or not
    SIGNED_IN = "signed_in"  # any active account (even one still owing its second factor)
    MEMBER = "member"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def role(self) -> Role | None:
        return Role(self.value) if self.value in Role.__members__.values() else None


# Sent when the route-level check refuses a request (as opposed to a per-object refusal).
route_refused = Namespace().signal("route-refused")

# Endpoints that Flask or extensions register themselves.
BUILTIN_ACCESS = {"static": Access.PUBLIC}


def access(level: Access) -> Callable[[F], F]:
    """Declare who may reach a view."""

    def mark(view: F) -> F:
        view.access = level  # type: ignore[attr-defined]
        return view

    return mark


def route_access(app: Flask, endpoint: str) -> Access | None:
    """The access an endpoint declared, or None when it declared nothing."""
    if endpoint in BUILTIN_ACCESS:
        return BUILTIN_ACCESS[endpoint]
    view = app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def needs_second_factor(user: User) -> bool:
    """True when this user must enrol in two-factor login before using the site."""
    return (
        bool(current_app.config["REQUIRE_2FA"])
        and user.has_role(Role.COORDINATOR)
        and not user.totp_enabled
    )


def may_reach(user: Any, level: Access) -> bool:
    """True when `user` (possibly anonymous) may reach a route declared with `level`."""
    if level is Access.PUBLIC:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if level is Access.SIGNED_IN:
        return True
    role = level.role
    return role is not None and user.has_role(role) and not needs_second_factor(user)


def enforce_route() -> Any:
    """before_request hook: refuse routes that declare nothing or that the user may not reach."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404/405 handlers answer
    level = route_access(current_app, endpoint)
    if level is None:
        current_app.logger.error("route %s declares no access; refused", endpoint)
        _refuse()
    if may_reach(current_user, level):
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    if needs_second_factor(current_user):
        return redirect(url_for("settings.two_factor"))
    _refuse()
    return None


def _refuse() -> NoReturn:
    route_refused.send(current_app._get_current_object(), endpoint=request.endpoint)
    abort(403)


# --- object-level rules -------------------------------------------------------------

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    """Register the rule that answers `can(user, action, obj)`."""

    def register(fn: Rule) -> Rule:
        _RULES[action] = fn
        return fn

    return register


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May `user` do `action` (to `obj`)? Unknown actions are refused."""
    check = _RULES.get(action)
    if check is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return check(user, obj)


def _is_admin(user: User, _obj: Any = None) -> bool:
    return user.has_role(Role.ADMIN)


rule("users.list")(_is_admin)
rule("users.invite")(_is_admin)
rule("audit.view")(_is_admin)


@rule("users.deactivate")
def _deactivate(user: User, target: User) -> bool:
    return user.has_role(Role.ADMIN) and target.id != user.id and target.active


@rule("users.reactivate")
def _reactivate(user: User, target: User) -> bool:
    return user.has_role(Role.ADMIN) and not target.active


@rule("users.change_role")
def _change_role(user: User, target: User) -> bool:
    return user.has_role(Role.ADMIN) and target.id != user.id


@rule("review.queue")
def _review(user: User, _obj: Any = None) -> bool:
    return user.has_role(Role.COORDINATOR)


@rule("cases.create")
def _create_case(user: User, _obj: Any = None) -> bool:
    return user.has_role(Role.MEMBER)


@rule("cases.view")
def _view_case(user: User, case: Case) -> bool:
    """The reporting member and coordinators; other members never learn the case exists."""
    return case.reporter_id == user.id or user.has_role(Role.COORDINATOR)


@rule("cases.edit")
def _edit_case(user: User, case: Case) -> bool:
    return case.reporter_id == user.id and case.status in REPORTER_EDITABLE


@rule("evidence.add")
def _add_evidence(user: User, case: Case) -> bool:
    if user.has_role(Role.COORDINATOR):
        return case.status not in CLOSED
    return case.reporter_id == user.id and case.status in EVIDENCE_OPEN


@rule("evidence.download")
def _download(user: User, evidence: Evidence) -> bool:
    return _view_case(user, evidence.case)


@rule("evidence.delete")
def _delete_evidence(user: User, evidence: Evidence) -> bool:
    """Only while the case is a draft; after submission evidence is withdrawn, never deleted."""
    return evidence.added_by_id == user.id and evidence.case.status is CaseStatus.DRAFT


@rule("evidence.withdraw")
def _withdraw_evidence(user: User, evidence: Evidence) -> bool:
    if evidence.withdrawn_at is not None or evidence.case.status is CaseStatus.DRAFT:
        return False
    return evidence.added_by_id == user.id or user.has_role(Role.COORDINATOR)


@rule("two_factor.disable")
def _disable_2fa(user: User, _obj: Any = None) -> bool:
    required = bool(current_app.config["REQUIRE_2FA"]) and user.has_role(Role.COORDINATOR)
    return user.totp_enabled and not required


@rule("publications.create")
def _create_publication(user: User, _obj: Any = None) -> bool:
    return user.has_role(Role.COORDINATOR)


@rule("publications.edit")
def _edit_publication(user: User, _publication: Any = None) -> bool:
    """Coordinators write, edit, preview and publish every publication of the network."""
    return user.has_role(Role.COORDINATOR)


rule("organisations.manage")(_is_admin)


@rule("notifications.read")
def _read_notification(user: User, notification: Any) -> bool:
    return notification.user_id == user.id
