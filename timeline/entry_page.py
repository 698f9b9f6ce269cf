"""An entry's own page: body, sources, neighbours, related entries, citation and machine-readable data."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from timeline.agreement_pages import Money, StepLink, money, step_links
from timeline.citations import CITATION_FILES, Reference, citation_key, reference_texts
from timeline.config import SiteConfig
from timeline.dates import DatePrecision, PartialDate, Qualifier
from timeline.labels import kind_label
from timeline.languages import foreign, words
from timeline.model import Entry, EntryKind, SourceLink
from timeline.rates import EurRates
from timeline.views import Asset, EntryCard, Link, Page, crumbs, page_context


@dataclass(frozen=True, slots=True)
class RelatedItem:
    title: str
    url: str
    date_label: str
    date_iso: str
    kind_label: str
    lang: str = ""  # the title's language where it is not the page's


@dataclass(frozen=True, slots=True)
class OpenGraph:
    """Open Graph properties, for link previews in social media and chat."""

    type: str
    title: str
    description: str
    url: str
    site_name: str
    published: str | None  # only for day-precise entries
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CorrectionView:
    date_label: str
    date_iso: str
    note: str
    lang: str  # the note's language where it is not the page's


@dataclass(frozen=True, slots=True)
class EntryDetails:
    """What an entry's own page shows of it beyond its card: made once per entry, card and settings."""

    body_html: Markup  # sanitised when it was rendered
    sources: tuple[SourceLink, ...]  # title, url and host, as the page shows them
    author: str | None
    updated: str | None
    updated_iso: str | None
    last_changed: str | None  # the day of the last commit to its file(s), where the content is in git
    last_changed_iso: str | None
    corrections: tuple[CorrectionView, ...]
    citation: Markup  # the title marked with its language where it is not the page's
    citation_files: tuple[Link, ...]  # the same reference as BibTeX, RIS and CSL-JSON, beside the page
    open_graph: OpenGraph
    json_ld: Markup
    steps: tuple[StepLink, ...]  # the agreements it is a step of
    amount: Money | None  # money its sources state


def entry_details(
    entry: Entry,
    card: EntryCard,
    config: SiteConfig,
    agreement_titles: Mapping[str, tuple[str, str]],
    rates: EurRates,
    last_changed: date | None = None,
) -> EntryDetails:
    """`config`: the settings of the page's language; `agreement_titles`: see plan.agreement_titles;
    `last_changed`: the day its file last changed, from the content's history (None without one)."""
    _ = words(config.language)
    url = config.base_url + config.prefix + entry.url
    tag_labels = tuple(tag.label for tag in card.tags)
    published = entry.date.iso if entry.date.precision is DatePrecision.DAY and not entry.date.qualifier else None
    return EntryDetails(
        body_html=Markup(entry.body_html),
        sources=entry.sources,
        author=entry.author,
        updated=_.date(entry.updated) if entry.updated else None,
        updated_iso=entry.updated.iso if entry.updated else None,
        last_changed=_.date(PartialDate(last_changed, DatePrecision.DAY)) if last_changed else None,
        last_changed_iso=last_changed.isoformat() if last_changed else None,
        corrections=tuple(
            CorrectionView(_.date(item.date), item.date.iso, item.note, foreign(item.lang, config.language))
            for item in entry.corrections
        ),
        citation=_citation(entry, config, url),
        citation_files=tuple(Link(name, entry.url + file) for name, file in CITATION_FILES),
        open_graph=OpenGraph(
            "article", entry.title, entry.summary, url, config.title, published, tag_labels
        ),
        json_ld=_json_ld(entry, config, url, tag_labels),
        steps=step_links(entry, agreement_titles, config.language),
        amount=(
            money(entry.amount, entry.date.start.year, rates, config.build_date, config.language)
            if entry.amount else None
        ),
    )  # fmt: skip


