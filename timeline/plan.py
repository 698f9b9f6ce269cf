"""The plan step: every file of the site, with everything it shows, before any is rendered.

A page is a template and a context of frozen values; the plan is the same for every build, and a page's
digest (render.made_from) is taken of what it holds, so there is nothing to keep in step by hand: a value
added to a view is in the digest. `memo` may keep what is derived from one entry (its card, its rows in
the data files, its page's details) and the ranking of related entries between rebuilds: the preview
passes the cache's memo, a one-off build computes everything once. Functions given to `memo` depend on
nothing but their arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType
from typing import Any

from timeline.agreement_pages import agreement_page, agreements_index_page, agreements_summary, partner_agreements
from timeline.changes import changes, changes_feed, changes_page, entry_files, last_change
from timeline.charts import year_range
from timeline.config import SiteConfig
from timeline.data_page import data_files, data_page
from timeline.datapackage import datapackage_json
from timeline.entry_page import (
    EntryDetails,
    RelatedItem,
    citation_files,
    entry_details,
    entry_page,
    entry_reference,
    neighbour_link,
    related_item,
)
from timeline.export import agreements_csv, agreements_json, csv_row, entries_csv, entries_json, json_record, steps_csv
from timeline.feeds import SitemapPage, feed_page, sitemap_entry, sitemap_page, sitemap_pages
from timeline.model import Entry, TagInfo, Timeline
from timeline.rates import EurRates
from timeline.related import rank_related, related_groups
from timeline.views import (
    INDEX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    Asset,
    EntryCard,
    Link,
    Page,
    SiteFile,
    TimelineSummary,
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

Memo = Callable[..., Any]  # memo(function, *arguments) -> function(*arguments), perhaps kept from before


def call(function: Callable[..., Any], *arguments: object, **options: object) -> Any:
    """The memo of a build that keeps nothing."""
    return function(*arguments)


def _itself(value: object) -> object:
    return value


@dataclass(frozen=True, slots=True)
class EntryView:
    """What the site shows of one entry, wherever it shows it."""

    card: EntryCard  # in lists, and at the top of its own page
    details: EntryDetails  # the rest of its own page
    link: Link  # to its page, as its neighbours show it
    related_item: RelatedItem  # as other entries' pages show it
    json_record: str  # in data/entries.json
    csv_row: str  # in data/entries.csv
    sitemap: SitemapPage
    citations: tuple[Asset, ...]  # its reference as BibTeX, RIS and CSL-JSON, beside its page


def entry_view(
    entry: Entry,
    tags: Mapping[str, TagInfo],
    config: SiteConfig,
    agreements: Mapping[str, tuple[str, str]],
    rates: EurRates,
    last_changed: date | None = None,
) -> EntryView:
    """`config`: the settings of the pages' language; `agreements`: see agreement_titles; `last_changed`: the
    day its files last changed, from the content's history."""
    language = config.language
    card = entry_card(entry, tags, language)
    return EntryView(
        card,
        entry_details(entry, card, config, agreements, rates, last_changed),
        neighbour_link(entry, language),
        related_item(entry, language),
        json_record(entry, rates),
        csv_row(entry),
        sitemap_entry(entry),
        citation_files(entry_reference(entry, config), entry.url),
    )


def plan_site(
    timelines: Mapping[str, Timeline], config: SiteConfig, static: Mapping[str, bytes], memo: Memo = call, jobs: int = 1
) -> list[SiteFile]:
    """Every file of the site in a stable order: each language's pages, feed and data downloads (the default
    language's at the root, the others' under their code), then the sitemap of them all, then `static` as it is.
    `timelines`: the timeline in each of config.languages, the default first."""
    files: list[SiteFile] = []
    sitemap: list[SitemapPage] = []
    for language, timeline in timelines.items():
        local = memo(_itself, config.for_language(language))
        language_files, sitemap = _language_files(timeline, local, memo, jobs)
        files += language_files if not local.prefix else [memo(_moved, file, local.prefix) for file in language_files]
    files.append(memo(sitemap_page, config, tuple(sitemap)))
    files.append(Asset(".nojekyll", b""))
    if config.cname:  # GitHub Pages serves the site at this domain
        files.append(Asset("CNAME", f"{config.cname}\n".encode()))
    files += [Asset(name, content) for name, content in static.items()]
    return files


def _moved(file: SiteFile, prefix: str) -> SiteFile:
    """A file of a language's pages, put under its folder (uk/); its links are relative to that folder."""
    return replace(file, output=prefix + file.output)


