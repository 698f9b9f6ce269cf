"""The marker file a build leaves in the site it wrote: what the site was built from, and how big it is.

It tells later builds three things: that the folder is ours to replace, whether the site is up to date
with its inputs (the same fingerprint, no warnings to show again, and nobody changed a file since), and,
through that fingerprint, which record of the build cache says what its pages were made from (so that a
build after an edit renders only the pages that changed).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

MARKER = ".timeline-site"
_MARKER_TEXT = b"Built by the timeline generator (build.py). Every build replaces this folder.\n"
_NUMBERS = ("entries", "pages", "files", "size", "warnings")


@dataclass(frozen=True, slots=True)
class SiteSummary:
    """What the marker records about the site it sits in; the same inputs give the same record."""

    inputs: str | None  # fingerprint of everything the site was built from; None: not complete, build it again
    entries: int
    pages: int
    files: int = 0  # every file but the marker
    size: int = 0  # their bytes, together
    warnings: int = 0  # found by the build that wrote it; a site with warnings is never up to date


def write_marker(folder: Path, summary: SiteSummary) -> SiteSummary:
    """Count the files under `folder` and write its marker, last, so that every file it counts is older."""
    files, size = count_files(folder)
    return record(folder, replace(summary, files=files, size=size))


def record(folder: Path, summary: SiteSummary) -> SiteSummary:
    """Write `summary` as the marker of `folder`, in one step; its counts must be the folder's."""
    temporary = folder / f"{MARKER}.new"
    temporary.write_bytes(_marker_text(summary))
    os.replace(temporary, folder / MARKER)
    return summary


def unmark(folder: Path) -> None:
    """Say the site must be built again, before changing it in place: if that is interrupted, no build will
    take the half-changed site for a complete one."""
    summary = read_marker(folder)
    if summary is not None:
        record(folder, replace(summary, inputs=None))


def read_marker(folder: Path) -> SiteSummary | None:
    try:
        return _parse_marker((folder / MARKER).read_bytes())
    except OSError:
        return None


def is_marked(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def intact_site(folder: Path) -> SiteSummary | None:
    """The marker's summary if nobody changed, added or removed a file of the site since it was written."""
    try:
        marker = (folder / MARKER).stat()
        summary = _parse_marker((folder / MARKER).read_bytes())
        if summary is None:
            return None
        # Any change to a file (even a rename or a hard link) moves its ctime past the marker's.
        files, size = count_files(folder, changed_after=marker.st_ctime_ns)
    except (OSError, _ChangedSince):
        return None
    return summary if (files, size) == (summary.files, summary.size) else None


def current_site(folder: Path, inputs: str) -> SiteSummary | None:
    """The summary of the site in `folder` if it was built from `inputs` without warnings (which a build
    must show again) and nobody changed it since."""
    summary = intact_site(folder)
    return summary if summary is not None and summary.inputs == inputs and not summary.warnings else None


class _ChangedSince(Exception):
    pass


def count_files(folder: Path, changed_after: int | None = None) -> tuple[int, int]:
    """Files under `folder` (its marker aside) and their total size, without following links."""
    files = size = 0
    pending = [str(folder)]
    own_marker = os.path.join(folder, MARKER)
    while pending:
        with os.scandir(pending.pop()) as listing:
            for item in listing:
                status = item.stat(follow_symlinks=False)
                if changed_after is not None and status.st_ctime_ns > changed_after:
                    raise _ChangedSince
                if item.is_dir(follow_symlinks=False):
                    pending.append(item.path)
                elif item.path != own_marker and item.name != f"{MARKER}.new":
                    files, size = files + 1, size + status.st_size
    return files, size


def _marker_text(summary: SiteSummary) -> bytes:
    lines = [f"inputs: {summary.inputs or 'none'}"]
    lines += [f"{name}: {getattr(summary, name)}" for name in _NUMBERS]
    return _MARKER_TEXT + "".join(f"{line}\n" for line in lines).encode()


def _parse_marker(text: bytes) -> SiteSummary | None:
    try:
        fields = dict(line.split(": ", 1) for line in text.decode().splitlines()[1:])
        inputs = fields["inputs"]
        numbers = [int(fields[name]) for name in _NUMBERS]
    except (UnicodeDecodeError, ValueError, KeyError):
        return None
    return SiteSummary(None if inputs == "none" else inputs, *numbers)