def entry_page(
    config: SiteConfig,
    card: EntryCard,
    details: EntryDetails,
    year_url: str,
    previous: Link | None,
    following: Link | None,
    related: tuple[RelatedItem, ...],
) -> Page:
    """An entry's page: `card` is the entry as lists show it (see views.entry_card), `year_url` is where its
    year starts on the timeline, `previous` and `following` link to its neighbours."""
    _ = words(config.language)
    output = f"{card.url}index.html"
    year = Link(str(card.year), year_url)
    context = page_context(
        config, output, card.title, card.url, crumbs(_, (year.label, year.url)), text_language=card.lang,
        description=card.summary or config.description,
        card=card, entry=details, previous=previous, next=following, related=related,
        open_graph=details.open_graph, json_ld=details.json_ld,
    )  # fmt: skip
    return Page(output, "entry.html", context)


def neighbour_link(entry: Entry, language: str = "en") -> Link:
    """How an entry's page links to the one before or after it."""
    _ = words(language)
    return Link(f"{entry.title} ({_.date(entry.date)})", entry.url, lang=_foreign(entry, language))


def related_item(entry: Entry, language: str = "en") -> RelatedItem:
    _ = words(language)
    return RelatedItem(
        entry.title, entry.url, _.date(entry.date), entry.date.iso, kind_label(entry.kind, _), _foreign(entry, language)
    )


def _foreign(entry: Entry, language: str) -> str:
    """The language of the entry's words where it is not `language`."""
    return foreign(entry.text_language, language)


def entry_reference(entry: Entry, config: SiteConfig) -> Reference:
    """The entry as a reference, in the language of `config`'s pages."""
    return Reference(
        key=citation_key(entry.slug, str(entry.date.start.year)), dataset=False, title=entry.title,
        author=entry.author, site=config.title, issued=entry.date, issued_words=words(config.language).date(entry.date),
        url=config.base_url + config.prefix + entry.url, accessed=config.build_date,
        language=entry.text_language or config.language, abstract=entry.summary,
    )  # fmt: skip


def citation_files(reference: Reference, folder: str) -> tuple[Asset, ...]:
    """The reference in every format, as the files beside its page (`folder`, relative to the language's root)."""
    return tuple(Asset(folder + file, text.encode()) for file, text in reference_texts(reference))


def _citation(entry: Entry, config: SiteConfig, url: str) -> Markup:
    """A reference a reader can paste into a report, in a neutral style."""
    _, foreign = words(config.language), _foreign(entry, config.language)
    title = Markup('<span lang="{}">{}</span>').format(foreign, entry.title) if foreign else escape(entry.title)
    values = {"title": title, "site": escape(config.title), "date": _.date(entry.date), "url": escape(url),
              "accessed": _.date(PartialDate(config.build_date, DatePrecision.DAY))}  # fmt: skip
    if entry.author:
        return Markup(_("%(author)s, “%(title)s”, %(site)s, %(date)s. %(url)s (accessed %(accessed)s).",
                        author=escape(entry.author), **values))  # fmt: skip
    return Markup(_("“%(title)s”, %(site)s, %(date)s. %(url)s (accessed %(accessed)s).", **values))


def _json_ld(entry: Entry, config: SiteConfig, url: str, tag_labels: tuple[str, ...]) -> Markup:
    """schema.org Article data, safe inside a <script> data block."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "AnalysisNewsArticle" if entry.kind is EntryKind.NOTE else "NewsArticle",
        "headline": entry.title,
        "description": entry.summary,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": entry.text_language or config.language,
        "about": [partner.name for partner in entry.partners],
        "keywords": list(tag_labels),
        "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url + config.prefix},
        "author": {"@type": "Person" if entry.author else "Organization", "name": entry.author or config.title},
        "citation": [source.url for source in entry.sources],
    }
    if entry.date.qualifier not in (Qualifier.BEFORE, Qualifier.AFTER):  # a bound is no publication date
        data["datePublished"] = entry.date.iso
    if entry.updated:
        data["dateModified"] = entry.updated.iso
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # '<', '>' and '&' as JSON escapes: no text in the data can close the script element.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
