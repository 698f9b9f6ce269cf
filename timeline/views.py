"""Plan every HTML page: which template, at which path, with which prepared values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import groupby

from timeline.charts import BarChart, activity_strip, partner_year_matrix, year_type_chart
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
    """A file of the site rendered from a template: everything it shows is in its context."""

    output: str  # path inside the site, e.g. entries/uk-agreement/index.html
    template: str
    context: Mapping[str, object]  # frozen values only: the page's digest is taken of them


@dataclass(frozen=True, slots=True)
class Asset:
    """A file of the site that is written as it is: data downloads, stylesheets, scripts."""

    output: str
    content: bytes


SiteFile = Page | Asset

# The names of the search index's filters, as entry pages declare them and the search page asks for them.
SEARCH_FILTERS = {"partner": "partner", "tag": "tag", "type": "type"}


@dataclass(frozen=True, slots=True)
class SiteLinks:
    """Where the site's fixed pages and files are, relative to its root; templates write {{ root }}{{ links.x }}."""

    home: str = ""
    partners: str = "partners/"
    tags: str = "tags/"
    search: str = "search/"
    agreements: str = "agreements/"
    feed: str = "feed.xml"
    entries_csv: str = "data/entries.csv"
    entries_json: str = "data/entries.json"
    agreements_csv: str = "data/agreements.csv"
    agreements_json: str = "data/agreements.json"
    datapackage: str = "data/datapackage.json"
    static: str = "static/"


LINKS = SiteLinks()


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
    month: int  # 1 to 12; 0 when only the year is known
    kind: str  # "article" or "note"
    kind_label: str
    partners: tuple[Link, ...]
    partner_codes: str  # "IT FR", for the filters
    tags: tuple[Link, ...]
    tag_slugs: str  # "uav co-production", for the filters
    summary: str
    draft: bool  # only in previews with --drafts: shown with a badge
    stage: str = ""  # the step of an agreement it reports, as a badge: "Signed"


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
        month=0 if entry.date.precision is DatePrecision.YEAR else entry.date.start.month,
        kind=entry.kind.value,
        kind_label=entry.kind.label,
        partners=tuple(Link(partner.name, partner.url, partner.flag) for partner in entry.partners),
        partner_codes=" ".join(partner.code for partner in entry.partners),
        tags=tuple(Link(tags[tag].label, tag_url(tag)) for tag in entry.tags),  # Timeline.tags covers every tag
        tag_slugs=" ".join(entry.tags),
        summary=entry.summary,
        draft=entry.draft,
        stage=entry.stage.label if entry.stage and entry.agreements else "",
    )


def year_sections(cards: Iterable[EntryCard]) -> tuple[YearSection, ...]:
    """Entries by year, then by month; entries dated only by year come first in their year."""
    sections = []
    for year, grouped in groupby(cards, key=lambda card: card.year):
        in_year = list(grouped)
        year_only = tuple(card for card in in_year if card.month == 0)
        months = [CardGroup(f"{year}, month not given", f"y{year}-00", year_only)] if year_only else []
        dated = [card for card in in_year if card.month != 0]
        for month, in_month in groupby(dated, key=lambda card: card.month):
            months.append(CardGroup(f"{MONTH_NAMES[month - 1]} {year}", f"y{year}-{month:02d}", tuple(in_month)))
        sections.append(YearSection(year, f"y{year}", count_label(len(in_year), "entry", "entries"), tuple(months)))
    return tuple(sections)


# The site's main sections, in the header of every page: (label, where).
_SECTIONS = (("Timeline", LINKS.home), ("Agreements", LINKS.agreements), ("Partners", LINKS.partners),
             ("Tags", LINKS.tags), ("Data", LINKS.entries_csv))  # fmt: skip


