"""Password hashing with Argon2id."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_DEFAULT = PasswordHasher()
# Tests hash hundreds of passwords; the production parameters would make the suite crawl.
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _hasher() -> PasswordHasher:
    return _FAST if current_app.config.get("TESTING") else _DEFAULT


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when `password` matches the stored hash."""
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the stored hash used weaker parameters than today's."""
    return _hasher().check_needs_rehash(stored)


@cache
def dummy_hash() -> str:
    """A hash to check unknown addresses against, so they take as long as known ones.

    Made on first use, not at import: every start-up and command would pay for it.
    """
    return _hasher().hash("timing-equaliser")
