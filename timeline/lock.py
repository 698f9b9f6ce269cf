"""The output folder's lock: one build or preview at a time writes into a given output folder.

Two builds into one folder would otherwise remove each other's staging folders as leftovers, and a
preview with drafts could swap its site in over a build's. The lock is an advisory `flock` on a file
beside the output folder (`.<name>.lock`), which the system releases when its holder ends however it
ends, so a killed build never blocks the next one. An output folder that is a mount point cannot be
replaced, only filled, so the folder itself is locked and nothing is written beside it.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from timeline.errors import UsageError
from timeline.linux import is_mount_point

# The locks this process holds. A forked worker gets copies of their descriptors, and a flock lasts while
# any copy is open: a worker left behind by a killed build would keep the folder locked for ever. So every
# child closes its copies at once; the lock stays the parent's, and ends with it.
_held: set[int] = set()


def _close_held_in_child() -> None:
    for descriptor in _held:
        with suppress(OSError):
            os.close(descriptor)
    _held.clear()


os.register_at_fork(after_in_child=_close_held_in_child)


def lock_path(output_dir: Path) -> Path:
    """The file locked for output_dir: beside it, or the folder itself when it is a mount point."""
    output_dir = output_dir.resolve()
    return output_dir if is_mount_point(output_dir) else output_dir.with_name(f".{output_dir.name}.lock")


@contextmanager
def hold_output(output_dir: Path, waiting: Callable[[str], None] | None) -> Iterator[None]:
    """Hold output_dir's lock for the duration; meanwhile no other build or preview writes into it.

    If another process holds it, `waiting` is called with a message saying so and the lock is waited
    for; with `waiting` None, UsageError is raised instead (--no-wait).
    """
    path = lock_path(output_dir)
    is_file = path != output_dir.resolve()
    descriptor = _acquire(path, is_file, output_dir, waiting)
    _held.add(descriptor)
    try:
        yield
    finally:
        if is_file:
            # Removed while still held: a process that opened it meanwhile finds it gone and opens it anew.
            path.unlink(missing_ok=True)
        _held.discard(descriptor)
        os.close(descriptor)


def _acquire(path: Path, is_file: bool, output_dir: Path, waiting: Callable[[str], None] | None) -> int:
    told = False
    while True:
        descriptor = _open(path, is_file, output_dir)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            if waiting is None:
                os.close(descriptor)
                raise UsageError(
                    f"{output_dir} is being written by another build or preview{holder}; "
                    "try again when it has finished, or build without --no-wait to wait for it"
                ) from None
            if not told:
                waiting(f"Waiting for another build or preview{holder} to finish writing {output_dir}…")
                told = True
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        if not is_file:
            return descriptor
        if _same_file(descriptor, path):
            _write_holder(descriptor)
            return descriptor
        os.close(descriptor)  # its holder removed the file as we waited: lock the one there now


def _open(path: Path, is_file: bool, output_dir: Path) -> int:
    try:
        if not is_file:
            return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise UsageError(
                f"cannot write in {path.parent}, where a build of {output_dir} keeps its lock and prepares the "
                "new site; make that folder writable or choose another --out"
            ) from None
        raise


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        status, opened = path.stat(), os.fstat(descriptor)
    except FileNotFoundError:
        return False
    return (status.st_dev, status.st_ino) == (opened.st_dev, opened.st_ino)


def _holder(descriptor: int) -> str:
    """' (process 1234)', as the holder wrote it into the lock file; '' if it is not known."""
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {text})" if text.isdigit() else ""


def _write_holder(descriptor: int) -> None:
    """Say who holds the lock, for the message of a build that has to wait (if the disk has room for it)."""
    try:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
    except OSError:
        pass
