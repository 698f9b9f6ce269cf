"""Every page the site has, in groups that can be made and rendered independently (in worker processes)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from timeline.config import SiteConfig
from timeline.entry_page import entry_pages
from timeline.model import Timeline
from timeline.related import RelatedIndex
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
    year_links,
)

PageGroup = Callable[[], list[Page]]
ENTRY_PAGES_PER_GROUP = 250  # enough to outweigh handing a group to a worker, few enough to share out evenly


def page_groups(timeline: Timeline, config: SiteConfig) -> list[PageGroup]:
    """The site's pages, in a stable order, as groups to make; what every group needs is computed once here."""
    related, years, scale = RelatedIndex(timeline), year_links(timeline), busiest_partner_year(timeline)
    groups: list[PageGroup] = [partial(index_pages, timeline, config)]
    for start in range(0, len(timeline.entries), ENTRY_PAGES_PER_GROUP):
        indexes = range(start, min(start + ENTRY_PAGES_PER_GROUP, len(timeline.entries)))
        groups.append(partial(entry_pages, timeline, config, related, years, indexes))
    groups.append(partial(_one, partners_index_page, timeline, config))
    for partner, entries in timeline.by_partner.items():
        groups.append(partial(partner_pages, partner, entries, timeline, config, scale))
    groups.append(partial(_one, tags_index_page, timeline, config))
    for tag, entries in timeline.by_tag.items():
        groups.append(partial(tag_pages, timeline.tags[tag], entries, timeline, config))
    groups.append(partial(_one, search_page, timeline, config))
    groups.append(partial(_one, not_found_page, config))
    return groups


def _one(make: Callable[..., Page], *arguments: object) -> list[Page]:
    return [make(*arguments)]
