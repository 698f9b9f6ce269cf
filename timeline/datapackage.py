"""data/datapackage.json: a Frictionless Data Package that describes the CSV downloads for any tool to read.

It gives each column its type, whether it is required and, for closed sets (kinds, stages, statuses), the
values it may take; the keys of each table; and the foreign keys between them. Frictionless foreign keys
take one value per cell, so the link from entries to the agreements they are steps of (several for some
entries) is also given one row per pair, in data/steps.csv.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from timeline.config import SiteConfig
from timeline.dates import Qualifier
from timeline.export import AGREEMENT_COLUMNS, CSV_COLUMNS, STEP_COLUMNS
from timeline.languages import words
from timeline.model import AgreementKind, EntryKind, Stage
from timeline.rates import EurRates

_SLUG = "[a-z0-9][a-z0-9_-]*"
_LIST_OF_SLUGS = f"({_SLUG}(;{_SLUG})*)?"
_PARTIAL_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"
_EDTF = rf"{_PARTIAL_DATE}[?~]?|\.\./{_PARTIAL_DATE}|{_PARTIAL_DATE}/\.\."
_CODES = r"([A-Z0-9]{2,4}(;[A-Z0-9]{2,4})*)"
_MONEY = r"(\d+(\.\d+)? [A-Z]{3}(;\d+(\.\d+)? [A-Z]{3})*)?"
_LICENSES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution License v1.0", "https://opendatacommons.org/licenses/by/1-0/"),
}


def data_version(config: SiteConfig) -> str:
    """The version of the data downloads: the day they were built, as the data page and its citation give it."""
    return config.build_date.isoformat()


def datapackage_json(config: SiteConfig, rates: EurRates) -> bytes:
    """The descriptor of data/entries.csv, data/agreements.csv and data/steps.csv, in the language of `config`."""
    _ = words(config.language)
    stages = [stage.value for stage in Stage]
    entries = _resource("entries", "entries.csv", _("Every entry of the timeline, in timeline order."), [
        _field("slug", "string", _("The entry's address: entries/<slug>/."), required=True, unique=True, pattern=_SLUG),
        _field("title", "string", _("Its headline."), required=True),
        _field("date", "string", _("The date, cut to its precision: YYYY-MM-DD, YYYY-MM or YYYY."), required=True,
               pattern=_PARTIAL_DATE),
        _field("precision", "string", _("How precise the date is."), required=True, enum=["day", "month", "year"]),
        _field("date_qualifier", "string", _("How sure the date is: empty when the sources state it; approximate, "
               "uncertain, before (on or before) or after (on or after)."),
               enum=[qualifier.value for qualifier in Qualifier]),
        _field("edtf", "string", _("The date in the Extended Date/Time Format (ISO 8601-2): 2026-06-03?, 2026-06~, "
               "../2026-06-03, 2026-05/.."), required=True, pattern=_EDTF),
        _field("countries", "string", _("Ukraine's partners: ISO 3166 codes or EU, NATO, G7, separated by ';'."),
               required=True, pattern=_CODES),
        _field("type", "string", _("An article or an analyst note."), required=True,
               enum=[kind.value for kind in EntryKind]),
        _field("tags", "string", _("Topics, separated by ';'."), pattern=_LIST_OF_SLUGS),
        _field("summary", "string", _("One sentence.")),
        _field("sources", "string", _("Where the facts come from: URLs, separated by ';'.")),
        _field("author", "string", _("The author of an analyst note.")),
        _field("url", "string", _("The entry's page, relative to the site."), required=True),
        _field("agreements", "string", _("The agreements it is a step of: ids, separated by ';' (see steps.csv)."),
               pattern=_LIST_OF_SLUGS),
        _field("stage", "string", _("The step of its agreements it reports."), enum=stages),
        _field("amount", "string", _("Money its sources state: the whole number and the ISO 4217 currency."),
               pattern=r"(\d+(\.\d+)? [A-Z]{3})?"),
    ], primary_key="slug")  # fmt: skip
    agreements = _resource("agreements", "agreements.csv", _("Every agreement, coalition and programme."), [
        _field("id", "string", _("The agreement's address: agreements/<id>/."), required=True, unique=True,
               pattern=_SLUG),
        _field("title", "string", _("Its formal or descriptive name."), required=True),
        _field("kind", "string", _("What it is."), required=True, enum=[kind.value for kind in AgreementKind]),
        _field("countries", "string", _("Ukraine's partners in it, separated by ';'."), required=True, pattern=_CODES),
        _field("status", "string", _("The stage of its latest step."), enum=stages),
        _field("status_date", "string", _("The date of its latest step, cut to its precision."), pattern=_PARTIAL_DATE),
        _field("signed", "string", _("The date of its signed step, cut to its precision."), pattern=_PARTIAL_DATE),
        _field("duration_years", "integer", _("How many years it runs, where a source says."), minimum=1),
        _field("amounts", "string", _("Committed, per currency: the sum of the amounts stated from its signing on."),
               pattern=_MONEY),
        _field("entries", "string", _("The entries that are its steps, separated by ';'."), pattern=_LIST_OF_SLUGS),
        _field("url", "string", _("Its page, relative to the site."), required=True),
    ], primary_key="id")  # fmt: skip
    steps = _resource("steps", "steps.csv", _("Which entry is a step of which agreement: one row per pair."), [
        _field("entry", "string", _("An entry's slug."), required=True, pattern=_SLUG),
        _field("agreement", "string", _("An agreement's id."), required=True, pattern=_SLUG),
        _field("stage", "string", _("The step the entry reports."), required=True, enum=stages),
    ], primary_key=["entry", "agreement"])  # fmt: skip
    steps["schema"]["foreignKeys"] = [
        {"fields": ["entry"], "reference": {"resource": "entries", "fields": ["slug"]}},
        {"fields": ["agreement"], "reference": {"resource": "agreements", "fields": ["id"]}},
    ]
    name, path = _LICENSES.get(config.license, (config.license, f"https://spdx.org/licenses/{config.license}.html"))
    descriptor = {
        "profile": "tabular-data-package",
        "name": "ukraine-defence-partnerships" + (f"-{config.language}" if config.prefix else ""),
        "title": config.title,
        "description": config.description,
        "version": data_version(config),
        "created": f"{config.build_date.isoformat()}T00:00:00Z",
        "homepage": config.base_url + config.prefix,
        "licenses": [{"name": config.license, "title": name, "path": path}],
        "sources": [{"title": config.title, "path": config.base_url + config.prefix}, *_rate_sources(rates)],
        "resources": [entries, agreements, steps],
    }
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _resource(name: str, path: str, description: str, fields: list[dict], primary_key: str | list[str]) -> dict:
    assert [field["name"] for field in fields] == list(_columns(name)), f"{name}.csv's columns and its schema differ"
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, "primaryKey": [primary_key] if isinstance(primary_key, str) else primary_key},
    }


def _columns(name: str) -> Sequence[str]:
    return {"entries": CSV_COLUMNS, "agreements": AGREEMENT_COLUMNS, "steps": STEP_COLUMNS}[name]


def _field(name: str, kind: str, description: str, **constraints: object) -> dict:
    field: dict[str, object] = {"name": name, "type": kind, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _rate_sources(rates: EurRates) -> list[dict[str, str]]:
    """The sources of the euro rates amounts are converted with, once each."""
    seen: dict[str, str] = {}
    for rate in rates.values():
        seen.setdefault(rate.source_url, rate.source_name)
    return [{"title": title, "path": url} for url, title in sorted(seen.items())]
