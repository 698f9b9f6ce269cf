"""The Atom feed and the sitemap: absolute URLs, RFC 3339 dates, ids that never change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from timeline.config import SiteConfig
from timeline.dates import DatePrecision
from timeline.model import Entry, Timeline
from timeline.views import Page, page_urls

FEED_SIZE = 50
# Entry ids derive from the slug alone, so retitling or moving the site keeps feed readers' state.
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ukraine-partnerships-timeline:entry")
_EMPTY_FEED_DATE = date(2000, 1, 1)


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
    latest = sorted(timeline.entries, key=_last_change, reverse=True)[:FEED_SIZE]
    entries = tuple(_feed_entry(entry, config) for entry in latest)
    updated = _rfc3339(max((_last_change(entry) for entry in latest), default=_EMPTY_FEED_DATE))
    context = {"site": config, "entries": entries, "updated": updated, "feed_url": config.base_url + "feed.xml"}
    return Page("feed.xml", "feed.xml", context)


def sitemap_page(timeline: Timeline, config: SiteConfig) -> Page:
    lastmods = {entry.url: _day_of_last_change(entry) for entry in timeline.entries}
    urls = tuple(SitemapUrl(config.base_url + url, lastmods.get(url)) for url in page_urls(timeline))
    return Page("sitemap.xml", "sitemap.xml", {"urls": urls})


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
