"""The list of every HTML page the site has."""

from __future__ import annotations

from timeline.config import SiteConfig
from timeline.entry_page import entry_pages
from timeline.model import Timeline
from timeline.views import (
    Page,
    busiest_partner_year,
    index_pages,
    not_found_page,
    partner_pages,
    partners_index_page,
    search_page,
    tag_pages,
    tags_index_page,
)


def plan_pages(timeline: Timeline, config: SiteConfig) -> list[Page]:
    """Every HTML page of the site, in a stable order."""
    pages = index_pages(timeline, config)
    pages += entry_pages(timeline, config)
    pages.append(partners_index_page(timeline, config))
    scale = busiest_partner_year(timeline)
    for partner, entries in timeline.by_partner.items():
        pages += partner_pages(partner, entries, timeline, config, scale)
    pages.append(tags_index_page(timeline, config))
    for tag, entries in timeline.by_tag.items():
        pages += tag_pages(timeline.tags[tag], entries, timeline, config)
    pages.append(search_page(timeline, config))
    pages.append(not_found_page(config))
    return pages