def _language_files(
    timeline: Timeline, config: SiteConfig, memo: Memo, jobs: int
) -> tuple[list[SiteFile], list[SitemapPage]]:
    """The pages, feed and data downloads of one language (`config.language`), relative to its folder, and what
    the sitemap lists of them."""
    # The settings and the tags as the same objects as last time if they are equal, so that what derives
    # from them is found by identity.
    language = config.language
    tags, rates = memo(_itself, timeline.tags), memo(_itself, timeline.rates)
    titles = memo(_itself, agreement_titles(timeline))
    default, history = config.languages[0], timeline.history
    views = [
        memo(entry_view, entry, tags, config, titles, rates,
             last_change(history, entry_files(entry, config.content_dir, language, default)) if history.key else None)
        for entry in timeline.entries
    ]  # fmt: skip
    cards = {entry.slug: view.card for entry, view in zip(timeline.entries, views, strict=True)}
    years = year_links(timeline)
    related = memo(rank_related, related_groups(timeline), jobs)
    summary = memo(
        timeline_summary, timeline.entries, tuple(timeline.by_partner), tags, tuple(years.items()),
        agreements_summary(timeline, language), language,
    )  # fmt: skip
    files: list[SiteFile] = _index_pages(timeline, config, cards, summary, memo)
    files += _entry_pages(timeline, config, views, years, related, memo)
    files += [file for view in views for file in view.citations]
    files += _agreement_pages(timeline, config, cards, memo)
    files.append(partners_index_page(timeline, config))
    files += _partner_pages(timeline, config, cards, memo)
    files.append(tags_index_page(timeline, config))
    files += _tag_pages(timeline, config, tags, cards, memo)
    files += [search_page(timeline, config), not_found_page(config), feed_page(timeline, config)]
    files.append(Asset("data/entries.json", entries_json([view.json_record for view in views])))
    files.append(Asset("data/entries.csv", entries_csv([view.csv_row for view in views])))
    records = tuple(timeline.agreements.values())
    files.append(Asset("data/agreements.json", memo(agreements_json, records, rates)))
    files.append(Asset("data/agreements.csv", memo(agreements_csv, records, rates)))
    files.append(Asset("data/steps.csv", memo(steps_csv, timeline.entries)))
    files.append(Asset("data/datapackage.json", memo(datapackage_json, config, rates)))
    files += [data_page(timeline, config), *memo(data_files, config)]
    found = changes(timeline, config.content_dir, language, default)
    files += [changes_page(config, found, bool(history.key)), changes_feed(config, found)]
    return files, sitemap_pages(timeline, [view.sitemap for view in views])


def agreement_titles(timeline: Timeline) -> Mapping[str, tuple[str, str]]:
    """Each agreement's title and the language it is in, by id."""
    return MappingProxyType({
        identifier: (record.agreement.title, record.agreement.text_language)
        for identifier, record in timeline.agreements.items()
    })  # fmt: skip


def _agreement_pages(timeline: Timeline, config: SiteConfig, cards: dict[str, EntryCard], memo: Memo) -> list[Page]:
    pages = [agreements_index_page(timeline, config)]
    for record in timeline.agreements.values():
        steps = tuple(cards[step.slug] for step in record.steps)
        pages.append(memo(agreement_page, config, record, steps, timeline.rates))
    return pages


def _index_pages(
    timeline: Timeline, config: SiteConfig, cards: dict[str, EntryCard], summary: TimelineSummary, memo: Memo
) -> list[Page]:
    return [
        memo(index_page, config, summary, url, tuple(cards[entry.slug] for entry in chunk), pager)
        for url, chunk, pager in paginate(timeline.entries, INDEX_PAGE_SIZE, "")
    ]


def _entry_pages(
    timeline: Timeline,
    config: SiteConfig,
    views: Sequence[EntryView],
    years: dict[int, str],
    related: Sequence[tuple[int, ...]],
    memo: Memo,
) -> list[Page]:
    last = len(views) - 1
    return [
        memo(
            entry_page,
            config,
            view.card,
            view.details,
            years[entry.date.start.year],
            views[index - 1].link if index > 0 else None,
            views[index + 1].link if index < last else None,
            tuple([views[other].related_item for other in related[index]]),
        )
        for index, (entry, view) in enumerate(zip(timeline.entries, views, strict=True))
    ]


def _partner_pages(timeline: Timeline, config: SiteConfig, cards: dict[str, EntryCard], memo: Memo) -> list[Page]:
    scale, years = busiest_partner_year(timeline), year_range(timeline.entries)
    agreements = partner_agreements(timeline, config.language)
    pages = []
    for partner, entries in timeline.by_partner.items():
        activity = memo(partner_activity, partner, entries, years, scale, config.language)
        listed = agreements.get(partner, ())
        for url, chunk, pager in paginate(entries, LIST_PAGE_SIZE, partner.url):
            chunk_cards = tuple(cards[entry.slug] for entry in chunk)
            arguments = (config, partner, len(entries), activity, url, chunk_cards, pager, listed)
            pages.append(memo(partner_page, *arguments))
    return pages


def _tag_pages(
    timeline: Timeline, config: SiteConfig, tags: Mapping[str, TagInfo], cards: dict[str, EntryCard], memo: Memo
) -> list[Page]:
    pages = []
    for tag, entries in timeline.by_tag.items():
        for url, chunk, pager in paginate(entries, LIST_PAGE_SIZE, tag_url(tag)):
            chunk_cards = tuple(cards[entry.slug] for entry in chunk)
            pages.append(memo(tag_page, config, tags[tag], len(entries), url, chunk_cards, pager))
    return pages
