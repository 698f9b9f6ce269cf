"""Plan every HTML page: which template, at which path, with which prepared values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import groupby

from timeline.charts import activity_strip, partner_year_matrix, year_range, year_type_chart
from timeline.config import SiteConfig
from timeline.dates import MONTH_NAMES, DatePrecision
from timeline.model import Entry, EntryKind, TagInfo, Timeline
from timeline.partners import Partner
from timeline.wording import count_label

# Scripts and styles only from the site's own files (no inline script, no other host); Pagefind's search
# runs WebAssembly, which needs 'wasm-unsafe-eval'. JSON-LD is data, not script, so it is unaffected.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
INDEX_PAGE_SIZE = 300  # entries per timeline page: about 300 KB of HTML at most
LIST_PAGE_SIZE = 200  # entries per page of a partner's or a tag's list


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
    current: bool = False  # the page being shown (aria-current)


@dataclass(frozen=True, slots=True)
class EntryCard:
    """An entry as it appears in lists, with the data the filters read."""

    slug: str
    title: str
    url: str
    date_label: str  # "16 February 2024", "February 2024" or "2024"
    date_iso: str  # the same at its precision, for <time datetime>
    year: int
    kind: str  # "article" or "note"
    kind_label: str
    partners: tuple[Link, ...]
    partner_codes: str  # "IT FR", for the filters
    tags: tuple[Link, ...]
    tag_slugs: str  # "uav co-production", for the filters
    summary: str
    draft: bool  # only in previews with --drafts: shown with a badge


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
class IndexRow:
    """A partner or tag on its index page: what it covers and how many entries have it."""

    link: Link
    description: str
    count: int


@dataclass(frozen=True, slots=True)
class Option:
    """A choice in a filter or search facet."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Pager:
    """Links between the pages of a long list."""

    pages: tuple[Link, ...]  # every page, in order
    current: int  # 1-based
    previous: Link | None
    next: Link | None


def page_urls(timeline: Timeline) -> list[str]:
    """The URL of every page that belongs in the sitemap, relative to the site root."""
    urls = ["", *(entry.url for entry in timeline.entries), "partners/"]
    urls += [partner.url for partner in timeline.by_partner]
    urls += ["tags/", *(tag_url(tag) for tag in timeline.by_tag)]
    return urls


def tag_url(tag: str) -> str:
    return f"tags/{tag}/"


