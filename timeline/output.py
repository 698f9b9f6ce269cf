"""The only module that writes: a complete new site replaces the old one in one step."""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath

from timeline.errors import UsageError

MARKER = ".timeline-site"  # marks a folder this tool built, so it may be replaced
_MARKER_TEXT = b"Built by the timeline generator (build.py). Every build replaces this folder.\n"
_RENAME_EXCHANGE = 2  # linux/fs.h


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


def manifest_of(files: Mapping[str, bytes]) -> dict[str, str]:
    """File -> content hash: what write_site needs to know which files it may reuse next time."""
    return {name: hashlib.blake2b(content, digest_size=16).hexdigest() for name, content in files.items()}


def write_site(
    files: Mapping[str, bytes],
    output_dir: Path,
    finish: Callable[[Path], None] | None = None,
    previous: Mapping[str, str] | None = None,
    manifest: Mapping[str, str] | None = None,
) -> None:
    """Write `files` (site-relative path -> bytes) as the whole new content of output_dir.

    The new site is written next to the old one and swapped in with one rename, so a failed or
    killed build leaves either the old site or the new one, never a mix. `finish` may add to the
    new site (the search index) before it is swapped in; if it raises, nothing is published.
    `previous` is the manifest of the current site and `manifest` that of `files`: files whose bytes are
    unchanged are hard-linked from the current site instead of written again.
    """
    for name in files:
        _check_relative(name)
    # The real folder: '.' has no name to stage beside, and a symlinked site should be filled, not replaced.
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(output_dir)
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(output_dir), dir=output_dir.parent))
    manifest = manifest or manifest_of(files)
    reusable = (previous or {}) if (output_dir / MARKER).is_file() else {}
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
        for name, content in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not (reusable.get(name) == manifest[name] and _link(output_dir / name, target)):
                target.write_bytes(content)
        (staging / MARKER).write_bytes(_MARKER_TEXT)
        if finish is not None:
            finish(staging)
        _swap_into_place(staging, output_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _link(existing: Path, target: Path) -> bool:
    """Share an unchanged file with the current site; False where the file system cannot."""
    try:
        os.link(existing, target)
    except OSError:
        return False
    return True


def _swap_into_place(staging: Path, output_dir: Path) -> None:
    """Afterwards output_dir holds the new site and `staging` the old one (or nothing)."""
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


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False if unavailable."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
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
        shutil.rmtree(leftover, ignore_errors=True)


def _check_relative(name: str) -> None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise ValueError(f"refusing to write outside the site: {name!r}")
