"""The full-text search index: Pagefind, run over a finished site before it is published.

Pagefind numbers pages in the order the file system lists them, which on some file systems (tmpfs, btrfs)
is the order they were made in, random when worker processes write them. So it indexes a copy of the
site's pages made in one fixed order (hard links, so quick), and two builds give the same index anywhere.
It takes each page's language from `<html lang>` and puts it in file names unchecked, so afterwards the
index is checked for languages that are not plain language tags, whose files it may have written outside.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from timeline.errors import BuildFailed, ContentError
from timeline.search_order import make_filters_repeatable

SEARCH_FOLDER = "pagefind"  # inside the site: the index and Pagefind's own script
_PLAIN_TAG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # a language as Pagefind writes it (lower case) that names no path
_FULL_DISK_BYTES = 4 * 1024 * 1024  # less room than this left after Pagefind failed: the disk is why
# The files Pagefind writes per language: (folder in the bundle, name before the language's hash, suffix).
_LANGUAGE_FILES = (("", "pagefind.", ".pf_meta"), ("index", "", ".pf_index"), ("fragment", "", ".pf_fragment"),
                   ("filter", "", ".pf_filter"))  # fmt: skip


def index_site(
    site: Path, into: Path | None = None, before_start: Callable[[], None] | None = None
) -> list[ContentError]:
    """Write the search index of `site` into site/pagefind/ (or `into`); raise BuildFailed if Pagefind cannot.

    `before_start` runs in Pagefind's process before it starts (only os calls may be made there). Returns
    a warning if the index could not be made repeatable (an unfamiliar Pagefind version)."""
    bundle = into or site / SEARCH_FOLDER
    started = time.time()
    with _pages_in_order(site, bundle) as pages:
        # Pagefind's binary comes from the pagefind[bin] wheel; `python -m pagefind` finds it.
        command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(bundle), "--silent"]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=600, check=False, preexec_fn=before_start
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise BuildFailed([ContentError(Path("pagefind"), 1, f"search index failed: {error}")]) from None
    if result.returncode != 0:
        detail = " ".join((result.stderr or result.stdout).split())[:500] or f"exit code {result.returncode}"
        if "(os error 28)" in detail:  # a full disk: reported as for any other file of the site
            raise OSError(errno.ENOSPC, "No space left on device", str(bundle))
        hint = "; install it with `pip install 'pagefind[bin]'` or build with --no-search"
        raise BuildFailed([ContentError(Path("pagefind"), 1, f"search index failed: {detail}{hint}")])
    check_languages(bundle, started)
    if make_filters_repeatable(bundle):
        return []
    message = "the search index's filter files were left in Pagefind's own order: builds will differ in them"
    return [ContentError(Path("pagefind"), 1, message, warning=True)]


@contextmanager
def _pages_in_order(site: Path, bundle: Path) -> Iterator[Path]:
    """The site's pages, linked in sorted order into a new folder inside `bundle` (Pagefind writes there, and
    reads only the pages), which is removed afterwards."""
    bundle.mkdir(parents=True, exist_ok=True)
    pages = Path(tempfile.mkdtemp(prefix=".pages-", dir=bundle))
    try:
        for name in _html_files(site, skip=bundle):
            target = pages / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site / name, target)
            except OSError:  # a file system without hard links
                shutil.copyfile(site / name, target)
        yield pages
    finally:
        shutil.rmtree(pages, ignore_errors=True)


def _html_files(site: Path, skip: Path) -> list[str]:
    """Every HTML file under `site` (not under `skip`, nor in a hidden folder: the site has none, but a mount
    point holds the staging folders of builds), relative to it, sorted."""
    found = []
    for folder, subfolders, files in os.walk(site):
        subfolders[:] = [name for name in subfolders if Path(folder, name) != skip and not name.startswith(".")]
        found += [os.path.relpath(os.path.join(folder, name), site) for name in files if name.endswith(".html")]
    return sorted(found)


def check_languages(bundle: Path, since: float) -> None:
    """Raise BuildFailed if a page's language is not a plain language tag: Pagefind put it in the names of the
    language's files, so they may lie outside the bundle. Those files (written since `since`) are removed."""
    try:
        languages = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        if _disk_full(bundle):  # Pagefind does not say when it cannot write: its files are then cut short
            raise OSError(errno.ENOSPC, "No space left on device", str(bundle)) from None
        raise BuildFailed([ContentError(Path("pagefind"), 1, f"search index unreadable: {error}")]) from None
    problems = []
    for language, info in languages.items():
        if _PLAIN_TAG.fullmatch(language):
            continue
        removed = _remove_escaped(bundle, language, str(info.get("hash", "")), since)
        where = f"; the index files it wrote outside the site were removed: {', '.join(removed)}" if removed else ""
        problems.append(
            ContentError(
                Path("pagefind"), 1,
                f"a page gives its language as {language!r} (<html lang>), which is not a language tag such as en "
                f"or uk; check the templates and templates/static/{where}",
            )
        )  # fmt: skip
    if problems:
        raise BuildFailed(problems)


def _disk_full(folder: Path) -> bool:
    try:
        status = os.statvfs(folder)
    except OSError:
        return False
    return status.f_bavail * status.f_frsize < _FULL_DISK_BYTES


def _remove_escaped(bundle: Path, language: str, meta_hash: str, since: float) -> list[str]:
    """Remove the files Pagefind wrote for `language` outside `bundle`; return their paths."""
    removed = []
    for folder, before, suffix in _LANGUAGE_FILES:
        stem = meta_hash if before else f"{language}_"
        place = Path(os.path.normpath(bundle / folder / f"{before}{stem}"))
        if place.is_relative_to(bundle):
            continue
        pattern = re.compile(re.escape(place.name) + (r"" if before else r"[0-9a-f]+") + re.escape(suffix))
        for candidate in place.parent.glob("*" + suffix) if place.parent.is_dir() else ():
            if pattern.fullmatch(candidate.name) and candidate.is_file() and candidate.stat().st_mtime >= since - 1:
                candidate.unlink()
                removed.append(str(candidate))
    return removed
