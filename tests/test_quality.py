"""Quality gates over a full build of the shipped content, as it is deployed: under a sub-path."""

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from tests.conftest import ROOT, site_config, tree_snapshot
from tests.sitecheck import broken_links, parse_page
from timeline.pipeline import build_site

BASE_URL = "https://example.github.io/repo/"
VNU = ROOT / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("deployed") / "site"
    build_site(site_config(ROOT / "content", output, base_url=BASE_URL, strict=True))
    return output


def test_every_internal_link_and_asset_resolves_under_the_sub_path(deployed):
    assert broken_links(deployed, base_path="/repo/") == []


def test_no_link_points_at_localhost_or_a_file_path(deployed):
    bad = re.compile(r"^(file:|/home/|/root/|/tmp/|/work/|[a-z]:\\)|//(localhost|127\.0\.0\.1)\b", re.IGNORECASE)
    found = [
        f"{page.relative_to(deployed)}: {link}"
        for page in deployed.rglob("*.html")
        for link in parse_page(page).links
        if bad.search(link)
    ]
    assert found == []
    assert "127.0.0.1" not in (deployed / "feed.xml").read_text() + (deployed / "sitemap.xml").read_text()


def test_every_page_is_valid_html5(deployed):
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "gnu", str(deployed)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[:4000]


def test_every_stylesheet_is_valid_css(deployed):
    sheets = sorted(str(path) for path in (deployed / "static").glob("*.css"))
    result = subprocess.run(["java", "-jar", str(VNU), "--css", "--errors-only", *sheets],
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr[:4000]


def test_the_validator_would_catch_invalid_html(tmp_path):
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p>")
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", str(tmp_path / "bad.html")],
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode != 0


def test_the_feed_is_atom_1_0_with_every_required_element(deployed):
    text = (deployed / "feed.xml").read_text(encoding="utf-8")
    parsed = feedparser.parse(text)
    assert not parsed.bozo and parsed.version == "atom10"
    feed = ET.fromstring(text)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(BASE_URL)
        assert entry.find(f"{ATOM}content") is not None
    for element in feed.iter():
        if element.tag in (f"{ATOM}updated", f"{ATOM}published"):
            assert RFC3339.fullmatch(element.text), element.text
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == len(ids)


def test_the_sitemap_follows_the_protocol(deployed):
    root = ET.fromstring((deployed / "sitemap.xml").read_text(encoding="utf-8"))
    assert root.tag == f"{SITEMAP}urlset"
    urls = root.findall(f"{SITEMAP}url")
    assert 0 < len(urls) <= 50_000
    pages = {page.relative_to(deployed).as_posix().removesuffix("index.html") for page in deployed.rglob("index.html")}
    for url in urls:
        location = url.find(f"{SITEMAP}loc").text
        assert location.startswith(BASE_URL) and len(location) <= 2048
        assert location.removeprefix(BASE_URL) in pages
        lastmod = url.find(f"{SITEMAP}lastmod")
        assert lastmod is None or re.fullmatch(r"\d{4}-\d\d-\d\d", lastmod.text)
    assert len({url.find(f"{SITEMAP}loc").text for url in urls}) == len(urls)


def test_two_builds_of_the_shipped_content_are_byte_identical(deployed, tmp_path):
    build_site(site_config(ROOT / "content", tmp_path / "again", base_url=BASE_URL))
    assert tree_snapshot(tmp_path / "again") == tree_snapshot(deployed)
