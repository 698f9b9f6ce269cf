"""Plan every HTML page: which template, at which path, with which prepared values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup

from timeline.config import SiteConfig
from timeline.dates import MONTH_NAMES, DatePrecision
from timeline.model import Entry, TagInfo, Timeline
from timeline.partners import Partner


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML file to render."""

    output: str  # path inside the site, e.g. entries/uk-agreement/index.html
    template: str
    context: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str  # relative to the site root
    flag: str = ""  # flag emoji for partner links


@dataclass(frozen=True, slots=True)
class EntryCard:
    """An entry as it appears in lists."""

    title: str
    url: str
    date_label: str  # "16 February 2024", "February 2024" or "2024"
    date_iso: str  # the same at its precision, for <time datetime>
    kind: str  # "article" or "note"
    kind_label: str
    partners: tuple[Link, ...]
    tags: tuple[Link, ...]
    summary: str


@dataclass(frozen=True, slots=True)
class CardGroup:
    """A heading with the entries under it: a month, or a year."""

    label: str
    anchor: str  # id for in-page links, e.g. y2024-02
    cards: tuple[EntryCard, ...]


@dataclass(frozen=True, slots=True)
class YearSection:
    year: int
    anchor: str
    count_label: str  # "3 entries"
    months: tuple[CardGroup, ...]


@dataclass(frozen=True, slots=True)
class SourceView:
    title: str
    url: str
    host: str


@dataclass(frozen=True, slots=True)
class TagRow:
    """A tag on the tags index: its label, what it covers and how many entries have it."""

    link: Link
    description: str
    count: int


@dataclass(frozen=True, slots=True)
class IndexRow:
    """A partner or tag on its index page, with how many entries it has."""

    link: Link
    count: int


def plan_pages(timeline: Timeline, config: SiteConfig) -> list[Page]:
    """Every HTML page of the site, in a stable order."""
    pages = [_index_page(timeline, config)]
    pages += [_entry_page(timeline, index, config) for index in range(len(timeline.entries))]
    pages.append(_partners_index_page(timeline, config))
    pages += [_partner_page(partner, entries, timeline, config) for partner, entries in timeline.by_partner.items()]
    pages.append(_tags_index_page(timeline, config))
    pages += [_tag_page(timeline.tags[tag], entries, timeline, config) for tag, entries in timeline.by_tag.items()]
    pages.append(_not_found_page(config))
    return pages


def page_urls(timeline: Timeline) -> list[str]:
    """The URL of every page that belongs in the sitemap, relative to the site root."""
    urls = ["", *(entry.url for entry in timeline.entries), "partners/"]
    urls += [partner_url(partner) for partner in timeline.by_partner]
    urls += ["tags/", *(tag_url(tag) for tag in timeline.by_tag)]
    return urls


def partner_url(partner: Partner) -> str:
    return f"partners/{partner.slug}/"


def tag_url(tag: str) -> str:
    return f"tags/{tag}/"


def entry_card(entry: Entry, tags: Mapping[str, TagInfo]) -> EntryCard:
    return EntryCard(
        title=entry.title,
        url=entry.url,
        date_label=entry.date.label,
        date_iso=entry.date.iso,
        kind=entry.kind.value,
        kind_label=entry.kind.label,
        partners=tuple(Link(partner.name, partner_url(partner), partner.flag) for partner in entry.partners),
        tags=tuple(Link(tags[tag].label if tag in tags else tag, tag_url(tag)) for tag in entry.tags),
        summary=entry.summary,
    )


def year_sections(entries: Iterable[Entry], tags: Mapping[str, TagInfo]) -> tuple[YearSection, ...]:
    """Entries by year, then by month; entries dated only by year come first in their year."""
    sections = []
    for year, grouped in groupby(entries, key=lambda entry: entry.date.start.year):
        in_year = list(grouped)
        year_only = [entry for entry in in_year if entry.date.precision is DatePrecision.YEAR]
        months = [CardGroup(f"{year}, month not given", f"y{year}-00", _cards(year_only, tags))] if year_only else []
        dated = [entry for entry in in_year if entry.date.precision is not DatePrecision.YEAR]
        for month, in_month in groupby(dated, key=lambda entry: entry.date.start.month):
            label = f"{MONTH_NAMES[month - 1]} {year}"
            months.append(CardGroup(label, f"y{year}-{month:02d}", _cards(in_month, tags)))
        sections.append(YearSection(year, f"y{year}", count_label(len(in_year), "entry", "entries"), tuple(months)))
    return tuple(sections)


