"""The output folder: atomic writes, temporary-file hygiene, readable write errors.

Every artifact is written to a temporary file *in its own folder* (so the
final rename never crosses a file system), flushed to disk with ``fsync``
and renamed over the target: a reader sees the old file or the new one,
never half of one.  Temporary files are named

    ``.<name>.leaflets-tmp.<pid>.<random>``

so the next build can recognise debris left by a build that was killed
(``kill -9``, power loss) and remove it, while leaving alone the temporary
files of a build that is still running (its process id is alive).

A failure of the file system (not a folder, read-only, full disk) becomes a
:class:`~leaflets.errors.LeafletsError` naming the path: one line, no
traceback.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
from pathlib import Path

from leaflets.errors import Diagnostic, LeafletsError, display_path

TEMP_MARK = ".leaflets-tmp."
TEMP_NAME = re.compile(r"^\..+\.leaflets-tmp\.(\d+)\.[0-9a-f]+$")

_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ENOENT: "a folder on the path does not exist",
    errno.EIO: "input/output error",
}


def write_error(path: Path | str, exc: OSError, doing: str = "cannot write") -> LeafletsError:
    """A one-line error for an ``OSError`` met while writing ``path``."""
    reason = _REASONS.get(exc.errno, exc.strerror or type(exc).__name__)
    return LeafletsError(Diagnostic(display_path(path), 0, 0, f"{doing}: {reason}"))


def temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}.{secrets.token_hex(4)}")


def check_folder(folder: Path) -> None:
    """Refuse an output folder that exists as something other than a folder."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise LeafletsError(Diagnostic(display_path(folder), 0, 0,
                                       "cannot write the build here: it is a file, not a folder"))
    for parent in folder.parents:
        if parent.exists():
            if not parent.is_dir():
                raise LeafletsError(Diagnostic(display_path(parent), 0, 0,
                                               f"cannot create {display_path(folder)}: this is a file, not a folder"))
            break


def prepare_folder(folder: Path) -> None:
    """Create ``folder`` (and parents) or explain in one line why it cannot be."""
    folder = Path(folder)
    check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise LeafletsError(Diagnostic(display_path(folder), 0, 0,
                                       "cannot write the build here: it is a file, not a folder")) from None
    except OSError as exc:
        raise write_error(folder, exc, "cannot create the output folder") from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: temporary file, fsync, rename; raise a
    one-line :class:`LeafletsError` on a file-system failure.  Whatever
    happens (also Ctrl-C), no temporary file is left behind."""
    path = Path(path)
    prepare_folder(path.parent)
    tmp = temp_path(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise write_error(path, exc) from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_stale_temporaries(folder: Path, depth: int = 1) -> list[Path]:
    """Remove temporary files left in ``folder`` (and ``depth`` levels of
    subfolders) by builds that are no longer running; return them."""
    removed: list[Path] = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    pending = [(folder, 0)]
    while pending:
        current, level = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if level < depth:
                    pending.append((Path(entry.path), level + 1))
                continue
            match = TEMP_NAME.match(entry.name)
            if match and not _alive(int(match.group(1))):
                _unlink(Path(entry.path))
                removed.append(Path(entry.path))
    return removed
