"""The only module that writes the site: a complete new site replaces the old one in one step, or, for the
preview server, the files a change touched replace their old versions."""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath

from timeline.errors import UsageError

MARKER = ".timeline-site"  # marks a folder this tool built, so it may be replaced
_MARKER_TEXT = b"Built by the timeline generator (build.py). Every build replaces this folder.\n"
_RENAME_EXCHANGE = 2  # linux/fs.h
_in_use: set[str] = set()  # folders beside the site that this process is still working in


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
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER).is_file():
        raise UsageError(
            f"output folder {output_dir} holds files this tool did not build; "
            "refusing to replace it (empty it or choose another --out)"
        )


@dataclass(frozen=True, slots=True)
class SiteSummary:
    """What the marker file records about the site it sits in; the same inputs give the same record."""

    inputs: str | None  # fingerprint of everything the site was built from; None: build it again next time
    entries: int
    pages: int
    files: int = 0  # every file but the marker
    size: int = 0  # their bytes, together


class SiteWriter:
    """Writes files into the staging folder; a file the current site already has, byte for byte, is linked."""

    def __init__(self, staging: Path, current: Path | None) -> None:
        self.staging, self.current = staging, current

    def add(self, name: str, content: bytes) -> None:
        _check_relative(name)
        target = self.staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (self.current is not None and _link_if_same(self.current / name, content, target)):
            target.write_bytes(content)

    def add_all(self, files: Mapping[str, bytes]) -> None:
        for name, content in files.items():
            self.add(name, content)


def write_site(
    output_dir: Path,
    fill: Callable[[SiteWriter], SiteSummary | None],
    reuse: bool = True,
    remove_old: Callable[[Path], None] | None = None,
) -> SiteSummary:
    """Make output_dir hold exactly what `fill` adds to the writer it is given, and nothing else.

    The new site is written next to the old one and swapped in with one rename, so a failed or
    killed build leaves either the old site or the new one, never a mix. If `fill` raises, nothing
    is published. With `reuse`, files whose bytes are unchanged are hard-linked from the current site
    instead of written again. The summary `fill` returns goes into the marker file; the
    summary of the new site is returned. `remove_old` may take over removing the replaced site
    (the preview server does it in the background); a folder it leaves is removed by the next build.
    """
    # The real folder: '.' has no name to stage beside, and a symlinked site should be filled, not replaced.
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(output_dir)
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(output_dir), dir=output_dir.parent))
    current = output_dir if reuse and (output_dir / MARKER).is_file() else None
    swapped = False
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
        summary = fill(SiteWriter(staging, current))
        files, size = _count_files(staging)
        recorded = replace(summary or SiteSummary(None, 0, 0), files=files, size=size)
        (staging / MARKER).write_bytes(_marker_text(recorded))  # last: every other file is older than it
        swap_into_place(staging, output_dir)
        swapped = True
        return recorded
    finally:
        if swapped and remove_old is not None:
            remove_old(staging)  # it holds the old site now
        else:
            shutil.rmtree(staging, ignore_errors=True)


