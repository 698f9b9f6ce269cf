"""Every file of the site, planned before any is made: what each is made from, and how.

A planned file's `arguments` are everything it shows apart from the settings and its template, as
model values. The preview server keeps them between rebuilds and makes again only the files whose
arguments changed (see pipeline), so they must be complete: a value left out would leave a page stale.
What is derived from each entry comes from a ViewMemo, so that a rebuild derives it only for edited entries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from timeline.charts import year_range
from timeline.config import SiteConfig
from timeline.entry_page import RelatedItem, entry_page, neighbour_link, related_item
from timeline.export import csv_row, entries_csv, entries_json, json_record
from timeline.feeds import SitemapPage, feed_page, sitemap_entry, sitemap_page, sitemap_pages
from timeline.memo import Memo
from timeline.model import Entry, TagInfo, Timeline
from timeline.related import RelatedMemo
from timeline.views import (
    INDEX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    EntryCard,
    Link,
    Page,
    busiest_partner_year,
    entry_card,
    index_page,
    not_found_page,
    paginate,
    partner_activity,
    partner_page,
    partners_index_page,
    search_page,
    tag_page,
    tag_url,
    tags_index_page,
    timeline_summary,
    year_links,
)


class PlannedFile(NamedTuple):
    """One file of the site, not made yet. (A named tuple: a large site plans tens of thousands at every rebuild.)"""

    output: str  # path inside the site, e.g. entries/uk-agreement/index.html
    template: str | None  # the template that renders the page; None: `make` gives the file's bytes
    make: Callable[..., Page | bytes]  # called as make(config, *arguments)
    arguments: tuple[object, ...]  # everything the file shows but the settings and the template

    def made(self, config: SiteConfig) -> Page | bytes:
        return self.make(config, *self.arguments)


class EntryView(NamedTuple):
    """What the pages show of one entry."""

    card: EntryCard  # in lists, and at the top of its own page
    link: Link  # to its page, as its neighbours show it
    related_item: RelatedItem  # as other entries' pages show it
    json_record: str  # in data/entries.json
    csv_row: str  # in data/entries.csv
    sitemap: SitemapPage


def entry_view(entry: Entry, tags: Mapping[str, TagInfo]) -> EntryView:
    return EntryView(
        entry_card(entry, tags),
        neighbour_link(entry),
        related_item(entry),
        json_record(entry),
        csv_row(entry),
        sitemap_entry(entry),
    )


class ViewMemo:
    """Views of entries; the preview server keeps one between rebuilds, so only edited entries are viewed again."""

    def __init__(self) -> None:
        self.related = RelatedMemo()
        self._tags: dict[str, TagInfo] = {}
        self._views: Memo[Entry, EntryView] = Memo()

    def views(self, timeline: Timeline) -> list[EntryView]:
        """The view of every entry, in timeline order. (Made here: sending views back from worker
        processes would take longer than making them.)"""
        if self._tags != timeline.tags:  # a tag relabelled in the vocabulary: every card shows it
            self._tags = dict(timeline.tags)
            self._views.clear()
        tags = self._tags
        return self._views.values(timeline.entries, lambda new: [entry_view(entry, tags) for entry in new])


def plan_site(
    timeline: Timeline, config: SiteConfig, static: dict[str, bytes], memo: ViewMemo, jobs: int = 1
) -> list[PlannedFile]:
    """Every file of the site in a stable order: pages, feeds, data downloads, then `static` as it is."""
    views = memo.views(timeline)
    cards = {entry.slug: view.card for entry, view in zip(timeline.entries, views, strict=True)}
    years = year_links(timeline)
    files = _index_files(timeline, cards, years)
    files += _entry_files(timeline, views, years, memo.related.positions(timeline, jobs))
    files.append(_made(partners_index_page(timeline, config)))
    files += _partner_files(timeline, cards)
    files.append(_made(tags_index_page(timeline, config)))
    files += _tag_files(timeline, cards)
    files += [_made(search_page(timeline, config)), _made(not_found_page(config)), _made(feed_page(timeline, config))]
    sitemap = tuple(sitemap_pages(timeline, [view.sitemap for view in views]))
    files.append(PlannedFile("sitemap.xml", "sitemap.xml", sitemap_page, (sitemap,)))
    json_records = tuple(view.json_record for view in views)
    files.append(PlannedFile("data/entries.json", None, _data(entries_json), (json_records,)))
    files.append(PlannedFile("data/entries.csv", None, _data(entries_csv), (tuple(view.csv_row for view in views),)))
    files.append(PlannedFile(".nojekyll", None, _bytes, (b"",)))
    if config.cname:  # GitHub Pages serves the site at this domain
        files.append(PlannedFile("CNAME", None, _bytes, (f"{config.cname}\n".encode(),)))
    files += [PlannedFile(name, None, _bytes, (content,)) for name, content in static.items()]
    return files


def _index_files(timeline: Timeline, cards: dict[str, EntryCard], years: dict[int, str]) -> list[PlannedFile]:
    summary = timeline_summary(timeline, years)
    files = []
    for url, chunk, pager in paginate(timeline.entries, INDEX_PAGE_SIZE, ""):
        arguments = (summary, url, tuple(cards[entry.slug] for entry in chunk), pager)
        files.append(PlannedFile(f"{url}index.html", "index.html", index_page, arguments))
    return files


def _entry_files(
    timeline: Timeline, views: list[EntryView], years: dict[int, str], related: list[tuple[int, ...]]
) -> list[PlannedFile]:
    entries, last = timeline.entries, len(timeline.entries) - 1
    year_link = {year: Link(str(year), url) for year, url in years.items()}
    return [
        PlannedFile(
            f"{entry.url}index.html",
            "entry.html",
            entry_page,
            (
                entry,
                view.card,
                year_link[entry.date.start.year],
                views[index - 1].link if index > 0 else None,
                views[index + 1].link if index < last else None,
                tuple([views[other].related_item for other in related[index]]),
            ),
        )
        for index, (entry, view) in enumerate(zip(entries, views, strict=True))
    ]


def _partner_files(timeline: Timeline, cards: dict[str, EntryCard]) -> list[PlannedFile]:
    scale, years = busiest_partner_year(timeline), year_range(timeline.entries)
    files = []
    for partner, entries in timeline.by_partner.items():
        activity = partner_activity(partner, entries, years, scale)
        for url, chunk, pager in paginate(entries, LIST_PAGE_SIZE, partner.url):
            chunk_cards = tuple(cards[entry.slug] for entry in chunk)
            arguments = (partner, len(entries), activity, url, chunk_cards, pager)
            files.append(PlannedFile(f"{url}index.html", "partner.html", partner_page, arguments))
    return files


def _tag_files(timeline: Timeline, cards: dict[str, EntryCard]) -> list[PlannedFile]:
    files = []
    for tag, entries in timeline.by_tag.items():
        for url, chunk, pager in paginate(entries, LIST_PAGE_SIZE, tag_url(tag)):
            chunk_cards = tuple(cards[entry.slug] for entry in chunk)
            arguments = (timeline.tags[tag], len(entries), url, chunk_cards, pager)
            files.append(PlannedFile(f"{url}index.html", "tag.html", tag_page, arguments))
    return files


def _made(page: Page) -> PlannedFile:
    """A page cheap enough to make at every rebuild: the page itself is what it is made from."""
    return PlannedFile(page.output, page.template, _page, (page,))


def _page(config: SiteConfig, page: Page) -> Page:
    return page


def _bytes(config: SiteConfig, content: bytes) -> bytes:
    return content


def _data(join: Callable[[tuple[str, ...]], bytes]) -> Callable[[SiteConfig, tuple[str, ...]], bytes]:
    return lambda config, parts: join(parts)