def entry_card(entry: Entry, tags: Mapping[str, TagInfo]) -> EntryCard:
    return EntryCard(
        slug=entry.slug,
        title=entry.title,
        url=entry.url,
        date_label=entry.date.label,
        date_iso=entry.date.iso,
        year=entry.date.start.year,
        kind=entry.kind.value,
        kind_label=entry.kind.label,
        partners=tuple(Link(partner.name, partner.url, partner.flag) for partner in entry.partners),
        partner_codes=" ".join(partner.code for partner in entry.partners),
        tags=tuple(Link(tags[tag].label, tag_url(tag)) for tag in entry.tags),  # Timeline.tags covers every tag
        tag_slugs=" ".join(entry.tags),
        summary=entry.summary,
        draft=entry.draft,
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


def page_context(config: SiteConfig, output: str, title: str, url: str, **values: object) -> dict[str, object]:
    """What every page needs: site settings, its own title and where the site root is from here."""
    depth = output.count("/")
    return {
        "site": config,
        "page_title": title,
        "document_title": title if title == config.title else f"{title} · {config.title}",
        "root": "../" * depth if depth else "./",
        "canonical_url": config.base_url + url,
        "content_security_policy": CONTENT_SECURITY_POLICY,
        "description": config.description,
        "scripts": (),
        "open_graph": None,
        "json_ld": None,
        **values,
    }


def paginate(entries: Sequence[Entry], size: int, first_url: str) -> list[tuple[str, Sequence[Entry], Pager | None]]:
    """Split a list into pages at first_url, first_url + page/2/, ...; no pager when one page is enough."""
    chunks = [entries[start : start + size] for start in range(0, len(entries), size)] or [entries]
    if len(chunks) == 1:
        return [(first_url, entries, None)]
    urls = [first_url if number == 1 else f"{first_url}page/{number}/" for number in range(1, len(chunks) + 1)]
    links = tuple(Link(str(number), url) for number, url in enumerate(urls, start=1))
    result = []
    for number, (url, chunk) in enumerate(zip(urls, chunks, strict=True), start=1):
        marked = tuple(replace(link, current=index == number) for index, link in enumerate(links, start=1))
        previous = links[number - 2] if number > 1 else None
        following = links[number] if number < len(links) else None
        result.append((url, chunk, Pager(marked, number, previous, following)))
    return result


def _cards(entries: Iterable[Entry], tags: Mapping[str, TagInfo]) -> tuple[EntryCard, ...]:
    return tuple(entry_card(entry, tags) for entry in entries)


def index_pages(timeline: Timeline, config: SiteConfig) -> list[Page]:
    pages = []
    chunks = paginate(timeline.entries, INDEX_PAGE_SIZE, "")
    years = tuple(Link(str(year), link) for year, link in year_links(timeline).items())
    filters = _filter_options(timeline)
    stats = (f"{count_label(len(timeline.entries), 'entry', 'entries')} "
             f"with {count_label(len(timeline.by_partner), 'partner', 'partners')}.")  # fmt: skip
    chart = year_type_chart(timeline.entries) if timeline.entries else None
    for url, chunk, pager in chunks:
        output = f"{url}index.html"
        first = pager is None or pager.current == 1
        title = config.title if first else f"Timeline, page {pager.current}"
        context = page_context(
            config, output, title, url,
            sections=year_sections(chunk, timeline.tags), chart=chart if first else None,
            years=years, pager=pager, filters=filters, stats=stats,
            scripts=("static/filters.js",),
        )  # fmt: skip
        pages.append(Page(output, "index.html", context))
    return pages


def year_links(timeline: Timeline) -> dict[int, str]:
    """Year -> the timeline page and anchor where that year starts, e.g. 'page/3/#y2019'."""
    links: dict[int, str] = {}
    for url, chunk, _ in paginate(timeline.entries, INDEX_PAGE_SIZE, ""):
        for entry in chunk:
            links.setdefault(entry.date.start.year, f"{url}#y{entry.date.start.year}")
    return links


def _filter_options(timeline: Timeline) -> dict[str, tuple[Option, ...]]:
    years = sorted({entry.date.start.year for entry in timeline.entries})
    return {
        "partners": tuple(Option(partner.code, partner.name) for partner in timeline.by_partner),
        "tags": tuple(Option(slug, info.label) for slug, info in sorted(timeline.tags.items(), key=_by_label)),
        "types": tuple(Option(kind.value, kind.label + "s") for kind in EntryKind),
        "years": tuple(Option(str(year), str(year)) for year in years),
    }


def _by_label(item: tuple[str, TagInfo]) -> str:
    return item[1].label.casefold()


def partners_index_page(timeline: Timeline, config: SiteConfig) -> Page:
    rows = tuple(
        IndexRow(Link(partner.name, partner.url, partner.flag), "", len(entries))
        for partner, entries in timeline.by_partner.items()
    )
    matrix = partner_year_matrix(timeline) if timeline.entries else None
    context = page_context(config, "partners/index.html", "Partners", "partners/", rows=rows, matrix=matrix)
    return Page("partners/index.html", "partners.html", context)


def busiest_partner_year(timeline: Timeline) -> int:
    """The most entries any partner has in one year: the shared scale of every partner's activity strip."""
    counts = Counter((partner, entry.date.start.year) for entry in timeline.entries for partner in entry.partners)
    return max(counts.values(), default=1)


def partner_pages(
    partner: Partner, entries: tuple[Entry, ...], timeline: Timeline, config: SiteConfig, scale_max: int
) -> list[Page]:
    # One scale for every partner's strip, so a tall bar means the same on every page.
    activity = activity_strip(entries, year_range(timeline.entries), subject=partner.name, scale_max=scale_max)
    count = count_label(len(entries), "entry", "entries")
    return _list_pages(
        entries, timeline, config, partner.url, partner.name, "partner.html",
        description=f"Ukraine and {partner.name}: {count} on the timeline.",
        stats=f"{count} on Ukraine's partnership with {partner.name}.",
        partner=Link(partner.name, partner.url, partner.flag), activity=activity,
    )  # fmt: skip


def tags_index_page(timeline: Timeline, config: SiteConfig) -> Page:
    rows = tuple(
        IndexRow(Link(info.label, tag_url(slug)), info.description, len(timeline.by_tag[slug]))
        for slug, info in sorted(timeline.tags.items(), key=_by_label)
    )
    context = page_context(config, "tags/index.html", "Tags", "tags/", rows=rows)
    return Page("tags/index.html", "tags.html", context)


def tag_pages(tag: TagInfo, entries: tuple[Entry, ...], timeline: Timeline, config: SiteConfig) -> list[Page]:
    return _list_pages(
        entries, timeline, config, tag_url(tag.slug), tag.label, "tag.html",
        description=tag.description or f"Entries tagged '{tag.label}'.",
        stats=f"{count_label(len(entries), 'entry', 'entries')} tagged '{tag.label}'.", tag=tag,
    )  # fmt: skip


def _list_pages(
    entries: tuple[Entry, ...],
    timeline: Timeline,
    config: SiteConfig,
    first_url: str,
    title: str,
    template: str,
    **values: object,
) -> list[Page]:
    """A partner's or a tag's entries, by year, over as many pages as they need."""
    pages = []
    for url, chunk, pager in paginate(entries, LIST_PAGE_SIZE, first_url):
        output = f"{url}index.html"
        context = page_context(config, output, title, url, sections=year_sections(chunk, timeline.tags), pager=pager,
                               **values)  # fmt: skip
        pages.append(Page(output, template, context))
    return pages


def search_page(timeline: Timeline, config: SiteConfig) -> Page:
    filters = _filter_options(timeline)
    facets = {
        # Pagefind filters by the text shown on entry pages: partner names, tag labels, type labels.
        "partners": tuple(Option(option.label, option.label) for option in filters["partners"]),
        "tags": tuple(Option(option.label, option.label) for option in filters["tags"]),
        "types": tuple(Option(kind.label, kind.label + "s") for kind in EntryKind),
    }
    context = page_context(config, "search/index.html", "Search", "search/", facets=facets,
                           scripts=("static/search.js",))  # fmt: skip
    return Page("search/index.html", "search.html", context)


def not_found_page(config: SiteConfig) -> Page:
    context = page_context(config, "404.html", "Page not found", "404.html")
    # Served for any missing path at any depth, so relative links would break: use the site's own path.
    context["root"] = config.base_path
    return Page("404.html", "404.html", context)
