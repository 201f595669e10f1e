"""The build manifest: ``<out>/leaflets-manifest.json``.

It records, for every artifact a build wrote, the target's fingerprint and
inputs stamp (see :mod:`leaflets.plan`) and the digest of the bytes
written, so the next build can tell which files are up to date and intact.
It also keeps a cache of file digests (keyed by size and modification time)
and which topic id each topic file had, so a no-op rebuild reads no topic
or catalog.

Only the parent process of a build reads and writes it, atomically, once at
the end (also after a failure or Ctrl-C, for what was finished).  A manifest
that is missing, unreadable or of another format version counts as empty:
everything is rebuilt, nothing fails.  It is bookkeeping, not an artifact:
its digest cache holds file sizes and modification times.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.output import write_atomic

MANIFEST_NAME = "leaflets-manifest.json"
FORMAT_VERSION = 1
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


@dataclass
class Manifest:
    generator: str = ""
    targets: dict[str, dict] = field(default_factory=dict)
    topics: dict[str, dict] = field(default_factory=dict)  # topic file -> {"sha256", "id"}
    digests: dict[str, list] = field(default_factory=dict)  # file -> [size, mtime_ns, sha256]

    @classmethod
    def load(cls, out: Path) -> "Manifest":
        path = Path(out) / MANIFEST_NAME
        try:
            if path.stat().st_size > MAX_MANIFEST_BYTES:
                return cls()
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            return cls()
        targets, topics, digests = data.get("targets"), data.get("topics"), data.get("digests")
        manifest = cls(str(data.get("generator", "")))
        if isinstance(targets, dict):
            manifest.targets = {k: v for k, v in targets.items() if isinstance(v, dict)}
        if isinstance(topics, dict):
            manifest.topics = {k: v for k, v in topics.items() if isinstance(v, dict)}
        if isinstance(digests, dict):
            manifest.digests = {k: v for k, v in digests.items()
                                if isinstance(v, list) and len(v) == 3 and all(isinstance(x, (int, str)) for x in v)}
        return manifest

    def to_bytes(self) -> bytes:
        data = {"format": FORMAT_VERSION, "generator": self.generator,
                "targets": dict(sorted(self.targets.items())), "topics": dict(sorted(self.topics.items())),
                "digests": dict(sorted(self.digests.items()))}
        return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")

    def save(self, out: Path) -> None:
        write_atomic(Path(out) / MANIFEST_NAME, self.to_bytes())
