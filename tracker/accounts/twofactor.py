"""TOTP two-factor login with hashed single-use recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import RecoveryCode, User
from tracker.accounts.services import AccountError
from tracker.audit.services import record_event
from tracker.dbtypes import utcnow

ISSUER = "tracker"
RECOVERY_CODES = 10


def new_secret() -> str:
    """A fresh base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// URI an authenticator app scans."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (markup, no script)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff")


def _matching_counter(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code equals `code`, allowing one step of clock drift."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now if now is not None else time.time())
    for counter in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


def enable(user: User, secret: str, code: str) -> list[str]:
    """Turn on two-factor login once the user proves their app works; returns recovery codes."""
    counter = _matching_counter(secret, code)
    if counter is None:
        raise AccountError(_l("That code is not correct. Check the time on your phone."))
    user.totp_secret = secret
    user.totp_last_counter = counter
    codes = _new_recovery_codes(user)
    record_event("two_factor_enabled", user_id=user.id)
    return codes


def disable(user: User) -> None:
    """Turn off two-factor login and drop the recovery codes."""
    user.totp_secret = None
    user.totp_last_counter = None
    user.recovery_codes.clear()
    record_event("two_factor_disabled", user_id=user.id)


def verify(user: User, code: str) -> bool:
    """Check a TOTP code or a recovery code; neither can be used twice."""
    if user.totp_secret is None:
        return False
    counter = _matching_counter(user.totp_secret, code)
    if counter is not None:
        if user.totp_last_counter is not None and counter <= user.totp_last_counter:
            return False  # replay of a code already used
        user.totp_last_counter = counter
        return True
    return _use_recovery_code(user, code)


def _hash_code(code: str) -> str:
    return hashlib.sha256("".join(code.lower().split()).replace("-", "").encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    user.recovery_codes.clear()
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 40 bits each, single use, hashed
        codes.append(f"{raw[:5]}-{raw[5:]}")
        user.recovery_codes.append(RecoveryCode(code_hash=_hash_code(raw)))
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """Replace all recovery codes with new ones."""
    codes = _new_recovery_codes(user)
    record_event("recovery_codes_regenerated", user_id=user.id)
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    wanted = _hash_code(code)
    for stored in user.recovery_codes:
        if stored.used_at is None and hmac.compare_digest(stored.code_hash, wanted):
            stored.used_at = utcnow()
            record_event("recovery_code_used", user_id=user.id)
            return True
    return False


def remaining_recovery_codes(user: User) -> int:
    """How many unused recovery codes the user has left."""
    return sum(1 for c in user.recovery_codes if c.used_at is None)
