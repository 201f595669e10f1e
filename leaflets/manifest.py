"""The build manifest: ``<out>/leaflets-manifest.json``, a hint and never an authority.

It records, for every artifact a build wrote, the target's fingerprint and
inputs stamp (see :mod:`leaflets.plan`) and the digest and size of the bytes
written, so the next build can tell which files are up to date and intact.

Anyone who can write to the output folder can edit it, so nothing in it
decides *what* is built: the plan comes from the inputs (topic files,
catalogs, options), and the manifest only lets a planned target whose
recorded stamp, and whose file's bytes, still match be skipped.  Input
digests are always computed from the files' contents, never taken from the
manifest.

Only the parent process of a build reads and writes it, atomically, once at
the end (also after a failure or Ctrl-C, for what was finished).  It is read
only when it is a regular file in ``--out`` (not a link, pipe or device), of
at most :data:`MAX_MANIFEST_BYTES`, JSON nested at most :data:`MAX_DEPTH`
deep, with every entry of the expected shape.  A manifest that is missing
counts as empty; one that is anything else is ignored, with a one-line
reason (:attr:`Manifest.ignored`), and everything is rebuilt: nothing fails.
"""

from __future__ import annotations

import errno
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.output import write_atomic
from leaflets.safefile import NotRegular, read_regular

MANIFEST_NAME = "leaflets-manifest.json"
FORMAT_VERSION = 1
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 4  # {"targets": {name: {key: value}}}
# An entry's keys and the types their values may have.
ENTRY_FIELDS = {"topic": (str,), "locale": (str,), "format": (str,), "paper": (str, type(None)),
                # an edition's (issue 18); absent for the standard one
                "variant": (str,), "brand": (str,), "second_locale": (str,),
                "fingerprint": (str,), "inputs": (str,), "bytes": (int,), "output": (str,), "summary": (str,),
                # the layout choice drawn (a handout's density), sealed: leaflets.layoutmemo
                "layout": (str,)}
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class ManifestIgnored(ValueError):
    """Why a manifest that exists is not used."""


@dataclass
class Manifest:
    generator: str = ""
    targets: dict[str, dict] = field(default_factory=dict)
    ignored: str | None = None  # why an existing manifest was not used (None: used, or there was none)

    @classmethod
    def load(cls, out: Path) -> "Manifest":
        """The manifest in ``out``; an empty one, with :attr:`ignored` saying why, when it is
        anything but a well-formed manifest file."""
        try:
            return cls._parse(cls._read(Path(out) / MANIFEST_NAME))
        except FileNotFoundError:
            return cls()
        except ManifestIgnored as exc:
            return cls(ignored=str(exc))

    @staticmethod
    def _read(path: Path) -> bytes:
        try:
            return read_regular(path, MAX_MANIFEST_BYTES, follow=False)
        except NotRegular as exc:
            raise ManifestIgnored(f"{MANIFEST_NAME} is {exc}") from None
        except FileNotFoundError:
            raise
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EMLINK):
                raise ManifestIgnored(f"{MANIFEST_NAME} is a link; it is read only as a file in the output "
                                      "folder") from None
            raise ManifestIgnored(f"{MANIFEST_NAME} cannot be read ({exc.strerror})") from None

    @classmethod
    def _parse(cls, data: bytes) -> "Manifest":
        depth = deepest(data)
        if depth > MAX_DEPTH:
            raise ManifestIgnored(f"{MANIFEST_NAME} is nested {depth} levels deep (a manifest has {MAX_DEPTH})")
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ManifestIgnored(f"{MANIFEST_NAME} is not JSON ({str(exc)[:80]})") from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT_VERSION:
            raise ManifestIgnored(f"{MANIFEST_NAME} is not a manifest of format {FORMAT_VERSION}")
        generator, targets = raw.get("generator", ""), raw.get("targets", {})
        if not isinstance(generator, str) or not isinstance(targets, dict):
            raise ManifestIgnored(f"{MANIFEST_NAME}: 'generator' must be text and 'targets' a mapping")
        for name, entry in targets.items():
            problem = entry_problem(entry)
            if problem:
                shown = name if len(name) <= 60 else name[:57] + "..."
                raise ManifestIgnored(f"{MANIFEST_NAME}: entry {shown!r} {problem}")
        return cls(generator, dict(targets))

    def to_bytes(self) -> bytes:
        data = {"format": FORMAT_VERSION, "generator": self.generator, "targets": dict(sorted(self.targets.items()))}
        return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")

    def save(self, out: Path) -> None:
        write_atomic(Path(out) / MANIFEST_NAME, self.to_bytes(), root=Path(out))


def entry_problem(entry) -> str | None:
    """What is wrong with one target entry, or None."""
    if not isinstance(entry, dict):
        return "is not a mapping"
    for key, value in entry.items():
        kinds = ENTRY_FIELDS.get(key)
        if kinds is None:
            return f"has an unknown key {key[:40]!r}" if isinstance(key, str) else "has a key that is not text"
        if not isinstance(value, kinds) or isinstance(value, bool):
            return f"has {key!r} of the wrong type"
    return None


def deepest(data: bytes) -> int:
    """How deep the JSON text ``data`` nests (strings skipped), without parsing it."""
    depth = deepest_seen = 0
    for char in _STRINGS.sub(b"", data).translate(None, _NOT_BRACKETS):
        if char in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest_seen = max(deepest_seen, depth)
        elif char in (0x5D, 0x7D):
            depth -= 1
    return deepest_seen
