"""What Python has no function for on Linux: two calls through the C library, and whether a folder is a mount
point (bind mounts included); elsewhere the calls report False and mount points are found as Python finds them."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import signal
from functools import lru_cache
from pathlib import Path

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100  # paths relative to the current folder, as rename() takes them
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    """The C library, looked up once: finding it runs a program, which must not happen in a forked child."""
    name = ctypes.util.find_library("c")
    return None if name is None else ctypes.CDLL(name, use_errno=True)


def prepare() -> None:
    """Look the C library up now, before any process that may need it is forked."""
    _libc()


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (renameat2 with RENAME_EXCHANGE); False where that is unavailable."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    return renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0


def is_mount_point(folder: Path) -> bool:
    """Whether `folder` (resolved) is where a file system is mounted: it cannot be renamed or replaced.

    os.path.ismount misses a bind mount of a folder of the same file system (a Docker volume may be one),
    so Linux's own list of mount points is asked too."""
    if os.path.ismount(folder):
        return True
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as mounts:
            # Field 5 is the mount point, with space, tab, newline and backslash written as octal escapes.
            points = {_unescape(line.split(" ")[4]) for line in mounts if line.count(" ") >= 4}
    except OSError:
        return False
    return str(folder) in points


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), field)


def end_with_parent() -> bool:
    """Have this process stopped (SIGTERM) when the thread that started it ends; False where unavailable.

    Safe between fork and exec: it makes no allocation and starts nothing, if prepare() was called before."""
    prctl = getattr(_libc(), "prctl", None)
    return prctl is not None and prctl(_PR_SET_PDEATHSIG, signal.SIGTERM) == 0
