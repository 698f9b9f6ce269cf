"""Plan every HTML page: which template, at which path, with which prepared values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import groupby

from timeline.charts import BarChart, activity_strip, partner_year_matrix, year_type_chart
from timeline.citations import view_citation
from timeline.config import SiteConfig
from timeline.dates import DatePrecision
from timeline.labels import in_language_label, kind_label, kinds_label, only_in_note, stage_label
from timeline.languages import OWN_NAMES, Words, foreign, open_graph_locale, words
from timeline.maps import locator_map, partner_maps
from timeline.model import Entry, EntryKind, TagInfo, Timeline
from timeline.partners import Partner
from timeline.script_words import filter_words, search_words

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
    steps_csv: str = "data/steps.csv"
    data: str = "data/"
    changes: str = "changes/"
    changes_feed: str = "changes.xml"
    static: str = "static/"


LINKS = SiteLinks()


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str  # relative to the root of the page's language
    flag: str = ""  # flag emoji for partner links
    current: bool = False  # the page being shown (aria-current)
    lang: str = ""  # the language of the label where it is not the page's (an entry not translated yet)


@dataclass(frozen=True, slots=True)
class LanguageLink:
    """The same page in another of the site's languages, for the switcher and hreflang."""

    code: str  # "uk"
    name: str  # in itself: "Українська"
    url: str  # relative to this page
    absolute: str  # for <link rel="alternate" hreflang>
    current: bool  # this page's own language


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
    lang: str = ""  # the language of its title and summary where it is not the page's: not translated yet
    lang_label: str = ""  # "Англійською": says so, in the page's language


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


def entry_card(entry: Entry, tags: Mapping[str, TagInfo], language: str = "en") -> EntryCard:
    """The entry as lists in `language` show it; `tags` in that language."""
    _ = words(language)
    foreign_words = foreign(entry.text_language, language)
    return EntryCard(
        slug=entry.slug,
        title=entry.title,
        url=entry.url,
        date_label=_.date(entry.date),
        date_iso=entry.date.iso,
        year=entry.date.start.year,
        month=0 if entry.date.precision is DatePrecision.YEAR else entry.date.start.month,
        kind=entry.kind.value,
        kind_label=kind_label(entry.kind, _),
        partners=tuple(Link(partner.name, partner.url, partner.flag) for partner in entry.partners),
        partner_codes=" ".join(partner.code for partner in entry.partners),
        tags=tuple(Link(tags[tag].label, tag_url(tag)) for tag in entry.tags),  # Timeline.tags covers every tag
        tag_slugs=" ".join(entry.tags),
        summary=entry.summary,
        draft=entry.draft,
        stage=stage_label(entry.stage, _) if entry.stage and entry.agreements else "",
        lang=foreign_words,
        lang_label=in_language_label(foreign_words, _) if foreign_words else "",
    )


def year_sections(cards: Iterable[EntryCard], language: str = "en") -> tuple[YearSection, ...]:
    """Entries by year, then by month; entries dated only by year come first in their year."""
    _ = words(language)
    sections = []
    for year, grouped in groupby(cards, key=lambda card: card.year):
        in_year = list(grouped)
        year_only = tuple(card for card in in_year if card.month == 0)
        months = [CardGroup(_("%(year)s, month not given", year=year), f"y{year}-00", year_only)] if year_only else []
        dated = [card for card in in_year if card.month != 0]
        for month, in_month in groupby(dated, key=lambda card: card.month):
            months.append(CardGroup(_.month(date(year, month, 1)), f"y{year}-{month:02d}", tuple(in_month)))
        count = _.plural("%(count)s entry", "%(count)s entries", len(in_year))
        sections.append(YearSection(year, f"y{year}", count, tuple(months)))
    return tuple(sections)


def _sections(_: Words) -> tuple[tuple[str, str], ...]:
    """The site's main sections, in the header of every page: (label, where)."""
    return ((_("Timeline"), LINKS.home), (_("Agreements"), LINKS.agreements), (_("Partners"), LINKS.partners),
            (_("Tags"), LINKS.tags), (_("Data"), LINKS.entries_csv))  # fmt: skip


