"""Writing the site: a complete new site is made in a folder beside the old one and swapped in at once.

A failed or killed build therefore leaves the old site or the new one, never a mix. Files whose bytes
are unchanged are hard-linked from the old site instead of written again. An output folder that is a
mount point cannot be swapped: the new site is made inside it and its entries are swapped in one by one.
This is the only module that replaces the output folder; its callers hold the folder's lock (timeline.lock).
"""

from __future__ import annotations

import errno
import glob
import multiprocessing
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from timeline import linux
from timeline.errors import UsageError
from timeline.linux import is_mount_point
from timeline.marker import MARKER, SiteSummary, count_files, is_marked, record, unmark, write_marker


def check_output_dir(output_dir: Path, protected: Sequence[Path]) -> None:
    """Refuse an output folder we must not replace: a file, a folder of other things, or one holding our inputs;
    and say at once when the new site could not be prepared where it must be."""
    resolved = output_dir.resolve()
    for kept in protected:
        kept_resolved = kept.resolve()
        if kept_resolved.is_relative_to(resolved) or resolved.is_relative_to(kept_resolved):
            raise UsageError(f"output folder {output_dir} overlaps {kept}; choose another --out")
    if output_dir.exists() and not output_dir.is_dir():
        raise UsageError(f"output folder {output_dir} is a file; choose another --out")
    # The new site is prepared beside the output folder (inside it, for a mount point), so that is where we write.
    workplace = staging_parent(resolved)
    existing = next(folder for folder in (workplace, *workplace.parents) if folder.exists())
    if not existing.is_dir():
        raise UsageError(f"cannot create output folder {output_dir}: {existing} is a file; choose another --out")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(
            f"cannot write in {existing}, where the new site for {output_dir} is prepared before it replaces the "
            "old one; make that folder writable or choose another --out"
        )
    if output_dir.is_dir() and any(output_dir.iterdir()) and not is_marked(output_dir):
        raise UsageError(
            f"output folder {output_dir} holds files this tool did not build; "
            "refusing to replace it (empty it or choose another --out)"
        )


def staging_parent(output_dir: Path) -> Path:
    """Where the new site is prepared: beside the (resolved) output folder, on its file system, to be swapped in;
    inside it when it is a mount point, which cannot be swapped, only emptied and filled."""
    return output_dir if is_mount_point(output_dir) else output_dir.parent


class SiteTooLarge(Exception):
    """The site grew past its size limit while it was written; args: the limit in bytes, the file that passed it."""


class SiteWriter:
    """Writes files into a staging folder. `current` is the site being replaced, if its files may be reused:
    a file with the same bytes there is linked, not written, and keep() links one known to be unchanged.

    It counts the files and bytes it puts into the site, in every worker process (the count is in shared
    memory), and raises SiteTooLarge as soon as the bytes pass `limit`: a runaway site stops there."""

    def __init__(self, staging: Path, current: Path | None, limit: int | None = None) -> None:
        self.staging, self.current, self.limit = staging, current, limit
        self._tally = _shared_tally()  # [files, bytes]

    @property
    def files(self) -> int:
        return self._tally[0]

    def add(self, name: str, content: bytes) -> None:
        target = self._target(name)
        self._count(name, len(content))
        if not (self.current is not None and _link_if_same(self.current / name, content, target)):
            target.write_bytes(content)

    def keep(self, name: str) -> bool:
        """Link the current site's file `name` into the new site; False if it cannot be (then add it)."""
        if self.current is None:
            return False
        try:
            os.link(self.current / name, self._target(name), follow_symlinks=False)
        except OSError:
            return False
        self._count(name, (self.staging / name).lstat().st_size)
        return True

    def _count(self, name: str, size: int) -> None:
        with self._tally.get_lock():
            self._tally[0] += 1
            self._tally[1] += size
            total = self._tally[1]
        if self.limit is not None and total > self.limit:
            raise SiteTooLarge(self.limit, name)

    def _target(self, name: str) -> Path:
        check_relative(name)
        target = self.staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


def write_site(
    output_dir: Path, fill: Callable[[SiteWriter], SiteSummary], reuse: bool = True, limit: int | None = None
) -> SiteSummary:
    """Make output_dir hold exactly what `fill` adds to the writer it is given, and nothing else.

    If `fill` raises, nothing is published. With `reuse`, the current site's files may be linked into the
    new one (see SiteWriter). A site of more than `limit` bytes (with what `fill` adds besides the writer,
    such as the search index) raises SiteTooLarge and is not published. The summary `fill` returns goes into
    the new site's marker, which is written last, only for a complete site, and is returned with the site's
    file count and size. A full disk raises UsageError naming the folder.
    """
    # The real folder: '.' has no name to stage beside, and a symlinked site should be filled, not replaced.
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(output_dir)
    try:
        with folder_beside(output_dir) as staging:
            made = staging.stat()
            current = output_dir if reuse and is_marked(output_dir) else None
            staging.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
            writer = SiteWriter(staging, current, limit)
            recorded = write_marker(staging, _complete(fill(writer), staging, made, writer))
            if limit is not None and recorded.size > limit:
                raise SiteTooLarge(limit, "")
            if staging.parent == output_dir:
                swap_contents(staging, output_dir)
            else:
                swap_into_place(staging, output_dir)
            # `staging` now holds the old site, removed on leaving folder_beside.
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UsageError(
                f"no space left on the device to write the new site for {output_dir} (it is prepared in "
                f"{staging_parent(output_dir)}): {error.strerror}; {output_dir} was not changed. Free some space, "
                "or choose an --out on another disk"
            ) from None
        raise
    # Removing the old site's links to files the new one shares changed their ctime: the marker must be
    # newer than every file for the site to count as untouched (marker.intact_site).
    return record(output_dir, recorded)


