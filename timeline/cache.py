"""The build cache: files already read and entries already checked, reused while nothing they depend on changed.

The preview server keeps one in memory between rebuilds. It is never written to disk: it holds drafts and
raw front matter, which must not end up in a published folder, and a build writes only inside its output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from timeline.content import SourceFile, read_source
from timeline.entries import SiteContext, parse_entry
from timeline.errors import ContentError
from timeline.markup import ENTRY_LINK
from timeline.model import Entry, TagInfo


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
        self.manifest: dict[str, str] = {}  # the last site written: file -> content hash (see write_site)
        self.site_marker = 0  # inode of that site's marker file: another build since then changes it

    def read(self, path: Path, content_dir: Path) -> tuple[SourceFile | None, list[ContentError]]:
        key = str(path)
        try:
            status = path.stat()
            stat = (status.st_mtime_ns, status.st_size, status.st_ino)
        except OSError:
            return read_source(path, content_dir)
        cached = self._reads.get(key)
        if cached is None or cached.stat != stat:
            cached = _Read(stat, *read_source(path, content_dir))
            self._reads[key] = cached
        return cached.source, cached.problems

    def check(self, source: SourceFile, context: SiteContext) -> tuple[Entry | None, list[ContentError]]:
        key = str(source.path)
        cached = self._checked.get(key)
        if (
            cached is None
            or cached.digest != source.digest
            or cached.vocabulary != context.vocabulary  # a few tags: comparing is cheaper than hashing
            or any(context.titles.get(slug) != title for slug, title in cached.links.items())
            or None in cached.links.values()  # a missing link's "did you mean" depends on every slug
        ):
            links = {match.group(1): context.titles.get(match.group(1)) for match in ENTRY_LINK.finditer(source.body)}
            cached = _Checked(source.digest, context.vocabulary, links, *parse_entry(source, context))
            self._checked[key] = cached
        return cached.entry, cached.problems

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