def page_context(
    config: SiteConfig,
    output: str,
    title: str,
    url: str,
    breadcrumbs: tuple[Link, ...] = (),
    text_language: str = "",
    **values: object,
) -> dict[str, object]:
    """What every page needs: site settings, its own title, the navigation, where the roots are from here, and
    the same page in the site's other languages.

    `output` and `url` are relative to the root of the page's language (config.language); `breadcrumbs`: the
    pages above this one, the timeline first (the page itself is added last); `text_language`: the language of
    the page's own text where it is not the page's (an entry not translated yet)."""
    _ = words(config.language)
    depth = output.count("/")
    root = "../" * depth if depth else "./"
    site_root = root + "../" * config.prefix.count("/") if config.prefix else root
    if output == "404.html":  # served for any missing path at any depth: relative links would break
        site_root = config.base_path
        root = site_root + config.prefix
    foreign_words = foreign(text_language, config.language)
    return {
        "site": config,
        "lang": config.language,
        "links": LINKS,
        "search_filters": SEARCH_FILTERS,
        "nav": tuple(Link(label, where, current=where == url) for label, where in _sections(_)),
        "breadcrumbs": (*breadcrumbs, Link(title, url, current=True, lang=foreign_words)) if breadcrumbs else (),
        "page_title": title,
        "text_lang": foreign_words,
        "text_lang_label": in_language_label(foreign_words, _) if foreign_words else "",
        "document_title": title if title == config.title else f"{title} · {config.title}",
        "root": root,
        "site_root": site_root,
        "canonical_url": config.base_url + config.prefix + url,
        "languages": _language_links(config, url, site_root) if len(config.languages) > 1 else (),
        "language_note": only_in_note(foreign_words, _) if foreign_words else "",
        "content_security_policy": CONTENT_SECURITY_POLICY,
        "description": config.description,
        "scripts": (),
        "script_words": None,
        "locale": open_graph_locale(config.language) if len(config.languages) > 1 else "",
        "alternate_locales": tuple(open_graph_locale(code) for code in config.languages if code != config.language),
        "open_graph": None,
        "json_ld": None,
        **values,
    }


def _language_links(config: SiteConfig, url: str, site_root: str) -> tuple[LanguageLink, ...]:
    links = []
    for code in config.languages:
        prefix = "" if code == config.languages[0] else f"{code}/"
        name, absolute = OWN_NAMES.get(code, code), config.base_url + prefix + url
        links.append(LanguageLink(code, name, site_root + prefix + url, absolute, code == config.language))
    return tuple(links)


def crumbs(_: Words, *levels: tuple[str, str]) -> tuple[Link, ...]:
    """Breadcrumbs from the timeline down to a page's parent: crumbs(_, (_("Partners"), "partners/"))."""
    return (Link(_("Timeline"), LINKS.home), *(Link(label, url) for label, url in levels))


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
    language: str = "en",
) -> TimelineSummary:
    """`entries` in timeline order, `partners` as Timeline.by_partner lists them, `tags` as Timeline.tags,
    `year_links` as year_links() gives them, `agreements` the line about the agreements."""
    _ = words(language)
    years = tuple(Link(str(year), link) for year, link in year_links)
    stats = _(
        "%(entries)s with %(partners)s.",
        entries=_.plural("%(count)s entry", "%(count)s entries", len(entries)),
        partners=_.plural("%(count)s partner", "%(count)s partners", len(partners)),
    )
    chart = year_type_chart(entries, language) if entries else None
    return TimelineSummary(years, filter_options(entries, partners, tags, language), stats, chart, agreements)


def index_page(
    config: SiteConfig, summary: TimelineSummary, url: str, cards: tuple[EntryCard, ...], pager: Pager | None
) -> Page:
    """One page of the timeline: its entries' cards, and the chart on the first page."""
    _ = words(config.language)
    output = f"{url}index.html"
    first = pager is None or pager.current == 1
    title = config.title if first else _("Timeline, page %(number)s", number=pager.current)
    context = page_context(
        config, output, title, url,
        sections=year_sections(cards, config.language), chart=summary.chart if first else None,
        years=summary.years, pager=pager, filters=summary.filters, stats=summary.stats,
        agreements=summary.agreements if first else "",
        view_citation=view_citation(_("Timeline") if first else title, config.title, config.base_url + config.prefix
                                    + url, config.build_date, config.language),
        scripts=(f"{LINKS.static}filters.js",), script_words=filter_words(config.language),
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
    entries: Sequence[Entry], partners: Sequence[Partner], tags: Mapping[str, TagInfo], language: str = "en"
) -> dict[str, tuple[Option, ...]]:
    """The choices of the timeline's filters."""
    _ = words(language)
    years = sorted({entry.date.start.year for entry in entries})
    return {
        "partners": tuple(Option(partner.code, partner.name) for partner in partners),
        "tags": tuple(Option(slug, info.label) for slug, info in sorted(tags.items(), key=_by_label(_))),
        "types": tuple(Option(kind.value, kinds_label(kind, _)) for kind in EntryKind),
        "years": tuple(Option(str(year), str(year)) for year in years),
    }


