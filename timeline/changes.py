"""What changed, and when: the changes page and its Atom feed, and each entry's last change.

Two records feed it. The content's own: corrections (`corrections:`) and updates (`updated:`), which every
build has. And the content's git history (timeline.history), where there is one: entries added, changed
and removed, per day; without one, an entry counts as added on its own date. A page in a language other
than the default also counts its translation files: a translation added is shown as "translated".
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from timeline.config import SiteConfig
from timeline.dates import DatePrecision, PartialDate
from timeline.feeds import FEED_SIZE, FeedEntry, rfc3339
from timeline.history import ChangeKind, History
from timeline.languages import Words, foreign, words
from timeline.model import Entry, Timeline
from timeline.views import LINKS, Page, crumbs, page_context

MAX_ITEMS = 1000  # the changes page lists this many at most, newest first: a page a reader can still load
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ukraine-partnerships-timeline:change")
# The order of a day's changes on the page.
_KINDS = ("added", "translated", "changed", "updated", "corrected", "removed")


@dataclass(frozen=True, slots=True)
class Change:
    """One thing that happened to one entry."""

    kind: str  # one of _KINDS
    day: PartialDate  # when: a day from git; the editor's date, at its precision, for corrections and updates
    title: str  # the entry's title; a removed file's path
    url: str  # the entry's page, relative to the language's root; "" for a removed file
    note: str = ""  # what a correction changed
    lang: str = ""  # the title's language where it is not the page's
    note_lang: str = ""  # the note's, likewise (a correction not translated yet)

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (-self.day.sort_day.toordinal(), _KINDS.index(self.kind), self.title.casefold())


@dataclass(frozen=True, slots=True)
class ChangeItem:
    label: str  # "Corrected", in the page's language
    title: str
    url: str
    note: str
    lang: str
    note_lang: str


@dataclass(frozen=True, slots=True)
class ChangeDay:
    label: str  # "2 December 2026", "June 2026"
    iso: str
    items: tuple[ChangeItem, ...]


def entry_files(entry: Entry, content_dir: Path, language: str, default: str) -> tuple[str, ...]:
    """The files whose history is the history of `entry`'s page in `language`: its own, and its translation."""
    try:
        relative = PurePosixPath(entry.path.relative_to(content_dir).as_posix())
    except ValueError:
        return ()
    own = relative.as_posix()
    if language == default:
        return (own,)
    return (own, relative.with_name(f"{relative.name.removesuffix('.md')}.{language}.md").as_posix())


def last_change(history: History, files: Sequence[str]) -> date | None:
    """The day the last of `files` last changed, or None without history."""
    days = [day for day in map(history.last_change, files) if day is not None]
    return max(days, default=None)


def changes(timeline: Timeline, content_dir: Path, language: str, default: str) -> tuple[Change, ...]:
    """Every change to the timeline's entries that its content and its history record, newest first."""
    found: list[Change] = []
    by_file: dict[str, tuple[Entry, bool]] = {}  # path -> its entry, and whether it is the translation
    history = bool(timeline.history.key)
    for entry in timeline.entries:
        lang = foreign(entry.text_language, language)
        if not history:  # without one, an entry is taken to be added on its own date, as the feed has it
            found.append(Change("added", entry.date, entry.title, entry.url, lang=lang))
        if entry.updated:
            found.append(Change("updated", entry.updated, entry.title, entry.url, lang=lang))
        for correction in entry.corrections:
            found.append(Change("corrected", correction.date, entry.title, entry.url, correction.note, lang,
                                foreign(correction.lang, language)))  # fmt: skip
        if history:  # which file is which entry's: only where there is a history to look up
            for position, path in enumerate(entry_files(entry, content_dir, language, default)):
                by_file[path] = (entry, position == 1)
    for change in timeline.history.changes:
        day = PartialDate(change.day, DatePrecision.DAY)
        if change.path in by_file:
            entry, translation = by_file[change.path]
            lang = foreign(entry.text_language, language)
            kind = "translated" if translation and change.kind is ChangeKind.ADDED else change.kind.value
            if change.kind is ChangeKind.REMOVED:
                kind = "changed"  # a translation removed: the page is the original's again
            found.append(Change(kind, day, entry.title, entry.url, lang=lang))
        elif change.kind is ChangeKind.REMOVED and _is_entry_file(change.path, language, default):
            found.append(Change("removed", day, change.path, ""))
    return tuple(sorted(found, key=lambda change: change.sort_key)[:MAX_ITEMS])


