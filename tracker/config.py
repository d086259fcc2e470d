"""Configuration: defaults here, then the instance folder, TRACKER_* variables, overrides."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    # "development" (make run), "production" or "testing".
    "ENV_NAME": "development",
    "DATABASE_URL": "",  # empty: SQLite file tracker.db in the instance folder
    "STORAGE_DIR": "",  # empty: evidence/ in the instance folder
    "MAX_UPLOAD_MB": 100,
    "BASE_URL": "http://127.0.0.1:5000",
    "MAIL_SERVER": "",
    "MAIL_PORT": 587,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_USE_TLS": True,
    "MAIL_USE_SSL": False,
    "MAIL_FROM": "tracker@localhost",
    "MAIL_DELIVERY": "thread",  # "thread": after the response; "inline": in the request (tests)
    "GEOCODER": "",  # empty: offline, a municipality's seat stands in; or e.g. "nominatim"
    "GEOCODER_USER_AGENT": "tracker (civil-society case tracking)",
    "GEOCODER_DOMAIN": "",
    "GEOCODER_MIN_DELAY_SECONDS": 1.0,
    "FAR_FROM_MUNICIPALITY_KM": 25.0,
    "MAP_TILE_URL": "",  # empty: no tile server; maps draw the district outlines instead
    "RATELIMIT_STORAGE_URI": "memory://",
    # Per account: a short window only, so an attacker cannot lock a member out for long.
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per minute",
    "LOGIN_LIMIT_PER_IP": "20 per minute; 300 per hour",
    "REQUIRE_2FA": None,  # None: required in production, relaxed elsewhere
    "PUBLISH_NEEDS_SECOND_APPROVAL": None,  # None: on in production, off elsewhere (demo)
    "INVITE_TTL_HOURS": 72,
    "RESET_TTL_MINUTES": 30,
    "PASSWORD_MIN_LENGTH": 12,
    "DATA_LICENCE": "CC BY 4.0",
    "PUBLIC_STATE_TTL": 1.0,  # seconds a worker reuses the public version it read (ETags)
    "BENCH_ROUTES": False,  # the benchmark's reference routes under /bench/ (make bench)
}

SECRET_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


class ConfigError(RuntimeError):
    """The configuration cannot be used (for example, production without a secret key)."""


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, the instance folder's .cfg, the environment and overrides."""
    app.config.update(DEFAULTS)
    app.config.from_pyfile("tracker.cfg", silent=True)
    app.config.from_prefixed_env("TRACKER")
    if overrides:
        app.config.update(overrides)
    cfg = app.config
    instance = Path(app.instance_path)
    production = cfg["ENV_NAME"] == "production"
    cfg["TESTING"] = cfg.get("TESTING") or cfg["ENV_NAME"] == "testing"
    cfg["SQLALCHEMY_DATABASE_URI"] = cfg["DATABASE_URL"] or f"sqlite:///{instance / 'tracker.db'}"
    cfg["STORAGE_DIR"] = cfg["STORAGE_DIR"] or str(instance / "evidence")
    cfg["MAX_CONTENT_LENGTH"] = int(cfg["MAX_UPLOAD_MB"]) * 1024 * 1024 + 1024 * 1024
    if cfg["REQUIRE_2FA"] is None:
        cfg["REQUIRE_2FA"] = production
    if cfg["PUBLISH_NEEDS_SECOND_APPROVAL"] is None:
        cfg["PUBLISH_NEEDS_SECOND_APPROVAL"] = production
    cfg["SECRET_KEY"] = _secret_key(cfg.get("SECRET_KEY"), instance, production)
    cfg.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=production,
        REMEMBER_COOKIE_SAMESITE="Lax",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        BABEL_DEFAULT_LOCALE="sr_Latn",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        RATELIMIT_HEADERS_ENABLED=False,
        WTF_CSRF_TIME_LIMIT=None if not production else 8 * 3600,
    )


def _secret_key(given: str | None, instance: Path, production: bool) -> str:
    """Take the secret from the environment or the instance folder; generate one only locally."""
    if given:
        return given
    path = instance / SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    if production:
        raise ConfigError(
            "TRACKER_SECRET_KEY is not set and instance/secret_key does not exist: "
            "refusing to start in production without a secret key."
        )
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Created owner-only from the first byte: never readable by others, even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
