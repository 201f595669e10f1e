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
import stat
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


def write_atomic(path: Path, data: bytes, *, root: Path | None = None) -> None:
    """Write ``data`` to ``path``: temporary file, fsync, rename; raise a
    one-line :class:`LeafletsError` on a file-system failure.  Whatever
    happens (also Ctrl-C), no temporary file is left behind.

    With ``root`` (the output folder, which holds ``path``), every folder from
    ``root`` down to ``path`` is opened with ``O_NOFOLLOW`` relative to the one
    above it, and the file is created and renamed relative to that open
    folder: a link planted in the output folder (``out/en`` pointing at
    ``/etc``) is refused, never written through, even if it appears while
    the build runs."""
    path = Path(path)
    if root is None:
        prepare_folder(path.parent)
        _write_in(None, path, data, path)
        return
    root = Path(root)
    prepare_folder(root)
    try:
        relative = path.relative_to(root)
    except ValueError:
        raise LeafletsError(Diagnostic(display_path(path), 0, 0, f"cannot write outside {display_path(root)}")) from None
    parts = relative.parts
    if not parts or any(part in ("..", ".") for part in parts):
        raise LeafletsError(Diagnostic(display_path(path), 0, 0, f"cannot write outside {display_path(root)}"))
    folder = _open_folder(root)
    try:
        here = root
        for part in parts[:-1]:
            here = here / part
            try:
                os.mkdir(part, dir_fd=folder)
            except FileExistsError:
                pass
            except OSError as exc:
                raise write_error(here, exc, "cannot create the folder") from None
            inner = _open_folder(here, part, folder)
            os.close(folder)
            folder = inner
        _write_in(folder, path, data, path)
    finally:
        os.close(folder)


def _open_folder(shown: Path, name: str | None = None, parent: int | None = None) -> int:
    """Open a folder (``name`` in the open folder ``parent``, not following a link) for ``*at`` calls."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        if parent is None:
            return os.open(shown, flags)
        return os.open(name, flags | getattr(os, "O_NOFOLLOW", 0), dir_fd=parent)
    except OSError as exc:
        if parent is not None and (exc.errno == errno.ELOOP or _is_link(name, parent)):
            raise LeafletsError(Diagnostic(display_path(shown), 0, 0, "cannot write here: it is a symbolic link, "
                                           "and the build writes only inside the output folder, never through a "
                                           "link")) from None
        if exc.errno == errno.ENOTDIR:
            raise LeafletsError(Diagnostic(display_path(shown), 0, 0,
                                           "cannot write the build here: it is a file, not a folder")) from None
        raise write_error(shown, exc) from None


def _is_link(name: str, parent: int) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(name, dir_fd=parent).st_mode)
    except OSError:
        return False


def _write_in(folder: int | None, path: Path, data: bytes, shown: Path) -> None:
    """Temporary file, fsync and rename of ``path`` (its name within the open ``folder``, if given)."""
    tmp = temp_path(path)
    src, dst = (tmp.name, path.name) if folder is not None else (tmp, path)
    at = {"dir_fd": folder} if folder is not None else {}
    try:
        fd = os.open(src, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_BINARY", 0), 0o666, **at)
    except OSError as exc:
        raise write_error(shown, exc) from None
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if folder is not None:
            os.replace(src, dst, src_dir_fd=folder, dst_dir_fd=folder)
        else:
            os.replace(src, dst)
    except OSError as exc:
        _unlink(src, folder)
        raise write_error(shown, exc) from None
    except BaseException:
        _unlink(src, folder)
        raise


def _unlink(path: Path | str, folder: int | None = None) -> None:
    try:
        os.unlink(path, dir_fd=folder) if folder is not None else os.unlink(path)
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
