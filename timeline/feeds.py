"""The Atom feed and the sitemap: absolute URLs, RFC 3339 dates, ids that never change."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from heapq import nlargest

from timeline.config import SiteConfig
from timeline.dates import DatePrecision
from timeline.model import Entry, Timeline
from timeline.views import LINKS, Page, tag_url

FEED_SIZE = 50
# Entry ids derive from the slug alone, so retitling or moving the site keeps feed readers' state.
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ukraine-partnerships-timeline:entry")
_EMPTY_FEED_DATE = date(2000, 1, 1)
SitemapPage = tuple[str, str | None]  # URL relative to the site root, YYYY-MM-DD of its last change if known


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: str  # urn:uuid:..., from the slug
    title: str
    url: str  # absolute
    updated: str  # RFC 3339; Atom requires one, so a month or year entry gets its period's first day
    published: str | None  # RFC 3339, only for day-precise entries: never an invented day where it is optional
    summary: str
    content_html: str
    author: str | None
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    loc: str  # absolute
    lastmod: str | None  # YYYY-MM-DD when the content says a day


def feed_page(timeline: Timeline, config: SiteConfig) -> Page:
    """The latest entries, newest first."""
    latest = nlargest(FEED_SIZE, timeline.entries, key=_last_change)  # as sorted(), newest first, [:FEED_SIZE]
    entries = tuple(_feed_entry(entry, config) for entry in latest)
    updated = _rfc3339(max((_last_change(entry) for entry in latest), default=_EMPTY_FEED_DATE))
    context = {"site": config, "entries": entries, "updated": updated, "feed_url": config.base_url + "feed.xml"}
    return Page("feed.xml", "feed.xml", context)


def sitemap_page(config: SiteConfig, pages: Sequence[SitemapPage]) -> Page:
    """`pages`: the URL of every page that belongs in the sitemap and its last change, see sitemap_pages."""
    urls = tuple(SitemapUrl(config.base_url + url, lastmod) for url, lastmod in pages)
    return Page("sitemap.xml", "sitemap.xml", {"urls": urls})


def sitemap_pages(timeline: Timeline, entry_pages: Sequence[SitemapPage]) -> list[SitemapPage]:
    """Every page that belongs in the sitemap, relative to the site root, with the day it last changed if known.
    `entry_pages`: sitemap_entry of every entry, in timeline order."""
    pages: list[SitemapPage] = [("", None), *entry_pages, (LINKS.agreements, None)]
    pages += [(record.agreement.url, None) for record in timeline.agreements.values()]
    pages += [(LINKS.partners, None), *((partner.url, None) for partner in timeline.by_partner)]
    pages += [(LINKS.tags, None), *((tag_url(tag), None) for tag in timeline.by_tag)]
    return pages


def sitemap_entry(entry: Entry) -> SitemapPage:
    return entry.url, _day_of_last_change(entry)


def entry_id(slug: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, slug)}"


def _feed_entry(entry: Entry, config: SiteConfig) -> FeedEntry:
    return FeedEntry(
        id=entry_id(entry.slug),
        title=entry.title,
        url=config.base_url + entry.url,
        updated=_rfc3339(_last_change(entry)),
        published=_rfc3339(entry.date.start) if entry.date.precision is DatePrecision.DAY else None,
        summary=entry.summary,
        content_html=entry.body_html,
        author=entry.author,
        categories=entry.tags,
    )


def _last_change(entry: Entry) -> date:
    return (entry.updated or entry.date).start


def _day_of_last_change(entry: Entry) -> str | None:
    changed = entry.updated or entry.date
    return changed.start.isoformat() if changed.precision is DatePrecision.DAY else None


def _rfc3339(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
