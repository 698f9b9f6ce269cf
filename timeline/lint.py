"""Editorial checks: what a publishable entry has. Warnings, which --strict turns into errors."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date

from timeline.content import SourceFile
from timeline.errors import ContentError
from timeline.model import Entry, EntryKind

MAX_SUMMARY_CHARACTERS = 300
# A sentence ends at . ! or ? after a lower-case word or a number, before a capital: "in 2024. The".
# Abbreviations in capitals ("US.") are not counted, so "U.S. officials" is one sentence.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]%’”\"'])[.!?][’”\"')]*\s+(?=[‘“\"'(]?[A-ZА-ЩЬЮЯҐЄІЇ])")


def entry_warnings(entry: Entry, source: SourceFile, today: date) -> list[ContentError]:
    """What one entry lacks, by itself."""
    return [*_sources_warnings(entry, source), *_summary_warnings(entry, source), *_date_warnings(entry, source, today)]


def _warning(entry: Entry, source: SourceFile, field: str, message: str, fallback_line: int = 1) -> ContentError:
    return ContentError(entry.path, source.field_lines.get(field, fallback_line), message, warning=True)


def _sources_warnings(entry: Entry, source: SourceFile) -> Iterator[ContentError]:
    if entry.kind is EntryKind.ARTICLE and not any(link.url.startswith("https://") for link in entry.sources):
        line = source.field_lines.get("type", 1)
        yield _warning(entry, source, "sources", "an article needs at least one https source under 'sources'", line)


def _summary_warnings(entry: Entry, source: SourceFile) -> Iterator[ContentError]:
    where = "summary" if "summary" in source.fields else "the first paragraph, used as the summary,"
    line = source.field_lines.get("summary", source.body_line)
    if len(entry.summary) > MAX_SUMMARY_CHARACTERS:
        message = f"{where} is {len(entry.summary)} characters; keep it to {MAX_SUMMARY_CHARACTERS}"
        yield _warning(entry, source, "summary", message, line)
    sentences = len(_SENTENCE_END.findall(entry.summary)) + 1
    if sentences > 1:
        yield _warning(entry, source, "summary", f"{where} has {sentences} sentences; keep it to one", line)


def _date_warnings(entry: Entry, source: SourceFile, today: date) -> Iterator[ContentError]:
    if not entry.draft and entry.date.start > today:
        message = f"dated {entry.date.label}, after today ({today.isoformat()}); correct the date or add 'draft: true'"
        yield _warning(entry, source, "date", message)
    if entry.updated is not None and entry.updated.start < entry.date.start:
        message = f"updated {entry.updated.label}, before the entry's own date ({entry.date.label}); check both"
        yield _warning(entry, source, "updated", message)


def duplicate_title_warnings(entries: Sequence[Entry], title_lines: Mapping[str, int]) -> list[ContentError]:
    """Two entries may not share a title: readers could not tell them apart. `title_lines`: the line of
    each file's title, by its path."""
    warnings = []
    first_with_title: dict[str, Entry] = {}
    for entry in sorted(entries, key=lambda item: str(item.path)):
        first = first_with_title.setdefault(entry.title.casefold(), entry)
        if first is not entry:
            message = f"title '{entry.title}' is also used by {first.path}; readers cannot tell them apart"
            warnings.append(ContentError(entry.path, title_lines.get(str(entry.path), 1), message, warning=True))
    return warnings
