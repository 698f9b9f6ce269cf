"""The content that ships in content/ must pass the strictest check and build into a working site."""

import json

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
