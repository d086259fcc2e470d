"""Account rules: sign-in, invitations, password reset and change, deactivation, roles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import AccountToken, Organisation, Role, TokenPurpose, User
from tracker.accounts.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from tracker.audit.services import record_event
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.mail import send_mail


class AccountError(Exception):
    """A rule about accounts was broken; the message is shown to the user."""


class WrongPassword(AccountError):
    """The current password given to confirm a change is not the right one."""


def normalise_email(email: str) -> str:
    """Addresses compare case-insensitively and without surrounding space."""
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    """The account with this address, if any."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too short."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise AccountError(_l("Use at least %(n)s characters.", n=minimum))


def create_user(
    email: str,
    name: str,
    role: Role,
    password: str,
    organisation: Organisation | None = None,
) -> User:
    """Create an account directly (command line and demo); invitations use accept_invitation."""
    if user_by_email(email):
        raise AccountError(_l("An account with this address already exists."))
    check_password_rules(password)
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=role,
        password_hash=hash_password(password),
        organisation=organisation,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this address and password, or None (in about constant time)."""
    user = user_by_email(email)
    if user is None:
        verify_password(dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User) -> None:
    """Note a completed sign-in in the account and the audit trail."""
    user.last_login_at = utcnow()
    record_event("login", user_id=user.id)


def sign_out(user: User) -> None:
    """Signing out ends every session of the user, not only this browser's: a copy of the
    session cookie (from a seized, lost or shared device) stops working at once too."""
    end_sessions(user)
    record_event("logout", user_id=user.id)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _issue_token(purpose: TokenPurpose, email: str, ttl: timedelta, **fields: object) -> str:
    raw = secrets.token_urlsafe(32)  # 256 bits
    token = AccountToken(
        purpose=purpose,
        token_hash=_token_hash(raw),
        email=normalise_email(email),
        expires_at=utcnow() + ttl,
        **fields,
    )
    db.session.add(token)
    db.session.flush()
    return raw


def find_token(raw: str, purpose: TokenPurpose) -> AccountToken | None:
    """The unused, unexpired token of this purpose, or None."""
    token = db.session.scalar(
        sa.select(AccountToken).where(
            AccountToken.token_hash == _token_hash(raw), AccountToken.purpose == purpose
        )
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token


def _link(endpoint_path: str, raw: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}{endpoint_path}{raw}"


def invite(email: str, role: Role, by: User, organisation: Organisation | None = None) -> str:
    """Invite someone by email; returns the raw token (sent by mail, never stored)."""
    if user_by_email(email):
        raise AccountError(_l("An account with this address already exists."))
    ttl = timedelta(hours=current_app.config["INVITE_TTL_HOURS"])
    raw = _issue_token(
        TokenPurpose.INVITE, email, ttl, role=role, organisation=organisation, created_by=by
    )
    record_event("invitation_sent", user_id=by.id, details={"role": role.value})
    with force_locale(by.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        send_mail(
            normalise_email(email),
            str(_l("Invitation to the monitoring network")),
            str(
                _l(
                    "You have been invited to join the network's case tracker. "
                    "Open this link within %(hours)s hours to set up your account:\n\n%(link)s",
                    hours=current_app.config["INVITE_TTL_HOURS"],
                    link=_link("/invite/", raw),
                )
            ),
        )
    return raw


def accept_invitation(raw: str, name: str, password: str) -> User:
    """Turn a valid invitation into an account; the link cannot be used again."""
    token = find_token(raw, TokenPurpose.INVITE)
    if token is None or token.role is None:
        raise AccountError(_l("This invitation link is invalid, used or expired."))
    user = create_user(token.email, name, token.role, password, token.organisation)
    token.used_at = utcnow()
    token.user = user
    record_event("invitation_accepted", user_id=user.id, details={"role": user.role.value})
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address belongs to an active account; say nothing either way."""
    user = user_by_email(email)
    if user is None or not user.active:
        current_app.logger.info("password reset asked for an unknown or inactive address")
        return
    ttl = timedelta(minutes=current_app.config["RESET_TTL_MINUTES"])
    raw = _issue_token(TokenPurpose.RESET, user.email, ttl, user=user)
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        send_mail(
            user.email,
            str(_l("Reset your password")),
            str(
                _l(
                    "Someone asked to reset the password of your account. If it was you, "
                    "open this link within %(minutes)s minutes:\n\n%(link)s\n\n"
                    "If it was not you, ignore this message.",
                    minutes=current_app.config["RESET_TTL_MINUTES"],
                    link=_link("/reset/", raw),
                )
            ),
        )


def reset_password(raw: str, password: str) -> User:
    """Set a new password through a valid reset link; all other sessions end."""
    token = find_token(raw, TokenPurpose.RESET)
    if token is None or token.user is None or not token.user.active:
        raise AccountError(_l("This reset link is invalid, used or expired."))
    check_password_rules(password)
    _set_password(token.user, password)
    token.used_at = utcnow()
    record_event("password_reset", user_id=token.user.id)
    return token.user


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current):
        raise WrongPassword(_l("The current password is not correct."))
    check_password_rules(new)
    _set_password(user, new)
    record_event("password_changed", user_id=user.id)


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Invalidate every session of this user by changing their session token."""
    user.session_token = secrets.token_hex(16)


def deactivate(user: User, by: User) -> None:
    """Deactivate an account: its sessions end at once; its cases stay."""
    user.active = False
    user.deactivated_at = utcnow()
    end_sessions(user)
    record_event("user_deactivated", user_id=by.id, subject_user_id=user.id)


def reactivate(user: User, by: User) -> None:
    """Let a deactivated account sign in again."""
    user.active = True
    user.deactivated_at = None
    record_event("user_reactivated", user_id=by.id, subject_user_id=user.id)


def change_role(user: User, role: Role, by: User) -> None:
    """Give a user another role; their sessions end so the new role applies at next sign-in."""
    old = user.role
    user.role = role
    end_sessions(user)
    record_event(
        "role_changed",
        user_id=by.id,
        subject_user_id=user.id,
        details={"from": old.value, "to": role.value},
    )


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the active user whose id and session token match."""
    ident, _, session_token = user_id.partition(":")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active:
        return None
    return user if secrets.compare_digest(user.session_token, session_token) else None
