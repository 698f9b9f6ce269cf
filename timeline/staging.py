"""Writing the site: a complete new site is made in a folder beside the old one and swapped in at once.

A failed or killed build therefore leaves the old site or the new one, never a mix. Files whose bytes
are unchanged are hard-linked from the old site instead of written again. This is the only module that
replaces the output folder.
"""

from __future__ import annotations

import glob
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from timeline import linux
from timeline.errors import UsageError
from timeline.marker import SiteSummary, is_marked, record, write_marker


def check_output_dir(output_dir: Path, protected: Sequence[Path]) -> None:
    """Refuse an output folder we must not replace: a file, a folder of other things, or one holding our inputs."""
    resolved = output_dir.resolve()
    for kept in protected:
        kept_resolved = kept.resolve()
        if kept_resolved.is_relative_to(resolved) or resolved.is_relative_to(kept_resolved):
            raise UsageError(f"output folder {output_dir} overlaps {kept}; choose another --out")
    if output_dir.exists() and not output_dir.is_dir():
        raise UsageError(f"output folder {output_dir} is a file; choose another --out")
    existing = next(folder for folder in (resolved, *resolved.parents) if folder.exists())
    if not existing.is_dir():
        raise UsageError(f"cannot create output folder {output_dir}: {existing} is a file; choose another --out")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write in {existing}; choose another --out")
    if output_dir.is_dir() and any(output_dir.iterdir()) and not is_marked(output_dir):
        raise UsageError(
            f"output folder {output_dir} holds files this tool did not build; "
            "refusing to replace it (empty it or choose another --out)"
        )


class SiteWriter:
    """Writes files into a staging folder. `current` is the site being replaced, if its files may be reused:
    a file with the same bytes there is linked, not written, and keep() links one known to be unchanged."""

    def __init__(self, staging: Path, current: Path | None) -> None:
        self.staging, self.current = staging, current

    def add(self, name: str, content: bytes) -> None:
        target = self._target(name)
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
        return True

    def _target(self, name: str) -> Path:
        check_relative(name)
        target = self.staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


def write_site(output_dir: Path, fill: Callable[[SiteWriter], SiteSummary], reuse: bool = True) -> SiteSummary:
    """Make output_dir hold exactly what `fill` adds to the writer it is given, and nothing else.

    If `fill` raises, nothing is published. With `reuse`, the current site's files may be linked into the
    new one (see SiteWriter). The summary `fill` returns goes into the new site's marker, which is written
    last, and is returned with the site's file count and size.
    """
    # The real folder: '.' has no name to stage beside, and a symlinked site should be filled, not replaced.
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(output_dir)
    staging = Path(tempfile.mkdtemp(prefix=_own_prefix(output_dir), dir=output_dir.parent))
    current = output_dir if reuse and is_marked(output_dir) else None
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
        recorded = write_marker(staging, fill(SiteWriter(staging, current)))
        swap_into_place(staging, output_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # the old site, after the swap
    # Removing the old site's links to files the new one shares changed their ctime: the marker must be
    # newer than every file for the site to count as untouched (marker.intact_site).
    return record(output_dir, recorded)


@contextmanager
def folder_beside(output_dir: Path) -> Iterator[Path]:
    """A new empty folder next to the site, on the same file system, so that it can be renamed into the site;
    removed afterwards. Builds in other processes remove it only if this one was killed."""
    output_dir = output_dir.resolve()
    folder = Path(tempfile.mkdtemp(prefix=_own_prefix(output_dir), dir=output_dir.parent))
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


def remove_leftovers(output_dir: Path) -> None:
    """Folders beside the site that other processes made and did not remove: they were killed mid-write.

    Where there is no atomic exchange, a build killed between its two renames leaves the old site only in
    '<prefix>old': put it back first, so it is never thrown away. This process's own folders stay.
    """
    previous = output_dir.with_name(f"{_prefix(output_dir)}old")
    if not output_dir.exists() and is_marked(previous):
        previous.rename(output_dir)
    own = _own_prefix(output_dir)
    for leftover in output_dir.parent.glob(f"{glob.escape(_prefix(output_dir))}*"):
        if not leftover.name.startswith(own):
            shutil.rmtree(leftover, ignore_errors=True)


def check_relative(name: str) -> None:
    """Refuse a file name that would leave the site: every name comes from the content, so check it here."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise ValueError(f"refusing to write outside the site: {name!r}")


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
