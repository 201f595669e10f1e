"""Reading an input file that may be anything: checked by type and size before it is read.

A path in a project can name a FIFO (reading it waits forever), a device
(``/dev/zero`` never ends), a folder, or a link to a file outside the project
(whose first line an error message would then quote).  :func:`read_regular`
opens without blocking (``O_NONBLOCK``, so a FIFO opens at once), checks
with ``fstat`` on the open file (no race between check and read) that it is
a regular file of at most ``limit`` bytes, and reads at most ``limit`` + 1
bytes; :func:`outside` tells whether a path resolves outside the folders it
should be in.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegular(ValueError):
    """The path is not a regular file, or is larger than allowed; the message says which."""


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: Path | str, limit: int, *, follow: bool = True) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes; :class:`NotRegular`
    otherwise (FIFOs and devices are refused before a byte is read), ``OSError`` when it
    cannot be opened (with ``follow=False`` a symbolic link is ``ELOOP``)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(f"{kind_of(info.st_mode)}, not a file")
        if info.st_size > limit:
            raise NotRegular(f"larger than {_size(limit)}")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise NotRegular(f"larger than {_size(limit)}")
    return data


def _size(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} kB"


def outside(path: Path | str, *folders: Path | str) -> bool:
    """Whether ``path`` resolves (links followed) to a place outside every one of ``folders``."""
    try:
        real = Path(path).resolve()
        return not any(real.is_relative_to(Path(folder).resolve()) for folder in folders)
    except (OSError, RuntimeError):
        return True
