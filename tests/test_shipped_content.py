"""The content that ships in content/: it passes the strictest check, builds into a working site, and publishes
every row of the fact sheets, sourced, in words of its own."""

import csv
import json
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
import yaml

from tests.conftest import ROOT, run_cli, site_config
from tests.sitecheck import broken_links
from timeline.amounts import decimal_text, parse_amount
from timeline.pipeline import build_site

DATA = ROOT.parent / "shared" / "data"
SEED = ROOT.parent / "shared" / "seed"
# Outlets that repost others' copy or mirror Wikipedia: an article may cite one only after a primary source.
AGGREGATORS = ("menafn.com", "europesays.com", "wikimili.com", "zazoom.", "pledgetimes.com", "opsintels.com",
               "daytimepost", "eurasiareview.com", "theworldstandard", "analyse.optim.biz", "wikiwand.com",
               "wiki2.org", "dbpedia.org", "everybodywiki", "alchetron.com")  # fmt: skip
# The one article allowed to rest on a repost alone, which its page says (no original was found).
REPOST_ONLY = {"italy-drone-production-pledge"}
# Deliberate departures from the first fact sheet, each explained on the entry's page.
# The seed event is known only from a repost's address dated 3 June 2026: it is dated "by 3 June 2026".
DATES_MENDED = {"italy-uav-agreement-request": "../2026-06-03"}  # compared as EDTF
COUNTRIES_MENDED = {"kiel-tracker-europe-overtakes-us", "operation-interflex"}  # Kiel's "Europe"; Albania in 2025
SOURCES_DROPPED = {  # reposts and mirrors that better sources replace
    "twiki",
    "people.cn",
    "texty.org.ua/tag",
    "wikimili",
    "daytimepost",
}
STAGE_WORDS = {"under-negotiation": "negotiating", "delivered": "delivering"}
UNITS = {"thousand": 3, "million": 6, "billion": 9}