def patch_site(
    output_dir: Path,
    fill: Callable[[SiteWriter], SiteSummary],
    removed: Collection[str],
    before: SiteSummary,
) -> SiteSummary:
    """Replace the files `fill` adds in the site in output_dir, delete `removed`, and keep every other file.

    For the preview server, where a change touches a few files of thousands. `before` is the summary the
    site's marker holds. The new files are made in a folder beside the site first, so if `fill` raises the
    site is untouched. Each file is then replaced in one step, but the whole patch is not one step: until
    it is done, the marker says the site must be built again, so a build killed meanwhile is never taken
    for a complete site. Returns the summary written into the marker.
    """
    output_dir = output_dir.resolve()
    _remove_leftovers(output_dir)
    with folder_beside(output_dir) as staging:
        summary = fill(SiteWriter(staging, None))
        _replace_marker(output_dir, replace(before, inputs=None))
        files, size = before.files, before.size
        for name in _file_names(staging):
            target = output_dir / name
            old_size = _size_of(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
            files, size = files + (old_size is None), size + target.lstat().st_size - (old_size or 0)
        for name in removed:
            _check_relative(name)
            old_size = _size_of(output_dir / name)
            if old_size is not None:
                (output_dir / name).unlink()
                _remove_empty_folders((output_dir / name).parent, output_dir)
                files, size = files - 1, size - old_size
        recorded = replace(summary, files=files, size=size)
        _replace_marker(output_dir, recorded)  # last: every file it counts is older than it
        return recorded


def mark_site(output_dir: Path, summary: SiteSummary) -> SiteSummary:
    """Write the marker of a site changed in place (its search index, made again): every file is counted."""
    files, size = _count_files(output_dir.resolve())
    recorded = replace(summary, files=files, size=size)
    _replace_marker(output_dir.resolve(), recorded)
    return recorded


def _file_names(folder: Path) -> list[str]:
    """Every file under `folder`, as a path relative to it."""
    return [
        os.path.relpath(os.path.join(directory, name), folder)
        for directory, _, names in os.walk(folder)
        for name in names
    ]


def _size_of(path: Path) -> int | None:
    try:
        return path.lstat().st_size
    except FileNotFoundError:
        return None


def _remove_empty_folders(folder: Path, root: Path) -> None:
    """A deleted entry leaves entries/<slug>/ empty: remove it and any parent it leaves empty, up to root."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:  # not empty
            return
        folder = folder.parent


def _replace_marker(output_dir: Path, summary: SiteSummary) -> None:
    temporary = output_dir / f"{MARKER}.new"
    temporary.write_bytes(_marker_text(summary))
    os.replace(temporary, output_dir / MARKER)


@contextmanager
def folder_beside(output_dir: Path) -> Iterator[Path]:
    """A new empty folder next to the site, on the same file system, so it can be renamed into the site;
    removed afterwards. Builds leave it alone while it is in use, and remove it if the process was killed."""
    folder = Path(tempfile.mkdtemp(prefix=_staging_prefix(output_dir.resolve()), dir=output_dir.resolve().parent))
    _in_use.add(str(folder))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _in_use.discard(str(folder))


def remove_in_background(folder: Path) -> None:
    """Remove a folder without waiting for it: thousands of files take a second to delete."""
    _in_use.add(str(folder))

    def remove() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        _in_use.discard(str(folder))

    threading.Thread(target=remove, daemon=True).start()


def current_site(output_dir: Path, inputs: str) -> SiteSummary | None:
    """The summary of the site in output_dir if it was built from `inputs` and nobody changed it since."""
    try:
        marker = (output_dir / MARKER).stat()
        summary = _parse_marker((output_dir / MARKER).read_bytes())
    except OSError:
        return None
    if summary is None or summary.inputs != inputs:
        return None
    try:
        # Any change to a file (even a rename or a hard link) moves its ctime past the marker's.
        files, size = _count_files(output_dir, changed_after=marker.st_ctime_ns)
    except _ChangedSince:
        return None
    return summary if (files, size) == (summary.files, summary.size) else None


class _ChangedSince(Exception):
    pass


def _count_files(folder: Path, changed_after: int | None = None) -> tuple[int, int]:
    """Files under `folder` (the marker aside) and their total size, without following links."""
    files = size = 0
    pending = [str(folder)]
    while pending:
        with os.scandir(pending.pop()) as listing:
            for item in listing:
                status = item.stat(follow_symlinks=False)
                if changed_after is not None and status.st_ctime_ns > changed_after:
                    raise _ChangedSince
                if item.is_dir(follow_symlinks=False):
                    pending.append(item.path)
                elif item.name != MARKER or item.path != os.path.join(folder, MARKER):
                    files, size = files + 1, size + status.st_size
    return files, size


def _marker_text(summary: SiteSummary) -> bytes:
    fields = f"inputs: {summary.inputs or 'none'}\nentries: {summary.entries}\npages: {summary.pages}\n"
    return _MARKER_TEXT + f"{fields}files: {summary.files}\nsize: {summary.size}\n".encode()


def _parse_marker(text: bytes) -> SiteSummary | None:
    try:
        fields = dict(line.split(": ", 1) for line in text.decode().splitlines()[1:])
        inputs = fields["inputs"]
        numbers = [int(fields[name]) for name in ("entries", "pages", "files", "size")]
    except (UnicodeDecodeError, ValueError, KeyError):
        return None
    return SiteSummary(None if inputs == "none" else inputs, *numbers)


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


def swap_into_place(staging: Path, output_dir: Path) -> None:
    """Put folder `staging` where output_dir is, in one step where the system allows: afterwards output_dir
    holds the new site (or search index) and `staging` the old one (or nothing)."""
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    if _exchange(staging, output_dir):
        return
    # No atomic exchange on this system: two renames, with a moment in between without a site.
    previous = output_dir.with_name(f"{_staging_prefix(output_dir)}old")
    output_dir.rename(previous)
    staging.rename(output_dir)
    shutil.rmtree(previous, ignore_errors=True)


@lru_cache(maxsize=1)
def libc() -> ctypes.CDLL | None:
    """The C library, for the Linux calls Python has no function for; looked up once (that runs a program)."""
    name = ctypes.util.find_library("c")
    return None if name is None else ctypes.CDLL(name, use_errno=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False if unavailable."""
    renameat2 = getattr(libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd = -100
    result = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0


def _staging_prefix(output_dir: Path) -> str:
    return f".{output_dir.name}.building-"


def _remove_leftovers(output_dir: Path) -> None:
    """A build killed mid-write leaves its staging folder beside the site; it is ours to remove.

    Where there is no atomic exchange, a build killed between its two renames leaves the old site
    only in '<prefix>old': put it back first, so it is never thrown away.
    """
    previous = output_dir.with_name(f"{_staging_prefix(output_dir)}old")
    if not output_dir.exists() and (previous / MARKER).is_file():
        previous.rename(output_dir)
    for leftover in output_dir.parent.glob(f"{glob.escape(_staging_prefix(output_dir))}*"):
        if str(leftover) not in _in_use:
            shutil.rmtree(leftover, ignore_errors=True)


def _check_relative(name: str) -> None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise ValueError(f"refusing to write outside the site: {name!r}")