def page_context(
    config: SiteConfig,
    output: str,
    title: str,
    url: str,
    breadcrumbs: tuple[Link, ...] = (),
    **values: object,
) -> dict[str, object]:
    """What every page needs: site settings, its own title, the navigation and where the site root is from here.

    `breadcrumbs`: the pages above this one, the timeline first; the page itself is added last."""
    depth = output.count("/")
    return {
        "site": config,
        "links": LINKS,
        "search_filters": SEARCH_FILTERS,
        "nav": tuple(Link(label, where, current=where == url) for label, where in _SECTIONS),
        "breadcrumbs": (*breadcrumbs, Link(title, url, current=True)) if breadcrumbs else (),
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


def crumbs(*levels: tuple[str, str]) -> tuple[Link, ...]:
    """Breadcrumbs from the timeline down to a page's parent: crumbs(("Partners", "partners/"))."""
    return (Link("Timeline", LINKS.home), *(Link(label, url) for label, url in levels))


def paginate(entries: Sequence[Entry], size: int, first_url: str) -> list[tuple[str, Sequence[Entry], Pager | None]]:
    """Split a list into pages at first_url, first_url + page/2/, ...; no pager when one page is enough."""
    chunks = [entries[start : start + size] for start in range(0, len(entries), size)] or [entries]
    if len(chunks) == 1:
        return [(first_url, entries, None)]
    pagers = _pagers(len(chunks), first_url)
    return [(pager.pages[pager.current - 1].url, chunk, pager) for pager, chunk in zip(pagers, chunks, strict=True)]


@lru_cache(maxsize=4096)
def _pagers(count: int, first_url: str) -> tuple[Pager, ...]:
    """The pager of each of `count` pages; the same few lists are paginated at every rebuild of a preview."""
    urls = [first_url if number == 1 else f"{first_url}page/{number}/" for number in range(1, count + 1)]
    links = tuple(Link(str(number), url) for number, url in enumerate(urls, start=1))
    pagers = []
    for number in range(1, count + 1):
        marked = tuple(replace(link, current=index == number) for index, link in enumerate(links, start=1))
        previous = links[number - 2] if number > 1 else None
        following = links[number] if number < len(links) else None
        pagers.append(Pager(marked, number, previous, following))
    return tuple(pagers)


@dataclass(frozen=True, slots=True)
class TimelineSummary:
    """What every page of the timeline shows about all of it: links to the years, filters, counts, the chart."""

    years: tuple[Link, ...]
    filters: Mapping[str, tuple[Option, ...]]
    stats: str
    chart: BarChart | None
    agreements: str  # one line on the agreements, linking to them: see agreement_pages.agreements_summary


def timeline_summary(
    entries: tuple[Entry, ...],
    partners: tuple[Partner, ...],
    tags: Mapping[str, TagInfo],
    year_links: tuple[tuple[int, str], ...],
    agreements: str = "",
) -> TimelineSummary:
    """`entries` in timeline order, `partners` as Timeline.by_partner lists them, `tags` as Timeline.tags,
    `year_links` as year_links() gives them, `agreements` the line about the agreements."""
    years = tuple(Link(str(year), link) for year, link in year_links)
    stats = (f"{count_label(len(entries), 'entry', 'entries')} "
             f"with {count_label(len(partners), 'partner', 'partners')}.")  # fmt: skip
    chart = year_type_chart(entries) if entries else None
    return TimelineSummary(years, filter_options(entries, partners, tags), stats, chart, agreements)


def index_page(
    config: SiteConfig, summary: TimelineSummary, url: str, cards: tuple[EntryCard, ...], pager: Pager | None
) -> Page:
    """One page of the timeline: its entries' cards, and the chart on the first page."""
    output = f"{url}index.html"
    first = pager is None or pager.current == 1
    title = config.title if first else f"Timeline, page {pager.current}"
    context = page_context(
        config, output, title, url,
        sections=year_sections(cards), chart=summary.chart if first else None,
        years=summary.years, pager=pager, filters=summary.filters, stats=summary.stats,
        agreements=summary.agreements if first else "",
        scripts=(f"{LINKS.static}filters.js",),
    )  # fmt: skip
    return Page(output, "index.html", context)


def year_links(timeline: Timeline) -> dict[int, str]:
    """Year -> the timeline page and anchor where that year starts, e.g. 'page/3/#y2019'."""
    urls = [url for url, _, _ in paginate(timeline.entries, INDEX_PAGE_SIZE, "")]
    links: dict[int, str] = {}
    for index, entry in enumerate(timeline.entries):
        year = entry.date.start.year
        if year not in links:
            links[year] = f"{urls[index // INDEX_PAGE_SIZE]}#y{year}"
    return links


def filter_options(
    entries: Sequence[Entry], partners: Sequence[Partner], tags: Mapping[str, TagInfo]
) -> dict[str, tuple[Option, ...]]:
    """The choices of the timeline's filters."""
    years = sorted({entry.date.start.year for entry in entries})
    return {
        "partners": tuple(Option(partner.code, partner.name) for partner in partners),
        "tags": tuple(Option(slug, info.label) for slug, info in sorted(tags.items(), key=_by_label)),
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
    context = page_context(config, "partners/index.html", "Partners", LINKS.partners, rows=rows, matrix=matrix)
    return Page("partners/index.html", "partners.html", context)


def busiest_partner_year(timeline: Timeline) -> int:
    """The most entries any partner has in one year: the shared scale of every partner's activity strip."""
    counts = Counter((partner, entry.date.start.year) for entry in timeline.entries for partner in entry.partners)
    return max(counts.values(), default=1)


def partner_activity(partner: Partner, entries: Sequence[Entry], years: Sequence[int], scale_max: int) -> BarChart:
    """`years`: the whole timeline's, so strips line up between pages. One scale for every partner's strip,
    `scale_max` (see busiest_partner_year), so a tall bar means the same on every page."""
    return activity_strip(entries, years, subject=partner.name, scale_max=scale_max)


@dataclass(frozen=True, slots=True)
class AgreementItem:
    """An agreement in a list: its name, linked, and where it stands."""

    link: Link
    status: str  # "Signed, 12 January 2024"


def partner_page(
    config: SiteConfig,
    partner: Partner,
    count: int,
    activity: BarChart,
    url: str,
    cards: tuple[EntryCard, ...],
    pager: Pager | None,
    agreements: tuple[AgreementItem, ...] = (),
) -> Page:
    """One page of a partner's entries, with the strip of its activity per year and its agreements."""
    entries = count_label(count, "entry", "entries")
    return _list_page(
        config, url, partner.name, "partner.html", cards, pager, crumbs(("Partners", LINKS.partners)),
        description=f"Ukraine and {partner.name}: {entries} on the timeline.",
        stats=f"{entries} on Ukraine's partnership with {partner.name}.",
        partner=Link(partner.name, partner.url, partner.flag), activity=activity, agreements=agreements,
    )  # fmt: skip


def tags_index_page(timeline: Timeline, config: SiteConfig) -> Page:
    rows = tuple(
        IndexRow(Link(info.label, tag_url(slug)), info.description, len(timeline.by_tag[slug]))
        for slug, info in sorted(timeline.tags.items(), key=_by_label)
    )
    context = page_context(config, "tags/index.html", "Tags", LINKS.tags, rows=rows)
    return Page("tags/index.html", "tags.html", context)


def tag_page(
    config: SiteConfig, tag: TagInfo, count: int, url: str, cards: tuple[EntryCard, ...], pager: Pager | None
) -> Page:
    """One page of the entries with a tag."""
    return _list_page(
        config, url, tag.label, "tag.html", cards, pager, crumbs(("Tags", LINKS.tags)),
        description=tag.description or f"Entries tagged '{tag.label}'.",
        stats=f"{count_label(count, 'entry', 'entries')} tagged '{tag.label}'.", tag=tag,
    )  # fmt: skip


def _list_page(
    config: SiteConfig,
    url: str,
    title: str,
    template: str,
    cards: tuple[EntryCard, ...],
    pager: Pager | None,
    breadcrumbs: tuple[Link, ...],
    **values: object,
) -> Page:
    """A page of a partner's or a tag's entries, by year."""
    output = f"{url}index.html"
    context = page_context(
        config, output, title, url, breadcrumbs, sections=year_sections(cards), pager=pager, **values
    )
    return Page(output, template, context)


def search_page(timeline: Timeline, config: SiteConfig) -> Page:
    filters = filter_options(timeline.entries, tuple(timeline.by_partner), timeline.tags)
    facets = {
        # Pagefind filters by the text shown on entry pages: partner names, tag labels, type labels.
        "partners": tuple(Option(option.label, option.label) for option in filters["partners"]),
        "tags": tuple(Option(option.label, option.label) for option in filters["tags"]),
        "types": tuple(Option(kind.label, kind.label + "s") for kind in EntryKind),
    }
    context = page_context(config, "search/index.html", "Search", LINKS.search, facets=facets,
                           scripts=(f"{LINKS.static}search.js",))  # fmt: skip
    return Page("search/index.html", "search.html", context)


def not_found_page(config: SiteConfig) -> Page:
    # Served for any missing path at any depth, so relative links would break: use the site's own path.
    context = {**page_context(config, "404.html", "Page not found", "404.html"), "root": config.base_path}
    return Page("404.html", "404.html", context)
