"""Every setting has a line in .env.example, so operators can find and change it."""

from __future__ import annotations

from pathlib import Path

from tracker.config import DEFAULTS

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_every_setting_is_documented() -> None:
    documented = {
        line.split("=", 1)[0].removeprefix("TRACKER_")
        for line in EXAMPLE.read_text().splitlines()
        if line.startswith("TRACKER_")
    }
    missing = sorted(set(DEFAULTS) - documented)
    assert missing == [], f"add TRACKER_{missing[0]} (with a comment) to .env.example"
    for fixed in ("DATABASE_URL", "SECRET_KEY", "STORAGE_DIR"):
        assert fixed in documented
