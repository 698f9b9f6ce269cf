"""Citations as researchers import them: each entry's BibTeX, RIS and CSL-JSON beside its page, read back by the
tools reference managers use; the dataset's citation with its version; "Cite this view"; CITATION.cff."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
import yaml
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from tests.conftest import ROOT, entry_text, site_config, write_files
from timeline.pipeline import build_site

BUILT_ON = date(2026, 11, 30)
BASE = "https://example.org/timeline/"
ENTRIES = {
    "day.md": entry_text(title="Italy & Ukraine sign {a} 100% deal", date="2024-02-24", author="Olena Petrenko"),
    "month.md": entry_text(title="A month-precise entry", date="2024-06"),
    "about.md": entry_text(title="An approximate one", date='"about June 2026"'),
    "by.md": entry_text(title="Reported by a day", date='"by 3 June 2026"'),
    "year.md": entry_text(title="A year only", date="2023"),
    "by.uk.md": "---\ntitle: Повідомлення не пізніше певного дня\n---\nТекст українською.\n",
    "agreements/deal.md": "---\ntitle: A drone deal\nkind: co-production\ncountries: [IT]\n---\nSee [[day]].\n",
}

# The part of the CSL-JSON schema (citation-style-language/schema, csl-data.json) that these items use: the
# types and the shape of names and dates, so that a reference manager reads every field.
CSL_DATE = {
    "type": "object",
    "properties": {
        "date-parts": {"type": "array", "minItems": 1, "maxItems": 2,
                       "items": {"type": "array", "minItems": 1, "maxItems": 3,
                                 "items": {"type": ["string", "number"]}}},
        "season": {"type": ["string", "number"]}, "circa": {"type": ["string", "number", "boolean"]},
        "literal": {"type": "string"}, "raw": {"type": "string"},
    },
    "additionalProperties": False,
}  # fmt: skip
CSL_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "type"],
        "properties": {
            "id": {"type": ["string", "number"]},
            "type": {"enum": ["webpage", "dataset", "article-newspaper", "post-weblog"]},
            "title": {"type": "string"}, "container-title": {"type": "string"}, "publisher": {"type": "string"},
            "URL": {"type": "string", "pattern": "^https?://"}, "language": {"type": "string"},
            "note": {"type": "string"}, "abstract": {"type": "string"}, "version": {"type": "string"},
            "author": {"type": "array", "items": {"type": "object", "properties": {
                "family": {"type": "string"}, "given": {"type": "string"}, "literal": {"type": "string"}},
                "additionalProperties": False}},
            "issued": CSL_DATE, "accessed": CSL_DATE,
        },
        "additionalProperties": False,
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("citations")
    content = write_files(folder / "content", ENTRIES)
    config = site_config(content, folder / "site", base_url=BASE, search=False)
    build_site(replace(config, build_date=BUILT_ON))
    return folder / "site"


def bib(site: Path, slug: str, prefix: str = "") -> dict[str, str]:
    library = bibtexparser.parse_string((site / prefix / "entries" / slug / "cite.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    (record,) = library.entries
    return {"@type": record.entry_type, "@key": record.key, **{field.key: field.value for field in record.fields}}


def ris(site: Path, slug: str) -> dict:
    (record,) = rispy.loads((site / "entries" / slug / "cite.ris").read_text(encoding="utf-8"))
    return record


def csl(site: Path, slug: str, prefix: str = "") -> dict:
    items = json.loads((site / prefix / "entries" / slug / "cite.json").read_text(encoding="utf-8"))
    jsonschema.validate(items, CSL_SCHEMA)
    (item,) = items
    return item


def test_bibtex_gives_title_author_date_at_its_precision_url_and_access_date(site):
    day = bib(site, "day")
    assert day["@type"] == "online" and day["@key"] == "day-2024"
    # Braced twice so that styles keep its capitals; escaped so that LaTeX and the parser agree.
    assert day["title"] == r"{Italy \& Ukraine sign \{a\} 100\% deal}"
    assert (day["author"], day["year"], day["month"], day["date"]) == ("Olena Petrenko", "2024", "2", "2024-02-24")
    assert day["url"] == BASE + "entries/day/" and day["urldate"] == "2026-11-30"
    month = bib(site, "month")
    assert (month["year"], month["month"], month["date"]) == ("2024", "6", "2024-06")
    year = bib(site, "year")
    assert (year["year"], year["date"]) == ("2023", "2023") and "month" not in year
    about = bib(site, "about")
    assert about["date"] == "2026-06~" and about["note"] == "about June 2026"
    by = bib(site, "by")  # no year or day it could be mistaken for: the bound, in EDTF and in words
    assert by["date"] == "../2026-06-03" and by["note"] == "by 3 June 2026" and "year" not in by


def test_ris_gives_the_same_reference(site):
    day = ris(site, "day")
    assert day["type_of_reference"] == "ELEC"
    assert day["title"] == "Italy & Ukraine sign {a} 100% deal" and day["authors"] == ["Olena Petrenko"]
    assert (day["year"], day["date"], day["urls"]) == ("2024", "2024/02/24/", [BASE + "entries/day/"])
    assert day["access_date"] == "2026/11/30"
    assert ris(site, "month")["date"] == "2024/06//"
    assert ris(site, "year")["date"] == "2023///"
    by = ris(site, "by")
    assert "year" not in by and "date" not in by and by["notes"] == ["by 3 June 2026"]


def test_csl_json_is_valid_and_citeproc_formats_it(site):
    day = csl(site, "day")
    assert day["type"] == "webpage" and day["title"] == "Italy & Ukraine sign {a} 100% deal"
    assert day["issued"] == {"date-parts": [[2024, 2, 24]]} and day["accessed"] == {"date-parts": [[2026, 11, 30]]}
    assert day["URL"] == BASE + "entries/day/" and day["author"] == [{"literal": "Olena Petrenko"}]
    assert csl(site, "month")["issued"] == {"date-parts": [[2024, 6]]}
    assert csl(site, "about")["issued"] == {"date-parts": [[2026, 6]], "circa": True}
    assert csl(site, "by")["issued"] == {"literal": "by 3 June 2026", "raw": "../2026-06-03"}
    # A citation processor makes a reference of it, with the access date.
    style_path = Path(importlib.util.find_spec("citeproc").origin).parent / "data/styles/harvard-cite-them-right.csl"
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(str(style_path)), CiteProcJSON([day]), formatter.plain
    )
    bibliography.register(Citation([CitationItem("day-2024")]))
    (text,) = (str(item) for item in bibliography.bibliography())
    assert "Petrenko" in text and "2024" in text and BASE + "entries/day/" in text and "2026" in text


def test_the_entry_page_links_the_three_files_and_gives_the_access_date(site):
    page = (site / "entries" / "day" / "index.html").read_text(encoding="utf-8")
    cite = page.split('<section class="cite"', 1)[1].split("</section>", 1)[0]
    assert "(accessed 30 November 2026)" in cite
    for name, file in (("BibTeX", "cite.bib"), ("RIS", "cite.ris"), ("CSL-JSON", "cite.json")):
        assert f'<a href="../../entries/day/{file}" download>{name}</a>' in cite


def test_the_ukrainian_pages_cite_in_ukrainian(site):
    record = bib(site, "by", "uk/")
    assert record["langid"] == "ukrainian" and record["note"] == "не пізніше 3 червня 2026"
    assert record["url"] == BASE + "uk/entries/by/" and record["title"] == "{Повідомлення не пізніше певного дня}"
    assert csl(site, "by", "uk/")["issued"]["literal"] == "не пізніше 3 червня 2026"
    page = (site / "uk" / "entries" / "day" / "index.html").read_text(encoding="utf-8")
    assert "дата звернення: 30 листопада 2026" in page


def test_the_data_page_cites_the_dataset_with_its_version(site):
    page = (site / "data" / "index.html").read_text(encoding="utf-8")
    assert "version 2026-11-30" in page and f"{BASE}data/" in page
    library = bibtexparser.parse_string((site / "data" / "cite.bib").read_text(encoding="utf-8"))
    (record,) = library.entries
    fields = {field.key: field.value for field in record.fields}
    assert record.entry_type == "dataset" and fields["version"] == "2026-11-30" and fields["url"] == BASE + "data/"
    (item,) = json.loads((site / "data" / "cite.json").read_text(encoding="utf-8"))
    assert item["type"] == "dataset" and item["version"] == "2026-11-30"
    package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "2026-11-30"
    # Every page's footer leads to it.
    assert 'href="../data/"' in (site / "tags" / "index.html").read_text(encoding="utf-8")


def test_cite_this_view_is_on_the_filtered_lists(site):
    for path, title in (("index.html", "Timeline"), ("agreements/index.html", "Agreements")):
        page = (site / path).read_text(encoding="utf-8")
        assert f'id="view-citation" data-title="{title}"' in page
        assert f"“{title}”, Ukraine&#39;s Defence Partnerships. {BASE}" in page


def test_citation_cff_is_valid_against_the_citation_file_format_schema():
    """GitHub shows CITATION.cff as "Cite this repository" only when it is valid CFF 1.2.0."""
    package = Path(importlib.util.find_spec("cffconvert").submodule_search_locations[0])
    schema = json.loads((package / "schemas" / "1.2.0" / "schema.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(citation)
    settings = (ROOT / "site.toml").read_text(encoding="utf-8")
    assert f'title = "{citation["title"]}"' in settings and f'license = "{citation["license"]}"' in settings
