"""The secret key: production refuses to start without one; development makes and keeps one."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tracker import create_app
from tracker.config import SECRET_FILE, ConfigError


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty instance folder and no secret in the environment."""
    folder = tmp_path / "instance"
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(folder))
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    return folder


def test_production_without_a_secret_refuses_to_start(instance: Path) -> None:
    with pytest.raises(ConfigError, match="TRACKER_SECRET_KEY"):
        create_app({"ENV_NAME": "production"})
    assert not (instance / SECRET_FILE).exists()  # and does not make one up


def test_production_takes_the_secret_from_the_environment(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_SECRET_KEY", "from-the-environment")
    assert create_app({"ENV_NAME": "production"}).config["SECRET_KEY"] == "from-the-environment"
    assert not (instance / SECRET_FILE).exists()


def test_production_takes_the_secret_from_the_instance_folder(instance: Path) -> None:
    instance.mkdir()
    (instance / SECRET_FILE).write_text("from-the-file\n")
    assert create_app({"ENV_NAME": "production"}).config["SECRET_KEY"] == "from-the-file"


def test_development_generates_a_private_secret_and_reuses_it(instance: Path) -> None:
    first = create_app({"ENV_NAME": "development"}).config["SECRET_KEY"]
    path = instance / SECRET_FILE
    assert path.read_text().strip() == first
    assert len(first) >= 64  # 256 bits, hex
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert create_app({"ENV_NAME": "development"}).config["SECRET_KEY"] == first
