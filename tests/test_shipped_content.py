"""The content that ships in content/ must pass the strictest check and build into a working site."""

import csv
import json

import pytest

from tests.conftest import ROOT, run_cli, site_config
from tests.sitecheck import broken_links
from timeline.pipeline import build_site


def test_shipped_content_passes_check_strict():
    result = run_cli("check", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_shipped_content_builds_with_working_links_and_sourced_entries(tmp_path):
    build_site(site_config(ROOT / "content", tmp_path / "site"))
    assert broken_links(tmp_path / "site") == []
    records = json.loads((tmp_path / "site" / "data" / "entries.json").read_text(encoding="utf-8"))
    assert len(records) >= 10
    articles = [record for record in records if record["type"] == "article"]
    assert all(any(source["url"].startswith("https://") for source in record["sources"]) for record in articles)
    italy_request = [record for record in records if record["date"] == "2026-06-03" and record["countries"] == ["IT"]]
    assert len(italy_request) == 1 and "uav" in italy_request[0]["tags"]


FACT_SHEET = ROOT.parent / "shared" / "data" / "partnerships.csv"


def test_every_event_of_the_fact_sheet_is_an_article_with_its_date_partners_tags_and_sources(tmp_path):
    if not FACT_SHEET.is_file():
        pytest.skip("the fact sheet lives beside the project, in shared/data/")
    build_site(site_config(ROOT / "content", tmp_path / "site"))
    records = json.loads((tmp_path / "site" / "data" / "entries.json").read_text(encoding="utf-8"))
    articles = {
        (record["date"], tuple(record["countries"])): record for record in records if record["type"] == "article"
    }
    with FACT_SHEET.open(encoding="utf-8") as sheet:
        rows = list(csv.DictReader(sheet))
    missing = []
    for row in rows:
        article = articles.get((row["date"], tuple(row["countries"].split(";"))))
        if article is None:
            missing.append(f"{row['date']} {row['title']}")
            continue
        assert article["tags"] == row["tags"].split(";"), article["slug"]
        assert [source["url"] for source in article["sources"]] == row["source_url"].split(";"), article["slug"]
    assert missing == []
    assert len(articles) == len(rows) == 79


def test_at_least_ten_analyst_notes_with_authors_that_link_into_the_timeline(tmp_path):
    build_site(site_config(ROOT / "content", tmp_path / "site"))
    records = json.loads((tmp_path / "site" / "data" / "entries.json").read_text(encoding="utf-8"))
    notes = [record for record in records if record["type"] == "note"]
    assert len(notes) >= 10
    assert all(note["author"] for note in notes)
    for note in notes:
        page = (tmp_path / "site" / note["url"] / "index.html").read_text(encoding="utf-8")
        assert page.count('href="../') >= 5, note["slug"]