def sheet(name: str) -> list[dict[str, str]]:
    if not (DATA / name).is_file():
        pytest.skip("the fact sheets live beside the project, in shared/data/")
    with (DATA / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    output = tmp_path_factory.mktemp("shipped") / "site"
    build_site(site_config(ROOT / "content", output, search=False))
    return output


@pytest.fixture(scope="module")
def records(built):
    return json.loads((built / "data" / "entries.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def agreements(built):
    return {record["id"]: record for record in json.loads((built / "data" / "agreements.json").read_text())}


def normalized(url: str) -> str:
    """An address as the content writes it: https, percent-encoded, without a stray trailing dot."""
    url = re.sub(r"^http://", "https://", url.strip().rstrip("."))
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def article_for(row: dict[str, str], records: list[dict]) -> dict:
    """The article that publishes a sheet row: the one sharing most of its sources, then its date."""
    wanted = {normalized(url) for url in row.get("source_url", row.get("source_urls", "")).split(";") if url}
    scored = []
    for record in records:
        if record["type"] != "article":
            continue
        shared = len(wanted & {normalized(source["url"]) for source in record["sources"]})
        if shared:
            scored.append((shared, record["date"] == row["date"], record["slug"], record))
    assert scored, f"no article publishes the row {row['date']} {row['title']}"
    return max(scored, key=lambda item: item[:3])[3]


def test_shipped_content_passes_check_strict():
    result = run_cli("check", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_shipped_site_has_working_links_and_every_article_an_https_source(built, records):
    assert broken_links(built) == []
    articles = [record for record in records if record["type"] == "article"]
    assert all(any(source["url"].startswith("https://") for source in record["sources"]) for record in articles)
    assert all(source["url"].startswith("https://") for record in records for source in record["sources"])


def test_every_event_of_the_first_fact_sheet_is_an_article_with_its_facts(records):
    rows = sheet("partnerships.csv")
    published = set()
    for row in rows:
        article = article_for(row, records)
        published.add(article["slug"])
        assert DATES_MENDED.get(article["slug"], row["date"]) == (
            article["edtf"] if article["slug"] in DATES_MENDED else article["date"]
        ), article["slug"]
        if article["slug"] not in COUNTRIES_MENDED:
            assert article["countries"] == row["countries"].split(";"), article["slug"]
        assert article["tags"] == row["tags"].split(";"), article["slug"]
        sources = [normalized(source["url"]) for source in article["sources"]]
        kept = [normalized(url) for url in row["source_url"].split(";") if not any(d in url for d in SOURCES_DROPPED)]
        assert all(url in sources for url in kept), article["slug"]
    assert len(published) == len(rows) == 79


def test_every_new_event_is_an_article_with_its_sources_agreement_and_stage(records):
    for row in sheet("events-new.csv"):
        article = article_for(row, records)
        assert (article["date"], article["countries"]) == (row["date"], row["countries"].split(";")), article["slug"]
        assert article["tags"] == row["tags"].split(";"), article["slug"]
        sources = [normalized(source["url"]) for source in article["sources"]]
        assert all(normalized(url) in sources for url in row["source_url"].split(";")), article["slug"]
        if row["agreement"]:
            assert row["agreement"] in article["agreements"], article["slug"]
        if row["stage"]:
            assert article["stage"] in (STAGE_WORDS.get(row["stage"], row["stage"]), "completed"), article["slug"]


def test_every_agreement_of_the_sheet_is_published_with_its_kind_partners_duration_and_amount(agreements):
    rows = sheet("agreements.csv")
    assert set(agreements) == {row["id"] for row in rows}
    for row in rows:
        record = agreements[row["id"]]
        assert record["kind"] == row["kind"], row["id"]
        assert record["countries"] == [code for code in row["parties"].split(";") if code != "UA"], row["id"]
        assert record["duration_years"] == (int(row["duration_years"]) if row["duration_years"] else None)
        assert record["entries"], row["id"]  # every agreement has at least one step
        if row["amount"]:
            amount = parse_amount({"value": row["amount"], "unit": row["amount_unit"], "currency": row["currency"]})
            stated = {(decimal_text(Decimal(a["value"])), a["currency"]) for a in record["amounts"]}
            assert (decimal_text(amount.total), amount.currency) in stated, row["id"]


def test_better_sources_are_listed_first(records):
    first_sheet = sheet("partnerships.csv")
    for upgrade in sheet("source-upgrades.csv"):
        row = next(
            (row for row in first_sheet if (row["date"], row["title"]) == (upgrade["date"], upgrade["title"])),
            next(row for row in first_sheet if row["date"] == upgrade["date"]),  # a title reworded in the sheet
        )
        article = article_for(row, records)
        sources = [normalized(source["url"]) for source in article["sources"]]
        added = sources.index(normalized(upgrade["add_source_url"]))
        originals = [
            sources.index(normalized(url)) for url in row["source_url"].split(";") if normalized(url) in sources
        ]
        assert all(added < original for original in originals), article["slug"]


def test_no_article_rests_on_aggregators_reposts_or_mirrors(records):
    for record in records:
        if record["type"] != "article" or record["slug"] in REPOST_ONLY:
            continue
        hosts = [source["url"].lower() for source in record["sources"]]
        assert not any(name in hosts[0] for name in AGGREGATORS), record["slug"]  # a primary source comes first
        assert any(not any(name in host for name in AGGREGATORS) for host in hosts), record["slug"]


def words(text: str) -> list[str]:
    """The words of a text, web addresses left out (sources are cited, not written)."""
    return re.findall(r"[\w’']+", re.sub(r"https?://\S+", " ", text.lower()))


def test_no_eight_words_in_a_row_are_copied_from_the_fact_sheets_or_the_seed_article():
    texts = []
    working_notes = {"partnerships.csv": ("summary", "notes"), "events-new.csv": ("summary", "notes"),
                     "agreements.csv": ("notes", "amount_scope"), "source-upgrades.csv": ("why",)}  # fmt: skip
    for name, columns in working_notes.items():
        texts += [row[column] for row in sheet(name) for column in columns]
    texts += [path.read_text(encoding="utf-8") for path in SEED.glob("*.txt")]
    copied = set()
    for text in texts:
        tokens = words(text)
        copied.update(" ".join(tokens[start : start + 8]) for start in range(len(tokens) - 7))
    for path in sorted((ROOT / "content").rglob("*.md")):
        tokens = words(path.read_text(encoding="utf-8"))
        shared = {" ".join(tokens[start : start + 8]) for start in range(len(tokens) - 7)} & copied
        assert not shared, f"{path.relative_to(ROOT)} repeats: {sorted(shared)[:3]}"


def test_at_least_fourteen_analyst_notes_with_authors_that_link_into_the_timeline(built, records):
    notes = [record for record in records if record["type"] == "note"]
    assert len(notes) >= 16  # the first edition's twelve and four on the agreements
    assert all(note["author"] for note in notes)
    for note in notes:
        page = (built / note["url"] / "index.html").read_text(encoding="utf-8")
        assert page.count('href="../') >= 5, note["slug"]


def test_the_seed_story_is_one_agreement_still_not_signed(agreements, records):
    italy = agreements["it-ua-uav-cooperation-agreement"]
    assert italy["signed"] is None and italy["status"] == "negotiating"
    assert italy["entries"] == ["leonardo-drone-offer", "italy-uav-agreement-request"]
    pledge = next(record for record in records if record["slug"] == "italy-drone-production-pledge")
    assert pledge["agreements"] == [] and "repost" in pledge["summary"] + json.dumps(pledge["sources"])


def test_every_entry_note_agreement_and_tag_is_shipped_in_ukrainian(built):
    originals = [path for path in (ROOT / "content").rglob("*.md") if not path.name.endswith(".uk.md")]
    missing = [str(path) for path in originals if not path.with_name(f"{path.stem}.uk.md").is_file()]
    assert missing == []
    assert "0 entries not translated into uk yet." in run_cli("check").stdout  # none is a copy of its original
    vocabulary = yaml.safe_load((ROOT / "content" / "tags.yaml").read_text(encoding="utf-8"))
    assert all(tag["uk"]["label"] and tag["uk"]["description"] for tag in vocabulary.values())
    for name in (
        "uk/entries/italy-security-agreement/index.html",
        "uk/agreements/gb-security-agreement-2024/index.html",
    ):
        assert "badge-language" not in (built / name).read_text(encoding="utf-8")


def test_the_seed_event_is_dated_by_3_june_2026_in_words_and_in_its_data(built, records):
    seed = next(record for record in records if record["slug"] == "italy-uav-agreement-request")
    assert (seed["date"], seed["date_qualifier"], seed["edtf"]) == ("2026-06-03", "before", "../2026-06-03")
    assert "by 3 June 2026" in (built / "entries" / "italy-uav-agreement-request" / "index.html").read_text()
    assert (
        "не пізніше 3 червня 2026"
        in (built / "uk" / "entries" / "italy-uav-agreement-request" / "index.html").read_text()
    )