def _by_label(_: Words) -> Callable[[tuple[str, TagInfo]], object]:
    """Tags in the order of their labels, as the page's language sorts."""
    return lambda item: _.sort_key(item[1].label)


def partners_index_page(timeline: Timeline, config: SiteConfig) -> Page:
    _ = words(config.language)
    rows = tuple(
        IndexRow(Link(partner.name, partner.url, partner.flag), "", len(entries))
        for partner, entries in timeline.by_partner.items()
    )
    matrix = partner_year_matrix(timeline, config.language) if timeline.entries else None
    counts = {partner: len(entries) for partner, entries in timeline.by_partner.items()}
    maps = partner_maps(counts, config.language) if counts else None
    context = page_context(
        config, "partners/index.html", _("Partners"), LINKS.partners, rows=rows, matrix=matrix, maps=maps
    )
    return Page("partners/index.html", "partners.html", context)


def busiest_partner_year(timeline: Timeline) -> int:
    """The most entries any partner has in one year: the shared scale of every partner's activity strip."""
    counts = Counter((partner, entry.date.start.year) for entry in timeline.entries for partner in entry.partners)
    return max(counts.values(), default=1)


def partner_activity(
    partner: Partner, entries: Sequence[Entry], years: Sequence[int], scale_max: int, language: str = "en"
) -> BarChart:
    """`years`: the whole timeline's, so strips line up between pages. One scale for every partner's strip,
    `scale_max` (see busiest_partner_year), so a tall bar means the same on every page."""
    return activity_strip(entries, years, subject=partner.name, scale_max=scale_max, language=language)


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
    _ = words(config.language)
    entries = _.plural("%(count)s entry", "%(count)s entries", count)
    return _list_page(
        config, url, partner.name, "partner.html", cards, pager, crumbs(_, (_("Partners"), LINKS.partners)),
        description=_("Ukraine and %(partner)s: %(entries)s on the timeline.", partner=partner.name, entries=entries),
        stats=_("%(entries)s on Ukraine's partnership with %(partner)s.", entries=entries, partner=partner.name),
        partner=Link(partner.name, partner.url, partner.flag), activity=activity, agreements=agreements,
        locator=locator_map(partner, config.language),
    )  # fmt: skip


def tags_index_page(timeline: Timeline, config: SiteConfig) -> Page:
    _ = words(config.language)
    rows = tuple(
        IndexRow(Link(info.label, tag_url(slug)), info.description, len(timeline.by_tag[slug]))
        for slug, info in sorted(timeline.tags.items(), key=_by_label(_))
    )
    context = page_context(config, "tags/index.html", _("Tags"), LINKS.tags, rows=rows)
    return Page("tags/index.html", "tags.html", context)


def tag_page(
    config: SiteConfig, tag: TagInfo, count: int, url: str, cards: tuple[EntryCard, ...], pager: Pager | None
) -> Page:
    """One page of the entries with a tag."""
    _ = words(config.language)
    return _list_page(
        config, url, tag.label, "tag.html", cards, pager, crumbs(_, (_("Tags"), LINKS.tags)),
        description=tag.description or _("Entries tagged '%(tag)s'.", tag=tag.label),
        stats=_("%(entries)s tagged '%(tag)s'.", entries=_.plural("%(count)s entry", "%(count)s entries", count),
                tag=tag.label),
        tag=tag,
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
    sections = year_sections(cards, config.language)
    context = page_context(config, output, title, url, breadcrumbs, sections=sections, pager=pager, **values)
    return Page(output, template, context)


def search_page(timeline: Timeline, config: SiteConfig) -> Page:
    _ = words(config.language)
    filters = filter_options(timeline.entries, tuple(timeline.by_partner), timeline.tags, config.language)
    facets = {
        # Pagefind filters by the text shown on entry pages: partner names, tag labels, type labels.
        "partners": tuple(Option(option.label, option.label) for option in filters["partners"]),
        "tags": tuple(Option(option.label, option.label) for option in filters["tags"]),
        "types": tuple(Option(kind_label(kind, _), kinds_label(kind, _)) for kind in EntryKind),
    }
    context = page_context(
        config, "search/index.html", _("Search"), LINKS.search, facets=facets,
        scripts=(f"{LINKS.static}search.js",), script_words=search_words(config.language),
    )  # fmt: skip
    return Page("search/index.html", "search.html", context)


def not_found_page(config: SiteConfig) -> Page:
    _ = words(config.language)
    return Page("404.html", "404.html", page_context(config, "404.html", _("Page not found"), "404.html"))
