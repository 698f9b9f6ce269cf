"""The build cache: what one build leaves for the next, so that a rebuild does only what a change touched.

It holds the files read, the entries checked, what the pages derive from each entry, and what was made
from what in the site last written. A build makes a fresh one; the preview server keeps one between
rebuilds, so an edit re-reads, re-checks and re-renders only what it touched. What is not cached is
read and checked in worker processes. The cache lives in memory only: it holds drafts and raw front
matter, which must not end up in a published folder, and a build writes only inside its output.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from timeline.content import SourceFile, read_source
from timeline.entries import SiteContext, planned_name
from timeline.errors import ContentError
from timeline.markup import ENTRY_LINK
from timeline.memo import Memo
from timeline.model import Entry, TagInfo
from timeline.output import SiteSummary
from timeline.pages import PlannedFile, ViewMemo
from timeline.render import Templates
from timeline.workers import each_in_workers

Checker = Callable[[SourceFile, SiteContext], tuple[Entry | None, list[ContentError]]]
_WORTH_PROCESSES = 64  # fewer files are read and checked faster than processes start
Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(slots=True)
class _Read:
    stat: tuple[int, int, int]  # modification time (ns), size, inode: any change to one means a new read
    source: SourceFile | None
    problems: list[ContentError]


@dataclass(slots=True)
class _Checked:
    digest: str  # sha256 of the file it came from
    vocabulary: Mapping[str, TagInfo] | None  # the tag vocabulary it was checked against
    today: date | None  # the day it was checked on
    links: dict[str, str | None]  # every [[slug]] in the body -> that entry's title then (None: no such entry)
    entry: Entry | None
    problems: list[ContentError]


@dataclass(frozen=True, slots=True)
class WrittenSite:
    """The site a build wrote: what each of its files was made from, as the next build compares it."""

    output_dir: Path  # resolved
    settings: str  # settings_fingerprint: when it changes, every file is made again
    templates: dict[str, str]  # template -> digest of it and every template it uses
    files: dict[str, PlannedFile]  # by name: the template and the arguments each was made from
    summary: SiteSummary  # as the site's marker records it


class BuildCache:
    """Read files and checked entries by path, what pages derive from entries, and the site last written."""

    def __init__(self) -> None:
        self._reads: dict[str, _Read] = {}
        self._checked: dict[str, _Checked] = {}
        self._vocabulary: Mapping[str, TagInfo] | None = None  # the one the last check_all had
        self._names: Memo[SourceFile, tuple[str, str]] = Memo()
        self.paths: dict[str, Path] = {}  # every content file's path, by its text (see discover_files)
        self.views = ViewMemo()
        self.templates = Templates()
        self.written: WrittenSite | None = None

    def read_all(
        self, paths: Sequence[Path], content_dir: Path, jobs: int
    ) -> list[tuple[SourceFile | None, list[ContentError]]]:
        """Every file read, in the order of `paths`, in up to `jobs` processes; only new and changed files are read."""
        keys = [str(path) for path in paths]
        stats = [_stat(key) for key in keys]
        reads = self._reads
        stale = [
            (path, key, stat)
            for path, key, stat in zip(paths, keys, stats, strict=True)
            if stat is None or key not in reads or reads[key].stat != stat
        ]
        fresh = each_in_workers(lambda item: read_source(item[0], content_dir), stale, jobs, _WORTH_PROCESSES)
        for (_, key, stat), (source, problems) in zip(stale, fresh, strict=True):
            reads[key] = _Read(stat or (-1, -1, -1), source, problems)
        return [(reads[key].source, reads[key].problems) for key in keys]

    def check_all(
        self, sources: Sequence[SourceFile], context: SiteContext, check: Checker, jobs: int
    ) -> list[tuple[Entry | None, list[ContentError]]]:
        """Every source checked, in order; only what changed, or whose links or tags changed, is checked again."""
        if context.vocabulary == self._vocabulary:
            context = replace(context, vocabulary=self._vocabulary)  # the same one: compared by identity below
        self._vocabulary = context.vocabulary
        stale = [source for source in sources if not self._check_is_current(source, context)]
        fresh = each_in_workers(lambda source: check(source, context), stale, jobs, _WORTH_PROCESSES)
        for source, (entry, problems) in zip(stale, fresh, strict=True):
            links = {match.group(1): context.titles.get(match.group(1)) for match in ENTRY_LINK.finditer(source.body)}
            checked = _Checked(source.digest, context.vocabulary, context.today, links, entry, problems)
            self._checked[str(source.path)] = checked
        done = self._checked
        return [(done[key].entry, done[key].problems) for key in map(str, (source.path for source in sources))]

    def planned_names(self, sources: Sequence[SourceFile]) -> list[tuple[str, str]]:
        """The planned_name of each source, worked out again only for files read anew."""
        return self._names.values(sources, lambda new: [planned_name(source) for source in new])

    def digest(self, path: Path) -> str | None:
        """The sha256 of a file as the last read_all found it, without reading it again; None if it was not read."""
        cached = self._reads.get(str(path))
        return None if cached is None or cached.source is None else cached.source.digest

    def forget(self, paths: Iterable[Path]) -> None:
        """Read these files again next time (the watcher saw them change, whatever their timestamps say)."""
        for path in paths:
            self._reads.pop(str(path), None)

    def keep_only(self, paths: list[Path]) -> None:
        """Forget files that are gone, so deleted and renamed files leave nothing behind."""
        present = {str(path) for path in paths}
        for table in (self._reads, self._checked):
            for key in set(table) - present:
                del table[key]

    def _check_is_current(self, source: SourceFile, context: SiteContext) -> bool:
        cached = self._checked.get(str(source.path))
        if (
            cached is None
            or cached.digest != source.digest
            or cached.vocabulary is not context.vocabulary
            or cached.today != context.today  # the date warnings change with it
        ):
            return False
        links = cached.links
        # A missing link's "did you mean" depends on every slug, so an entry with one is always checked again.
        return not links or (
            all(context.titles.get(slug) == title for slug, title in links.items()) and None not in links.values()
        )


def _stat(path: str) -> tuple[int, int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None  # read_source reports it
    return status.st_mtime_ns, status.st_size, status.st_ino
