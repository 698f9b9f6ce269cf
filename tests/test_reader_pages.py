"""What readers get on each page, checked in the built HTML (the browser tests check the behaviour)."""

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import ROOT, entry_text, site_config, write_files
from timeline.pipeline import build_site
from timeline.views import INDEX_PAGE_SIZE, LIST_PAGE_SIZE

BUDGET = 50 * 1024  # the index page's own HTML, CSS and JS as they travel: compressed, as GitHub Pages serves them
PAGE_LIMIT = 500 * 1024


class _Resources(HTMLParser):
    """Everything a page makes the browser fetch: scripts, stylesheets, icons, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
            self.fetched.append(values.get("href") or "")
        elif tag in ("script", "img", "iframe", "source", "audio", "video") and values.get("src"):
            self.fetched.append(values["src"])


def resources(page: Path) -> list[str]:
    parser = _Resources()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.fetched


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("shipped") / "site"
    build_site(site_config(ROOT / "content", output, base_url="https://example.github.io/repo/"))
    return output


def test_the_index_with_its_css_and_js_stays_within_50_kb_as_served(shipped):
    index = shipped / "index.html"
    files = [index] + [shipped / link.removeprefix("./") for link in resources(index) if not link.endswith(".svg")]
    own = [len(gzip.compress(path.read_bytes(), compresslevel=6)) for path in files]
    assert sum(own) <= BUDGET, f"{sum(own):,} bytes"


def test_no_page_fetches_anything_from_another_host(shipped):
    outside = [f"{page.relative_to(shipped)}: {url}" for page in shipped.rglob("*.html") for url in resources(page)
               if re.match(r"^([a-z]+:)?//", url)]  # fmt: skip
    assert outside == []


def test_the_index_offers_every_partner_tag_type_and_year_as_a_filter(shipped):
    index = (shipped / "index.html").read_text(encoding="utf-8")
    records = json.loads((shipped / "data" / "entries.json").read_text(encoding="utf-8"))
    codes = {code for record in records for code in record["countries"]}
    assert {f'<option value="{code}">' for code in codes} <= set(re.findall(r'<option value="[A-Z0-9]+">', index))
    assert '<option value="note">Analyst notes</option>' in index
    assert index.count("<li data-slug=") == len(records)
    card = re.search(r'<li data-slug="italy-uav-agreement-request"[^>]*>', index).group(0)
    assert 'data-partners="IT"' in card and 'data-tags="uav co-production"' in card and 'data-year="2026"' in card
    assert '<script src="./static/filters.js" defer></script>' in index


def test_entry_pages_have_json_ld_open_graph_a_citation_and_related_entries(shipped):
    page = (shipped / "entries" / "italy-uav-agreement-request" / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
    assert (
        data["@type"] == "NewsArticle"
        and data["headline"] == "Kyiv presses Rome to finish its drone cooperation agreement"
    )
    # Dated "by 3 June 2026": a bound, not a publication day, so neither JSON-LD nor Open Graph gives one.
    assert "datePublished" not in data and data["url"].startswith("https://example.github.io/repo/")
    assert '<meta property="og:type" content="article">' in page
    assert "article:published_time" not in page
    assert '<time datetime="2026-06-03" data-pagefind-meta="date">by 3 June 2026</time>' in page
    assert "“Kyiv presses Rome to finish its drone cooperation agreement”, Ukraine&#39;s Defence Partnerships" in page
    related = re.search(r'<section class="related".*?</section>', page, re.DOTALL).group(0)
    assert 1 <= related.count("<li>") <= 5
    assert "../../entries/leonardo-drone-offer/" in related


def test_a_month_precise_entry_has_no_published_time_in_its_open_graph(shipped):
    page = (shipped / "entries" / "italy-drone-production-pledge" / "index.html").read_text(encoding="utf-8")
    assert "article:published_time" not in page
    assert '"datePublished": "2026-04"' in page


def test_json_ld_cannot_be_broken_out_of(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text(title="'</script><script>alert(1)</script>'")})
    build_site(site_config(content, tmp_path / "site", search=False))
    page = (tmp_path / "site" / "entries" / "a" / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1)
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"


def test_charts_with_text_alternatives_on_the_index_partners_and_partner_pages(shipped):
    for path in ("index.html", "partners/index.html", "partners/it/index.html"):
        page = (shipped / path).read_text(encoding="utf-8")
        assert "<svg" in page and "<title id=" in page and "<desc id=" in page, path
        assert "<table" in page.split('<figure class="chart', 1)[1], path


def generated_content(folder: Path, count: int) -> Path:
    """`count` entries over ten years, spread over a few partners and tags."""
    files = {}
    partners, tags = ["IT", "FR", "PL", "DE", "GB"], ["uav", "training", "funding"]
    for number in range(count):
        year, month, day = 2015 + number % 10, 1 + number % 12, 1 + number % 28
        files[f"e{number:05d}.md"] = entry_text(
            title=f"Entry {number}", date=f"{year}-{month:02d}-{day:02d}",
            countries=f"[{partners[number % 5]}]", tags=f"[{tags[number % 3]}]", summary=f"Summary of entry {number}.",
        )  # fmt: skip
    return write_files(folder, files)


def test_long_timelines_are_paginated_and_no_page_is_too_large(tmp_path):
    count = 2 * INDEX_PAGE_SIZE + 50
    build_site(site_config(generated_content(tmp_path / "content", count), tmp_path / "site", search=False))
    site = tmp_path / "site"
    pages = [site / "index.html", site / "page" / "2" / "index.html", site / "page" / "3" / "index.html"]
    assert all(page.is_file() for page in pages) and not (site / "page" / "4").exists()
    shown = [page.read_text(encoding="utf-8").count("<li data-slug=") for page in pages]
    assert shown == [INDEX_PAGE_SIZE, INDEX_PAGE_SIZE, 50]
    first = pages[0].read_text(encoding="utf-8")
    assert 'href="./page/2/" rel="next"' in first and 'aria-current="page">1<' in first
    assert re.search(r'href="\./(page/\d/)?#y2024"', first)  # the year bar points at the page holding the year
    last_year = (site / "entries" / "e00009" / "index.html").read_text(encoding="utf-8")  # dated 2024
    page_of_2024 = next(number for number, page in enumerate(pages, start=1) if 'id="y2024"' in page.read_text())
    assert f'<a href="../../page/{page_of_2024}/#y2024">2024</a>' in last_year  # the breadcrumb finds it too
    tagged = -(-count // 3)  # entries with the tag 'uav'
    assert tagged > LIST_PAGE_SIZE
    tag_pages = sorted((site / "tags" / "uav").rglob("index.html"))
    assert len(tag_pages) == -(-tagged // LIST_PAGE_SIZE) == 2
    assert (site / "tags" / "uav" / "page" / "2" / "index.html").read_text(encoding="utf-8").count(
        "<li data-slug="
    ) == (tagged - LIST_PAGE_SIZE)
    assert max(path.stat().st_size for path in site.rglob("*.html")) <= PAGE_LIMIT
