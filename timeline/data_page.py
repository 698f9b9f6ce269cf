"""The data page: every download, its licence and version, and how to cite the data as a whole."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from timeline.citations import CITATION_FILES, Reference, citation_key
from timeline.config import SiteConfig
from timeline.datapackage import data_version
from timeline.dates import DatePrecision, PartialDate
from timeline.entry_page import citation_files
from timeline.languages import words
from timeline.model import Timeline
from timeline.views import LINKS, Asset, Link, Page, crumbs, page_context


@dataclass(frozen=True, slots=True)
class Download:
    """One data file, as the data page lists it."""

    url: str  # relative to the language's root
    format: str  # "CSV", "JSON", "Atom"
    description: str


def dataset_reference(config: SiteConfig) -> Reference:
    """The data downloads as one dataset, in the language of `config`'s pages."""
    _ = words(config.language)
    built = PartialDate(config.build_date, DatePrecision.DAY)
    return Reference(
        key=citation_key("timeline-data", data_version(config)),
        dataset=True, title=_("%(site)s: data", site=config.title), author=None, site=config.title,
        issued=built, issued_words=_.date(built), url=config.base_url + config.prefix + LINKS.data,
        accessed=config.build_date, language=config.language, version=data_version(config),
        abstract=config.description,
    )  # fmt: skip


def data_files(config: SiteConfig) -> tuple[Asset, ...]:
    """The dataset's reference in every format, in data/ beside the downloads."""
    return citation_files(dataset_reference(config), LINKS.data)


def data_page(timeline: Timeline, config: SiteConfig) -> Page:
    _ = words(config.language)
    reference = dataset_reference(config)
    downloads = (
        Download(LINKS.entries_csv, "CSV", _("Every entry: one row each, with its date, partners, tags, sources, "
                                             "agreements and money.")),
        Download(LINKS.entries_json, "JSON", _("The same entries, with sources as titles and addresses.")),
        Download(LINKS.agreements_csv, "CSV", _("Every agreement: partners, kind, status, dates and committed "
                                                "money, in its own currency and in euros.")),
        Download(LINKS.agreements_json, "JSON", _("The same agreements, with each amount and the entry that "
                                                  "reports it.")),
        Download(LINKS.steps_csv, "CSV", _("Which entry is a step of which agreement, and which step.")),
        Download(LINKS.datapackage, "JSON", _("A Frictionless Data Package describing the three CSV files: "
                                              "their columns, types, keys and licence.")),
        Download(LINKS.feed, "Atom", _("The latest entries, for a feed reader.")),
    )  # fmt: skip
    values = {"site": escape(config.title), "title": escape(reference.title), "version": reference.version,
              "date": _.date(reference.issued), "url": escape(reference.url)}  # fmt: skip
    citation = Markup(_("%(site)s, “%(title)s”, version %(version)s, %(date)s. %(url)s", **values))
    context = page_context(
        config, "data/index.html", _("Data downloads"), LINKS.data, crumbs(_),
        downloads=downloads, citation=citation, version=reference.version, licence=config.license,
        entries=_.plural("%(count)s entry", "%(count)s entries", len(timeline.entries)),
        agreements=_.plural("%(count)s agreement", "%(count)s agreements", len(timeline.agreements)),
        citation_files=tuple(Link(name, LINKS.data + file) for name, file in CITATION_FILES),
    )  # fmt: skip
    return Page("data/index.html", "data.html", context)
