"""The content model: entries and the timeline they form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from timeline.dates import PartialDate
from timeline.partners import Partner


class EntryKind(Enum):
    ARTICLE = "article"
    NOTE = "note"  # an analyst note

    @property
    def label(self) -> str:
        return "Analyst note" if self is EntryKind.NOTE else "Article"


@dataclass(frozen=True, slots=True)
class SourceLink:
    """Where the facts come from."""

    title: str  # readable name; the URL's host when the editor gave none
    url: str  # http(s) only

    @property
    def host(self) -> str:
        """'www.gov.uk' -> 'gov.uk': the site a reader will land on."""
        return host_of(self.url)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


@dataclass(frozen=True, slots=True)
class TagInfo:
    """How a tag is shown: from the vocabulary in content/tags.yaml, or just its slug."""

    slug: str  # as used in front matter and addresses: air-defense
    label: str  # as shown: Air defence
    description: str  # one line for the tag's page; "" when there is no vocabulary


@dataclass(frozen=True, slots=True)
class EntryLink:
    """A [[slug]] link in a body, kept so the build can check its target is published."""

    slug: str
    line: int  # 1-based, in the source file


@dataclass(frozen=True, slots=True)
class Entry:
    """One article or analyst note, validated and rendered."""

    slug: str  # [a-z0-9-]+, unique; the page lives at entries/<slug>/
    kind: EntryKind
    title: str
    date: PartialDate  # at the precision the editor gave
    partners: tuple[Partner, ...]  # at least one, in the editor's order, no repeats
    summary: str  # plain text, one paragraph
    body_html: str  # sanitised HTML
    tags: tuple[str, ...]  # lower-case, hyphenated, no repeats
    sources: tuple[SourceLink, ...]
    author: str | None
    updated: PartialDate | None
    draft: bool
    links: tuple[EntryLink, ...]  # [[slug]] links in the body, in order
    path: Path  # the source file, for messages

    @property
    def url(self) -> str:
        """Relative to the site root, ending in '/'."""
        return f"entries/{self.slug}/"

    def sort_key(self) -> tuple[date, str, str, str]:
        """Timeline order: period start, first partner's name, title, then slug to break ties."""
        first_partner = self.partners[0].name.casefold() if self.partners else ""
        return (self.date.start, first_partner, self.title.casefold(), self.slug)


@dataclass(frozen=True, slots=True)
class Timeline:
    """All published entries in timeline order, with the groupings pages need."""

    entries: tuple[Entry, ...]  # chronological, total order (Entry.sort_key)
    by_partner: Mapping[Partner, tuple[Entry, ...]]  # partners by name, entries in timeline order
    by_tag: Mapping[str, tuple[Entry, ...]]  # tags alphabetically, entries in timeline order
    tags: Mapping[str, TagInfo]  # label and description of every tag in use

    @classmethod
    def from_entries(cls, entries: Iterable[Entry], vocabulary: Mapping[str, TagInfo] | None = None) -> Timeline:
        ordered = tuple(sorted(entries, key=Entry.sort_key))
        by_partner: dict[Partner, list[Entry]] = {}
        by_tag: dict[str, list[Entry]] = {}
        for entry in ordered:
            for partner in entry.partners:
                by_partner.setdefault(partner, []).append(entry)
            for tag in entry.tags:
                by_tag.setdefault(tag, []).append(entry)
        partners = sorted(by_partner, key=lambda partner: (partner.name.casefold(), partner.code))
        return cls(
            entries=ordered,
            by_partner=MappingProxyType({partner: tuple(by_partner[partner]) for partner in partners}),
            by_tag=MappingProxyType({tag: tuple(by_tag[tag]) for tag in sorted(by_tag)}),
            tags=MappingProxyType(
                {tag: (vocabulary or {}).get(tag) or TagInfo(tag, tag, "") for tag in sorted(by_tag)}
            ),
        )
