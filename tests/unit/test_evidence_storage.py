"""Content-addressed storage: streamed and hashed, moved into place whole, or not at all."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path

import pytest

from tracker.evidence.storage import (
    EmptyFile,
    LocalStorage,
    TooLarge,
    file_sha256,
    orphans,
)


def test_save_streams_hashes_and_places_by_hash(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    data = b"evidence " * 300_000  # several chunks
    stored = storage.save(io.BytesIO(data), len(data))
    sha = hashlib.sha256(data).hexdigest()
    assert (stored.sha256, stored.size, stored.created) == (sha, len(data), True)
    assert stored.head == data[:8192]
    path = tmp_path / sha[:2] / sha[2:4] / sha
    assert path.read_bytes() == data and storage.path(sha) == path
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert list(storage.hashes()) == [sha] and storage.leftovers() == []
    again = storage.save(io.BytesIO(data), len(data))
    assert again.created is False and storage.leftovers() == []
    with storage.open(sha) as fh:
        assert file_sha256(fh) == sha


def test_too_large_and_empty_keep_nothing(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    with pytest.raises(TooLarge):
        storage.save(io.BytesIO(b"x" * 11), 10)
    with pytest.raises(EmptyFile):
        storage.save(io.BytesIO(b""), 10)
    assert list(storage.hashes()) == [] and storage.leftovers() == []


def test_incoming_is_removed_unless_kept(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    incoming = storage.incoming(100)
    incoming.write(b"partial")
    assert incoming.path.exists() and storage.leftovers() == [incoming.path]
    incoming.close()
    assert not incoming.path.exists() and storage.leftovers() == []
    over = storage.incoming(4)
    with pytest.raises(TooLarge):
        over.write(b"12345")
    assert not over.path.exists()


def test_failed_move_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    storage = LocalStorage(tmp_path)

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        storage.save(io.BytesIO(b"data"), 100)
    assert list(storage.hashes()) == [] and storage.leftovers() == []


def test_bad_hashes_are_not_paths(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    for bad in ("../../etc/passwd", "A" * 64, "a" * 63, ""):
        with pytest.raises(ValueError):
            storage.path(bad)


def test_orphans_respect_a_grace_period(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    used = storage.save(io.BytesIO(b"used"), 100).sha256
    loose = storage.save(io.BytesIO(b"loose"), 100).sha256
    assert orphans(storage, [used]) == [loose]
    assert orphans(storage, [used], older_than=3600) == []
    unfinished = storage.incoming(10)  # a leftover, but only once it is old
    assert len(storage.leftovers()) == 1 and storage.leftovers(older_than=3600) == []
    unfinished.close()
