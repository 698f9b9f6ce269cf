"""The Atom feed and the sitemap: absolute URLs, RFC 3339 dates, ids that never change."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from heapq import nlargest

from timeline.config import SiteConfig
from timeline.dates import DatePrecision, PartialDate
from timeline.languages import foreign
from timeline.markup import without_remote_images
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
    lang: str = ""  # xml:lang of an entry in another language than the feed's (not translated yet)


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    loc: str  # absolute
    lastmod: str | None  # YYYY-MM-DD when the content says a day
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, absolute URL) of every language's version


def feed_page(timeline: Timeline, config: SiteConfig) -> Page:
    """The latest entries, newest first, in the language of `config`."""
    latest = nlargest(FEED_SIZE, timeline.entries, key=_last_change)  # as sorted(), newest first, [:FEED_SIZE]
    entries = tuple(_feed_entry(entry, config) for entry in latest)
    updated = rfc3339(max((_last_change(entry) for entry in latest), default=_EMPTY_FEED_DATE))
    home = config.base_url + config.prefix
    context = {
        "site": config, "entries": entries, "updated": updated, "feed_url": home + LINKS.feed, "home": home,
        "feed_id": home, "feed_title": config.title, "feed_subtitle": config.description, "page_url": home,
    }  # fmt: skip
    return Page("feed.xml", "feed.xml", context)


def sitemap_page(config: SiteConfig, pages: Sequence[SitemapPage]) -> Page:
    """`pages`: the URL of every page that belongs in the sitemap and its last change, see sitemap_pages. On a
    site in several languages, every language's version is listed, each with all of them as alternates."""
    prefixes = {code: "" if code == config.languages[0] else f"{code}/" for code in config.languages}
    several = len(prefixes) > 1
    urls = []
    for prefix in prefixes.values():
        for url, lastmod in pages:
            alternates: tuple[tuple[str, str], ...] = ()
            if several:
                versions = tuple((code, config.base_url + other + url) for code, other in prefixes.items())
                alternates = (*versions, ("x-default", config.base_url + url))
            urls.append(SitemapUrl(config.base_url + prefix + url, lastmod, alternates))
    return Page("sitemap.xml", "sitemap.xml", {"urls": tuple(urls), "languages": several})


def sitemap_pages(timeline: Timeline, entry_pages: Sequence[SitemapPage]) -> list[SitemapPage]:
    """Every page that belongs in the sitemap, relative to the site root, with the day it last changed if known.
    `entry_pages`: sitemap_entry of every entry, in timeline order."""
    pages: list[SitemapPage] = [("", None), *entry_pages, (LINKS.agreements, None)]
    pages += [(record.agreement.url, None) for record in timeline.agreements.values()]
    pages += [(LINKS.partners, None), *((partner.url, None) for partner in timeline.by_partner)]
    pages += [(LINKS.tags, None), *((tag_url(tag), None) for tag in timeline.by_tag)]
    pages += [(LINKS.data, None), (LINKS.changes, None)]
    return pages


def sitemap_entry(entry: Entry) -> SitemapPage:
    return entry.url, _day_of_last_change(entry)


def entry_id(slug: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, slug)}"


def _feed_entry(entry: Entry, config: SiteConfig) -> FeedEntry:
    return FeedEntry(
        id=entry_id(entry.slug if not config.prefix else config.prefix + entry.slug),  # one id per language
        title=entry.title,
        url=config.base_url + config.prefix + entry.url,
        updated=rfc3339(_last_change(entry)),
        published=rfc3339(entry.date.start) if _exact_day(entry.date) else None,
        summary=entry.summary,
        content_html=without_remote_images(entry.body_html),  # a feed has no security policy to block them
        author=entry.author,
        categories=entry.tags,
        lang=foreign(entry.text_language, config.language),
    )


def _last_change(entry: Entry) -> date:
    return (entry.updated or entry.date).sort_day


def _day_of_last_change(entry: Entry) -> str | None:
    changed = entry.updated or entry.date
    return changed.start.isoformat() if _exact_day(changed) else None


def _exact_day(value: PartialDate) -> bool:
    """A day the sources state as such: never one that is only approximate, uncertain or a bound."""
    return value.precision is DatePrecision.DAY and value.qualifier is None


def rfc3339(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
