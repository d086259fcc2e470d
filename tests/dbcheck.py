"""Exit 0 when the database at the given URL answers (used by `make test`)."""

from __future__ import annotations

import sys

import sqlalchemy as sa


def answers(url: str) -> bool:
    """True when a connection to `url` can run SELECT 1 within a few seconds."""
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception:
        return False
    return True


if __name__ == "__main__":
    sys.exit(0 if answers(sys.argv[1]) else 1)