def count_label(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _cards(entries: Iterable[Entry], tags: Mapping[str, TagInfo]) -> tuple[EntryCard, ...]:
    return tuple(entry_card(entry, tags) for entry in entries)


def _context(config: SiteConfig, output: str, title: str, url: str, **values: object) -> dict[str, object]:
    """What every page needs: site settings, its own title and where the site root is from here."""
    depth = output.count("/")
    return {
        "site": config,
        "page_title": title,
        "document_title": title if title == config.title else f"{title} · {config.title}",
        "root": "../" * depth if depth else "./",
        "canonical_url": config.base_url + url,
        "description": values.pop("description", config.description),
        **values,
    }


def _index_page(timeline: Timeline, config: SiteConfig) -> Page:
    sections = year_sections(timeline.entries, timeline.tags)
    context = _context(
        config, "index.html", config.title, "",
        sections=sections,
        years=tuple(Link(str(section.year), f"#{section.anchor}") for section in sections),
        stats=f"{count_label(len(timeline.entries), 'entry', 'entries')} "
        f"with {count_label(len(timeline.by_partner), 'partner', 'partners')}.",
    )  # fmt: skip
    return Page("index.html", "index.html", context)


def _entry_page(timeline: Timeline, index: int, config: SiteConfig) -> Page:
    entry = timeline.entries[index]
    previous, following = timeline.neighbours(index)
    output = f"{entry.url}index.html"
    context = _context(
        config, output, entry.title, entry.url,
        description=entry.summary or config.description,
        card=entry_card(entry, timeline.tags),
        year=Link(str(entry.date.start.year), f"#y{entry.date.start.year}"),
        body_html=Markup(entry.body_html),  # sanitised when it was rendered
        sources=tuple(SourceView(source.title, source.url, source.host) for source in entry.sources),
        author=entry.author,
        updated=entry.updated.label if entry.updated else None,
        updated_iso=entry.updated.iso if entry.updated else None,
        previous=_neighbour_link(previous),
        next=_neighbour_link(following),
    )  # fmt: skip
    return Page(output, "entry.html", context)


def _neighbour_link(entry: Entry | None) -> Link | None:
    return Link(f"{entry.title} ({entry.date.label})", entry.url) if entry else None


def _partners_index_page(timeline: Timeline, config: SiteConfig) -> Page:
    rows = tuple(
        IndexRow(Link(partner.name, partner_url(partner), partner.flag), len(entries))
        for partner, entries in timeline.by_partner.items()
    )
    context = _context(config, "partners/index.html", "Partners", "partners/", rows=rows)
    return Page("partners/index.html", "partners.html", context)


def _partner_page(partner: Partner, entries: tuple[Entry, ...], timeline: Timeline, config: SiteConfig) -> Page:
    url = partner_url(partner)
    context = _context(
        config, f"{url}index.html", partner.name, url,
        description=f"Ukraine and {partner.name}: {len(entries)} timeline entries.",
        partner=Link(partner.name, url, partner.flag),
        sections=year_sections(entries, timeline.tags),
        stats=f"{count_label(len(entries), 'entry', 'entries')} on Ukraine's partnership with {partner.name}.",
    )  # fmt: skip
    return Page(f"{url}index.html", "partner.html", context)


def _tags_index_page(timeline: Timeline, config: SiteConfig) -> Page:
    rows = tuple(
        TagRow(Link(info.label, tag_url(slug)), info.description, len(timeline.by_tag[slug]))
        for slug, info in timeline.tags.items()
    )
    context = _context(config, "tags/index.html", "Tags", "tags/", rows=rows)
    return Page("tags/index.html", "tags.html", context)


def _tag_page(tag: TagInfo, entries: tuple[Entry, ...], timeline: Timeline, config: SiteConfig) -> Page:
    url = tag_url(tag.slug)
    context = _context(
        config, f"{url}index.html", tag.label, url,
        description=tag.description or f"Entries tagged '{tag.label}'.",
        tag=tag,
        sections=year_sections(entries, timeline.tags),
        stats=f"{count_label(len(entries), 'entry', 'entries')} tagged '{tag.label}'.",
    )  # fmt: skip
    return Page(f"{url}index.html", "tag.html", context)


def _not_found_page(config: SiteConfig) -> Page:
    context = _context(config, "404.html", "Page not found", "404.html")
    # Served for any missing path at any depth, so relative links would break: use the site's own path.
    context["root"] = config.base_path
    return Page("404.html", "404.html", context)
