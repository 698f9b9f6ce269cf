"""An entry's own page: body, sources, neighbours, related entries, citation and machine-readable data."""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup

from timeline.config import SiteConfig
from timeline.dates import DatePrecision
from timeline.model import Entry, EntryKind
from timeline.views import EntryCard, Link, Page, page_context


@dataclass(frozen=True, slots=True)
class RelatedItem:
    title: str
    url: str
    date_label: str
    date_iso: str
    kind_label: str


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


def entry_page(
    config: SiteConfig,
    entry: Entry,
    card: EntryCard,
    year: Link,
    previous: Link | None,
    following: Link | None,
    related: tuple[RelatedItem, ...],
) -> Page:
    """An entry's page, from the entry and what it shows of others: `card` is the entry as lists show it
    (see views.entry_card), `year` links to its year on the timeline, `previous` and `following` to its
    neighbours."""
    output = f"{entry.url}index.html"
    url = config.base_url + entry.url
    tag_labels = tuple(tag.label for tag in card.tags)
    context = page_context(
        config, output, entry.title, entry.url,
        description=entry.summary or config.description,
        card=card,
        year=year,
        body_html=Markup(entry.body_html),  # sanitised when it was rendered
        sources=entry.sources,  # SourceLink: title, url and host, as the page shows them
        author=entry.author,
        updated=entry.updated.label if entry.updated else None,
        updated_iso=entry.updated.iso if entry.updated else None,
        previous=previous,
        next=following,
        related=related,
        citation=_citation(entry, config, url),
        open_graph=OpenGraph("article", entry.title, entry.summary, url, config.title,
                             entry.date.iso if entry.date.precision is DatePrecision.DAY else None, tag_labels),
        json_ld=_json_ld(entry, config, url, tag_labels),
    )  # fmt: skip
    return Page(output, "entry.html", context)


def neighbour_link(entry: Entry) -> Link:
    """How an entry's page links to the one before or after it."""
    return Link(f"{entry.title} ({entry.date.label})", entry.url)


def related_item(entry: Entry) -> RelatedItem:
    return RelatedItem(entry.title, entry.url, entry.date.label, entry.date.iso, entry.kind.label)


def _citation(entry: Entry, config: SiteConfig, url: str) -> str:
    """A reference a reader can paste into a report, in a neutral style."""
    author = f"{entry.author}, " if entry.author else ""
    return f"{author}“{entry.title}”, {config.title}, {entry.date.label}. {url}"


def _json_ld(entry: Entry, config: SiteConfig, url: str, tag_labels: tuple[str, ...]) -> Markup:
    """schema.org Article data, safe inside a <script> data block."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "AnalysisNewsArticle" if entry.kind is EntryKind.NOTE else "NewsArticle",
        "headline": entry.title,
        "description": entry.summary,
        "datePublished": entry.date.iso,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": config.language,
        "about": [partner.name for partner in entry.partners],
        "keywords": list(tag_labels),
        "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url},
        "author": {"@type": "Person" if entry.author else "Organization", "name": entry.author or config.title},
        "citation": [source.url for source in entry.sources],
    }
    if entry.updated:
        data["dateModified"] = entry.updated.iso
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # '<', '>' and '&' as JSON escapes: no text in the data can close the script element.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
