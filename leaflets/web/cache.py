"""The render cache: bytes by key, content-addressed, size-bounded.

Keys are made by :mod:`leaflets.web.service` from digests only (a target's
inputs stamp, the engine's fingerprint), never from what a user typed; on
disk each key is stored under the SHA-256 of the key, so no request string
can reach a file name.

* :class:`DiskCache` (the default): one file per entry in a two-level
  folder, written atomically (a temporary file renamed into place), read
  entries touched, and the least recently used removed once the folder
  holds more than its bound.  Several processes on one machine (or on
  shared storage) may use one folder: a rename is atomic, and an entry is
  the same bytes whoever wrote it.
* :class:`RedisCache`: the same interface on a Redis server, for several
  web processes and worker machines (``--backend redis``); Redis bounds it
  (``maxmemory`` with ``allkeys-lru``, see README "Deployment"), and each
  entry also expires after ``ttl`` seconds.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path


def _name(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class DiskCache:
    """A size-bounded folder of cache entries (see the module docstring)."""

    def __init__(self, folder: Path, max_bytes: int):
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._written = 0  # bytes written since the folder was last measured
        self._measured = self._size()

    def _path(self, key: str) -> Path:
        name = _name(key)
        return self.folder / name[:2] / name

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            os.utime(path)  # recently used: evicted last
        except OSError:
            pass
        return data

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        with self._lock:
            self._written += len(data)
            if self._measured + self._written > self.max_bytes:
                self._evict()

    def _entries(self) -> list[tuple[float, int, Path]]:
        entries = []
        for sub in self.folder.iterdir() if self.folder.is_dir() else ():
            if not sub.is_dir():
                continue
            for path in sub.iterdir():
                try:
                    info = path.stat()
                except OSError:
                    continue
                entries.append((info.st_mtime, info.st_size, path))
        return entries

    def _size(self) -> int:
        return sum(size for _, size, _ in self._entries())

    def _evict(self) -> None:
        """Remove the least recently used entries until the folder is at 80% of its bound."""
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        goal = self.max_bytes * 0.8
        for _, size, path in entries:
            if total <= goal:
                break
            try:
                path.unlink()
                total -= size
            except OSError:
                pass
        self._measured, self._written = total, 0

    def size(self) -> int:
        """Bytes held now (measured)."""
        return self._size()


class RedisCache:
    """The cache on a Redis server (shared by every web process and worker of a deployment)."""

    PREFIX = "leaflets:cache:"

    def __init__(self, url: str, ttl: int = 7 * 24 * 3600):
        import redis
        self.client = redis.Redis.from_url(url)
        self.ttl = ttl

    def get(self, key: str) -> bytes | None:
        return self.client.get(self.PREFIX + _name(key))

    def has(self, key: str) -> bool:
        return bool(self.client.exists(self.PREFIX + _name(key)))

    def put(self, key: str, data: bytes) -> None:
        self.client.set(self.PREFIX + _name(key), data, ex=self.ttl)
