"""Content-addressed evidence storage: files are kept by SHA-256, immutable.

An upload streams into a temporary file in the same file system while it is hashed
(`Incoming`); only a complete, fsynced file is moved into place (`<root>/ab/cd/<sha256>`) by
`keep`. A failure at any point removes the temporary file, so a half-finished upload leaves
nothing behind. The database row is written by the caller after `keep` returns, and `orphans`
finds files no row points at.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK = 1024 * 1024
HEAD = 8192  # bytes kept for type sniffing
HEX = frozenset("0123456789abcdef")


class TooLarge(Exception):
    """The stream was larger than allowed; nothing was stored."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"larger than {max_bytes} bytes")
        self.max_bytes = max_bytes


class EmptyFile(Exception):
    """The stream had no bytes; nothing was stored."""


@dataclass(frozen=True)
class StoredFile:
    """A file now safely in storage."""

    sha256: str
    size: int
    head: bytes  # the first bytes, for type sniffing
    created: bool  # False when identical content was already stored


class Incoming:
    """An upload being received: a temporary file in storage's tmp dir, hashed as it is written.

    Append-only and file-like enough for werkzeug's multipart parser and Pillow's `save`
    (no `fileno`, so both write through `write` and every byte is hashed). `close` removes the
    temporary file unless `LocalStorage.keep` has moved it into place.
    """

    def __init__(self, tmp_dir: Path, max_bytes: int) -> None:
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        self.path = Path(name)
        self.max_bytes = max_bytes
        self.size = 0
        self.head = b""
        self._file: BinaryIO = os.fdopen(fd, "w+b")
        self._digest = hashlib.sha256()
        self.done = False  # moved into place, or discarded

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def write(self, data: bytes) -> int:
        """Append, hash, count; over the limit the temporary file is removed at once."""
        if self.size + len(data) > self.max_bytes:
            self.discard()
            raise TooLarge(self.max_bytes)
        if len(self.head) < HEAD:
            self.head += data[: HEAD - len(self.head)]
        self._digest.update(data)
        self._file.write(data)
        self.size += len(data)
        return len(data)

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def flush(self) -> None:
        self._file.flush()

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def finish(self) -> None:
        """Make the bytes durable and close the handle (before the file is moved)."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()

    def discard(self) -> None:
        """Close and remove the temporary file (no-op once kept)."""
        self._file.close()
        self.path.unlink(missing_ok=True)
        self.done = True

    def close(self) -> None:
        if not self.done:
            self.discard()


class Overflowing(Incoming):
    """An upload that, past its limit, drops what it holds and swallows the rest of its part,
    so that the parser goes on to the form's other fields."""

    too_large = False

    def write(self, data: bytes) -> int:
        if not self.too_large:
            try:
                return super().write(data)
            except TooLarge:
                self.too_large = True  # the temporary file is already removed
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0 if self.too_large else super().seek(offset, whence)

    def read(self, size: int = -1) -> bytes:
        return b"" if self.too_large else super().read(size)


class Storage(Protocol):
    """What evidence needs from storage; local disk now, S3-compatible later."""

    def incoming(self, max_bytes: int, overflow: bool = False) -> Incoming: ...
    def keep(self, incoming: Incoming) -> StoredFile: ...
    def save(self, stream: BinaryIO, max_bytes: int) -> StoredFile: ...
    def open(self, sha256: str) -> BinaryIO: ...
    def exists(self, sha256: str) -> bool: ...
    def modified(self, sha256: str) -> float: ...
    def delete(self, sha256: str) -> None: ...
    def hashes(self) -> Iterator[str]: ...


def _check_hash(sha256: str) -> str:
    if len(sha256) != 64 or not set(sha256) <= HEX:
        raise ValueError("not a SHA-256 hex digest")
    return sha256


class LocalStorage:
    """Files under a root directory outside the web root."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.tmp = self.root / "tmp"

    def path(self, sha256: str) -> Path:
        """Where the file with this hash lives."""
        sha256 = _check_hash(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def incoming(self, max_bytes: int, overflow: bool = False) -> Incoming:
        """A temporary file to stream an upload into; `keep` it or `close` it. `overflow`:
        past the limit, flag it and swallow the rest rather than stop (Overflowing)."""
        return (Overflowing if overflow else Incoming)(self.tmp, max_bytes)

    def keep(self, incoming: Incoming) -> StoredFile:
        """Move a complete upload into place by its hash; raise EmptyFile and keep nothing."""
        try:
            if incoming.size == 0:
                raise EmptyFile
            incoming.finish()
            sha256, final = incoming.sha256, self.path(incoming.sha256)
            if final.exists():
                os.utime(final)  # a fresh mtime: `sweep` must not take it for an old orphan
                return StoredFile(sha256, incoming.size, incoming.head, created=False)
            self._make_dirs(final.parent)
            os.chmod(incoming.path, 0o440)
            os.replace(incoming.path, final)  # atomic within one file system
            incoming.done = True
            _fsync_dir(final.parent)
            return StoredFile(sha256, incoming.size, incoming.head, created=True)
        finally:
            incoming.close()

    def save(self, stream: BinaryIO, max_bytes: int) -> StoredFile:
        """Stream into storage while hashing; raise TooLarge or EmptyFile and keep nothing."""
        incoming = self.incoming(max_bytes)
        try:
            while chunk := stream.read(CHUNK):
                incoming.write(chunk)
        except BaseException:
            incoming.close()
            raise
        return self.keep(incoming)

    def _make_dirs(self, parent: Path) -> None:
        for directory in (parent.parent, parent):
            if not directory.exists():
                directory.mkdir(exist_ok=True)
                _fsync_dir(directory.parent)

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored file for reading."""
        return self.path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def modified(self, sha256: str) -> float:
        """When the file was last stored (seconds since the epoch)."""
        return self.path(sha256).stat().st_mtime

    def delete(self, sha256: str) -> None:
        """Remove a file (only for orphans: evidence itself is never deleted)."""
        self.path(sha256).unlink(missing_ok=True)

    def hashes(self) -> Iterator[str]:
        """Every hash stored."""
        for path in self.root.glob("??/??/*"):
            if path.is_file() and len(path.name) == 64 and set(path.name) <= HEX:
                yield path.name

    def leftovers(self, older_than: float = 0) -> list[Path]:
        """Temporary files of uploads that never finished (e.g. the process was killed)."""
        if not self.tmp.exists():
            return []
        cutoff = time.time() - older_than
        return sorted(p for p in self.tmp.glob("upload-*") if _mtime(p) <= cutoff)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # finished or discarded meanwhile
        return float("inf")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def orphans(storage: Storage, known: Iterable[str], older_than: float = 0) -> list[str]:
    """Stored hashes that no evidence row refers to, stored at least `older_than` seconds ago.

    The grace period keeps an upload whose file is in place but whose row is not yet
    committed from looking like an orphan.
    """
    wanted = set(known)
    cutoff = time.time() - older_than

    def old(sha256: str) -> bool:
        try:
            return storage.modified(sha256) <= cutoff
        except FileNotFoundError:  # removed meanwhile
            return False

    return sorted(h for h in storage.hashes() if h not in wanted and old(h))


def file_sha256(stream: BinaryIO) -> str:
    """Recompute a stored file's hash from its stream (the verify command uses it)."""
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()
