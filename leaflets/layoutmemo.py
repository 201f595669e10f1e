"""Layout choices remembered per input fingerprint, so a later render lays a handout out once.

A handout's density (:func:`leaflets.render.pdf.choose_density`) is found by
measuring its story at several densities; all but the one drawn are thrown
away.  The choice depends on nothing but what the measurement reads: the
localized document (and a bilingual edition's second one), the design (its
digest), the paper, the fonts and engine files, and the code and libraries
that measure (the generator).  :func:`layout_key` is a digest of exactly
those (a target's fingerprint without its date, which no measurement
reads), so the same key proves the same choice, and an :class:`Engine
<leaflets.engine.Engine>` remembers the density drawn under it
(:class:`LayoutMemo`, bounded, per engine).

A build keeps the choices for the next build in its manifest
(:mod:`leaflets.manifest`), each *sealed*: ``density:key:mac``, the MAC an
HMAC-SHA256 of the key and the density under a secret the output folder does
not hold (the command line's :func:`user_secret`, in the user's cache
folder).  The manifest can be edited by anyone who can write the output
folder; an entry whose MAC does not verify, whose key is not the current
inputs' (stale), or whose density the design does not have, is ignored and
the handout is measured as it would be without a memo: a memo can spare a
measurement, never change a byte.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from pathlib import Path

from leaflets.lru import Memo

MAX_LAYOUTS = 1024  # remembered choices per engine (a key and a density name each); the oldest go first
SECRET_BYTES = 32
SECRET_NAME = "layout-memo.key"
_SEALED = re.compile(r"^([a-z][a-z0-9-]{0,99}):(sha256:[0-9a-f]{64}):([0-9a-f]{64})$")


def layout_key(common: dict, options: dict, document_sha: str) -> str:
    """The key a layout choice is remembered under: ``common`` (generator, engine files, fonts),
    the target's renderer ``options`` (:meth:`BuildOptions.for_target
    <leaflets.plan.BuildOptions.for_target>`: format, paper, edition, design digest...) without
    its date, and the document's digest (with a bilingual edition's second)."""
    from leaflets.plan import digest_of
    return digest_of("layout", common, {k: v for k, v in options.items() if k != "created"}, document_sha)


class LayoutMemo(Memo):
    """Layout choices by :func:`layout_key`, at most :data:`MAX_LAYOUTS` (least recently used go
    first); safe to share between threads.  No key (a renderer that remembers no layout) or no
    choice is never kept nor found."""

    def __init__(self, size: int = MAX_LAYOUTS):
        super().__init__(size)

    def get(self, key: str | None) -> str | None:
        return None if key is None else super().get(key)

    def put(self, key: str | None, choice: str | None) -> None:
        if key is not None and choice is not None:
            super().put(key, choice)


def seal(secret: bytes, key: str, choice: str) -> str:
    """``choice`` (a density name) made for the manifest: ``choice:key:mac``."""
    return f"{choice}:{key}:{_mac(secret, key, choice)}"


def unseal(secret: bytes, sealed) -> tuple[str, str] | None:
    """(key, choice) of a sealed entry whose MAC verifies under ``secret``; None for anything else
    (not text, the wrong shape, a MAC of another secret or of other content)."""
    if not isinstance(sealed, str):
        return None
    match = _SEALED.match(sealed)
    if match is None:
        return None
    choice, key, mac = match.groups()
    if not hmac.compare_digest(mac, _mac(secret, key, choice)):
        return None
    return key, choice


def _mac(secret: bytes, key: str, choice: str) -> str:
    return hmac.new(secret, f"leaflets layout\0{key}\0{choice}".encode("ascii"), hashlib.sha256).hexdigest()


def user_secret(folder: Path | None = None) -> bytes | None:
    """The command line's memo secret: :data:`SECRET_BYTES` random bytes in ``folder`` (default
    ``$XDG_CACHE_HOME/leaflets``, else ``~/.cache/leaflets``), made on first use, readable by the
    user alone.  None when it cannot be read or made (then nothing is remembered between builds:
    every handout is measured, as without a memo)."""
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
        folder = Path(base) / "leaflets"
    path = Path(folder) / SECRET_NAME
    try:
        data = _read_secret(path)
        if data is not None:
            return data
        Path(folder).mkdir(parents=True, exist_ok=True, mode=0o700)
        # written whole under a private name, then linked in place: another process making its
        # own at the same moment either wins (and both use its secret) or finds this one whole
        temporary = path.with_name(f".{SECRET_NAME}.{os.getpid()}.{os.urandom(4).hex()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(SECRET_BYTES))
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
        return _read_secret(path)
    except (OSError, RuntimeError):  # read-only home, no home: no memo between builds
        return None


def _read_secret(path: Path) -> bytes | None:
    """The secret at ``path`` if it is a regular file of the user's, of the right size, that no
    one else can read or write; None if there is none (raises OSError for one that is unusable,
    so it is neither trusted nor overwritten)."""
    import stat
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if (not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077 or info.st_size != SECRET_BYTES
                or (hasattr(os, "getuid") and info.st_uid != os.getuid())):
            raise OSError(f"{path} is not a private {SECRET_BYTES}-byte file")
        data = handle.read(SECRET_BYTES + 1)
    if len(data) != SECRET_BYTES:
        raise OSError(f"{path} is not a {SECRET_BYTES}-byte file")
    return data
