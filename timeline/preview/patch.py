"""Patching the served site: the files a change touched replace their old versions, one by one.

For the preview server, where an edit touches a few files of thousands and rewriting the whole site would
take seconds. The new files are made in a folder beside the site first, so if making them fails the site is
untouched. Each file is then replaced in one step, but the whole patch is not one step: until it is done,
the marker says the site must be built again, so that no build takes a half-patched site for a complete one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path

from timeline.marker import SiteSummary, record, unmark
from timeline.staging import SiteWriter, check_relative, folder_beside, remove_leftovers


def patch_site(
    output_dir: Path, fill: Callable[[SiteWriter], None], removed: Collection[str], summary: SiteSummary
) -> SiteSummary:
    """Replace the files `fill` adds in the site in output_dir, delete `removed`, keep every other file, and
    mark the site with `summary` (whose file count and size are the site's before the patch); returns what
    the marker records."""
    output_dir = output_dir.resolve()
    remove_leftovers(output_dir)
    with folder_beside(output_dir) as staging:
        fill(SiteWriter(staging, None))
        unmark(output_dir)
        files, size = summary.files, summary.size
        for name in _file_names(staging):
            target = output_dir / name
            old_size = _size_of(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
            files, size = files + (old_size is None), size + target.lstat().st_size - (old_size or 0)
        for name in removed:
            check_relative(name)
            old_size = _size_of(output_dir / name)
            if old_size is not None:
                (output_dir / name).unlink()
                _remove_empty_folders((output_dir / name).parent, output_dir)
                files, size = files - 1, size - old_size
        return record(output_dir, replace(summary, files=files, size=size))  # last: every file it counts is older


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
