"""The build cache: files already read and entries already checked, reused while nothing they depend on changed.

A build makes a fresh one; the preview server keeps one between rebuilds, so an edit re-reads and
re-checks only what it touched. What is not cached is read and checked in worker processes.
The cache lives in memory only: it holds drafts and raw front matter, which must not end up in a
published folder, and a build writes only inside its output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from timeline.content import SourceFile, read_source
from timeline.entries import SiteContext
from timeline.errors import ContentError
from timeline.markup import ENTRY_LINK
from timeline.model import Entry, TagInfo
from timeline.workers import map_in_workers, shares

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
    links: dict[str, str | None]  # every [[slug]] in the body -> that entry's title then (None: no such entry)
    entry: Entry | None
    problems: list[ContentError]


class BuildCache:
    """Read files and checked entries, by path."""

    def __init__(self) -> None:
        self._reads: dict[str, _Read] = {}
        self._checked: dict[str, _Checked] = {}

    def read_all(
        self, paths: Sequence[Path], content_dir: Path, jobs: int
    ) -> list[tuple[SourceFile | None, list[ContentError]]]:
        """Every file read, in the order of `paths`, in up to `jobs` processes; only new and changed files are read."""
        stats = {str(path): _stat(path) for path in paths}
        stale = [path for path in paths if not self._read_is_current(str(path), stats[str(path)])]
        fresh = _in_workers(lambda path: read_source(path, content_dir), stale, jobs)
        for path, (source, problems) in zip(stale, fresh, strict=True):
            self._reads[str(path)] = _Read(stats[str(path)] or (-1, -1, -1), source, problems)
        return [(self._reads[str(path)].source, self._reads[str(path)].problems) for path in paths]

    def check_all(
        self, sources: Sequence[SourceFile], context: SiteContext, check: Checker, jobs: int
    ) -> list[tuple[Entry | None, list[ContentError]]]:
        """Every source checked, in order; only what changed, or whose links or tags changed, is checked again."""
        stale = [source for source in sources if not self._check_is_current(source, context)]
        fresh = _in_workers(lambda source: check(source, context), stale, jobs)
        for source, (entry, problems) in zip(stale, fresh, strict=True):
            links = {match.group(1): context.titles.get(match.group(1)) for match in ENTRY_LINK.finditer(source.body)}
            self._checked[str(source.path)] = _Checked(source.digest, context.vocabulary, links, entry, problems)
        return [(self._checked[str(s.path)].entry, self._checked[str(s.path)].problems) for s in sources]

    def digest(self, path: Path) -> str | None:
        """The sha256 of a file read before and unchanged since (by its stat), without reading it again."""
        cached = self._reads.get(str(path))
        if cached is None or cached.source is None or cached.stat != _stat(path):
            return None
        return cached.source.digest

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

    def _read_is_current(self, key: str, stat: tuple[int, int, int] | None) -> bool:
        cached = self._reads.get(key)
        return stat is not None and cached is not None and cached.stat == stat

    def _check_is_current(self, source: SourceFile, context: SiteContext) -> bool:
        cached = self._checked.get(str(source.path))
        return (
            cached is not None
            and cached.digest == source.digest
            and cached.vocabulary == context.vocabulary  # a few tags: comparing is cheaper than hashing
            and all(context.titles.get(slug) == title for slug, title in cached.links.items())
            and None not in cached.links.values()  # a missing link's "did you mean" depends on every slug
        )


def _in_workers(task: Callable[[Item], Result], items: Sequence[Item], jobs: int) -> list[Result]:
    if len(items) < _WORTH_PROCESSES:
        return [task(item) for item in items]
    done = map_in_workers(lambda share: [task(item) for item in share], shares(items, jobs), jobs)
    return [result for batch in done for result in batch]


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None  # read_source reports it
    return status.st_mtime_ns, status.st_size, status.st_ino