def changes_page(config: SiteConfig, found: Sequence[Change], has_history: bool) -> Page:
    _ = words(config.language)
    # One section per date as it reads: "1 June 2024" and "June 2024" start on the same day, so their changes
    # interleave in `found`; each keeps the place of its newest change.
    grouped: dict[str, tuple[str, list[ChangeItem]]] = {}
    for change in found:
        items = grouped.setdefault(_.date(change.day), (change.day.iso, []))[1]
        items.append(ChangeItem(_label(change.kind, _), change.title, change.url, change.note, change.lang,
                                change.note_lang))  # fmt: skip
    days = [ChangeDay(label, iso, tuple(items)) for label, (iso, items) in grouped.items()]
    context = page_context(
        config, f"{LINKS.changes}index.html", _("Changes"), LINKS.changes, crumbs(_),
        description=_("What was added to the timeline, corrected and updated, newest first."),
        days=tuple(days), has_history=has_history, limit=MAX_ITEMS if len(found) >= MAX_ITEMS else 0,
        feed_title=_("%(site)s: changes", site=config.title),
    )  # fmt: skip
    return Page(f"{LINKS.changes}index.html", "changes.html", context)


def changes_feed(config: SiteConfig, found: Sequence[Change]) -> Page:
    """The latest changes as an Atom feed, for readers who follow corrections."""
    _ = words(config.language)
    home = config.base_url + config.prefix
    entries = tuple(
        FeedEntry(
            id=_change_id(change, config.prefix),
            title=_("%(change)s: %(title)s", change=_label(change.kind, _), title=change.title),
            url=home + (change.url or LINKS.changes), updated=rfc3339(change.day.sort_day), published=None,
            summary=change.note or _label(change.kind, _), content_html="", author=None, categories=(change.kind,),
            lang=change.note_lang or change.lang,
        )
        for change in found[:FEED_SIZE]
    )  # fmt: skip
    updated = max((entry.updated for entry in entries), default=rfc3339(config.build_date))
    context = {
        "site": config, "entries": entries, "updated": updated, "home": home, "feed_url": home + LINKS.changes_feed,
        "feed_id": home + LINKS.changes_feed,
        "feed_title": _("%(site)s: changes", site=config.title),
        "feed_subtitle": _("What was added to the timeline, corrected and updated, newest first."),
        "page_url": home + LINKS.changes,
    }  # fmt: skip
    return Page(LINKS.changes_feed, "feed.xml", context)


def _change_id(change: Change, prefix: str) -> str:
    """A feed id that stays the same while the change is listed: from what changed, when and how."""
    name = f"{prefix}{change.kind}|{change.url or change.title}|{change.day.edtf}|{change.note}"
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, name)}"


def _label(kind: str, _: Words) -> str:
    return {
        "added": _("Added"), "translated": _("Translated"), "changed": _("Changed"), "updated": _("Updated"),
        "corrected": _("Corrected"), "removed": _("Removed"),
    }[kind]  # fmt: skip


def _is_entry_file(path: str, language: str, default: str) -> bool:
    """An entry's file, or in a language other than the default its translation; not an agreement's."""
    parts = PurePosixPath(path)
    if not path.endswith(".md") or parts.parts[0] == "agreements" or any(p.startswith(".") for p in parts.parts):
        return False
    suffixes = parts.name.split(".")[1:-1]  # "x.uk.md" -> ["uk"]
    return not suffixes or (language != default and suffixes == [language])