def _complete(summary: SiteSummary, staging: Path, made: os.stat_result, writer: SiteWriter) -> SiteSummary:
    """`summary`, after checking that the staging folder still holds every file written into it: a site with a
    file missing must never be marked as built."""
    now = staging.stat()
    if (now.st_dev, now.st_ino) != (made.st_dev, made.st_ino) or count_files(staging)[0] < writer.files:
        raise UsageError(
            f"files of the new site were removed from {staging} by another program while it was written; "
            "the site was not changed: build again"
        )
    return summary


@contextmanager
def folder_beside(output_dir: Path) -> Iterator[Path]:
    """A new empty folder next to the site, on the same file system, so that it can be renamed into the site
    (inside the site when it is a mount point); removed afterwards. Builds in other processes remove it only
    if this one was killed."""
    output_dir = output_dir.resolve()
    folder = Path(tempfile.mkdtemp(prefix=_own_prefix(output_dir), dir=staging_parent(output_dir)))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def swap_into_place(staging: Path, output_dir: Path) -> None:
    """Put folder `staging` where output_dir is, in one step where the system allows: afterwards output_dir
    holds the new site (or search index) and `staging` the old one (or nothing)."""
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    if linux.exchange(staging, output_dir):
        return
    # No atomic exchange on this system: two renames, with a moment in between without a site.
    previous = output_dir.with_name(f"{_prefix(output_dir)}old")
    output_dir.rename(previous)
    staging.rename(output_dir)
    shutil.rmtree(previous, ignore_errors=True)


def swap_contents(staging: Path, output_dir: Path) -> None:
    """Put the site in `staging` (a folder inside output_dir) into output_dir, a mount point, which cannot be
    renamed: name by name, each in one atomic exchange where the system allows. Meanwhile the marker says the
    site must be built again, so that a build killed halfway is never taken for a complete site. Afterwards
    `staging` holds the old site."""
    if is_marked(output_dir):
        unmark(output_dir)
    else:  # an empty folder so far: ours from now on, and not complete until the new marker is in
        record(output_dir, SiteSummary(None, 0, 0))
    trash = Path(tempfile.mkdtemp(dir=staging))
    new_names = {item.name for item in staging.iterdir()} - {MARKER, trash.name}
    for item in output_dir.iterdir():
        if item.name not in new_names and item.name != MARKER and not item.name.startswith(_prefix(output_dir)):
            item.rename(trash / item.name)
    for name in sorted(new_names):
        target = output_dir / name
        if os.path.lexists(target):
            if linux.exchange(staging / name, target):
                continue  # the old one is in `staging` now
            target.rename(trash / name)
        (staging / name).rename(target)
    os.replace(staging / MARKER, output_dir / MARKER)


def remove_leftovers(output_dir: Path) -> None:
    """Folders beside the site (inside it, for a mount point) that other processes made and did not remove:
    they were killed mid-write. Call it only while holding the output folder's lock (timeline.lock), so that
    no live build's folder is taken for a leftover.

    Where there is no atomic exchange, a build killed between its two renames leaves the old site only in
    '<prefix>old': put it back first, so it is never thrown away. This process's own folders stay.
    """
    previous = output_dir.with_name(f"{_prefix(output_dir)}old")
    if not output_dir.exists() and is_marked(previous):
        previous.rename(output_dir)
    own = _own_prefix(output_dir)
    for leftover in staging_parent(output_dir).glob(f"{glob.escape(_prefix(output_dir))}*"):
        if not leftover.name.startswith(own):
            shutil.rmtree(leftover, ignore_errors=True)


def check_relative(name: str) -> None:
    """Refuse a file name that would leave the site: every name comes from the content, so check it here."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise ValueError(f"refusing to write outside the site: {name!r}")


def _shared_tally() -> Any:
    """Two counters in shared memory, seen and changed by forked worker processes too."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    return context.Array("q", 2)


def _prefix(output_dir: Path) -> str:
    return f".{output_dir.name}.building-"


def _own_prefix(output_dir: Path) -> str:
    """Folders this process makes carry its number, so that it never removes its own as leftovers."""
    return f"{_prefix(output_dir)}{os.getpid()}-"


def _link_if_same(existing: Path, content: bytes, target: Path) -> bool:
    """Share a file with the current site when its bytes are the ones wanted; False where that cannot be."""
    try:
        status = existing.lstat()
        if not stat.S_ISREG(status.st_mode) or status.st_size != len(content) or existing.read_bytes() != content:
            return False
        os.link(existing, target, follow_symlinks=False)
    except OSError:
        return False
    return True
