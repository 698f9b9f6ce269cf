"""Filters, search and keyboard use in a real browser, from the site root and from a sub-path."""

import csv
import io
import json
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import HOST, SUBPATH, _QuietServer, make_handler
from tests.conftest import FIXTURES, site_config
from timeline.pipeline import build_site


def records(site) -> list[dict]:
    return json.loads((site.root / "data" / "entries.json").read_text(encoding="utf-8"))


def visible_slugs(page: Page) -> list[str]:
    return page.eval_on_selector_all("#timeline li[data-slug]:not([hidden])", "items => items.map(i => i.dataset.slug)")


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_filtering_by_partner_and_tag_updates_the_list_the_count_and_the_url(page, site, page_log):
    expected = [r["slug"] for r in records(site) if "IT" in r["countries"] and "uav" in r["tags"]]
    page.goto(site.url)
    page.select_option("#filter-partner", "IT")
    page.select_option("#filter-tag", "uav")
    assert visible_slugs(page) == expected
    expect(page.locator("#filter-status")).to_have_text(f"{len(expected)} of {len(records(site))} entries shown.")
    assert query(page) == {"partner": ["IT"], "tag": ["uav"]}
    page.reload()  # a shared link restores the same view
    assert visible_slugs(page) == expected
    expect(page.locator("#filter-partner")).to_have_value("IT")
    page.select_option("#filter-type", "note")
    assert query(page)["type"] == ["note"]
    page.go_back()  # the back button steps back through filter changes
    assert query(page) == {"partner": ["IT"], "tag": ["uav"]}
    assert visible_slugs(page) == expected
    assert page_log.errors == []


def test_years_and_type_narrow_the_list_and_empty_sections_disappear(page, site):
    expected = [r["slug"] for r in records(site) if r["type"] == "note" and "2024" <= r["date"][:4] <= "2025"]
    page.goto(site.url + "?type=note&from=2024&to=2025")
    assert visible_slugs(page) == expected
    expect(page.locator("section.year[data-year='2014']")).to_be_hidden()
    expect(page.locator(".year-jump a[href$='#y2014']")).to_be_hidden()
    page.click("button[type=reset]")
    assert len(visible_slugs(page)) == len(records(site))
    assert query(page) == {}


def test_the_download_link_exports_exactly_the_rows_shown(page, site):
    page.goto(site.url + "?partner=IT")
    with page.expect_download() as download:
        page.click("#filter-download")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert [row["slug"] for row in rows] == visible_slugs(page)
    published = {
        row["slug"]: row for row in csv.DictReader(io.StringIO((site.root / "data" / "entries.csv").read_text()))
    }
    assert all(row == published[row["slug"]] for row in rows)


def test_searching_finds_entries_and_a_result_opens_its_page(page, site, page_log):
    page.goto(site.url)
    page.fill("#site-search-input", "Leonardo")
    page.press("#site-search-input", "Enter")
    expect(page.locator("#search-status")).to_contain_text("found for “Leonardo”")
    first = page.locator("#search-results h2 a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    assert "Leonardo" in page.inner_text("main")
    assert page_log.errors == []


def test_search_facets_narrow_the_results_and_live_in_the_url(page, site):
    page.goto(site.url + "search/?q=agreement")
    expect(page.locator("#search-status")).to_contain_text("found")
    unfiltered = page.locator("#search-results li").count()
    page.select_option("#search-partner", "Italy")
    expect(page.locator("#search-status")).to_contain_text("found")
    assert query(page) == {"q": ["agreement"], "partner": ["Italy"]}
    titles = page.locator("#search-results h2 a").all_inner_texts()
    italy = {r["title"] for r in records(site) if "IT" in r["countries"]}
    assert titles and set(titles) <= italy and len(titles) < unfiltered
    page.goto(site.url + "search/?type=Analyst+note")
    expect(page.locator("#search-status")).to_contain_text("found")
    notes = {r["title"] for r in records(site) if r["type"] == "note"}
    assert set(page.locator("#search-results h2 a").all_inner_texts()) <= notes


def test_cite_this_view_cites_the_filtered_address_with_its_filters_in_words(page, site):
    page.goto(site.url)
    citation = page.locator("#view-citation")
    expect(citation).to_contain_text(f"“Timeline”, Ukraine's Defence Partnerships. {site.url} (accessed ")
    page.select_option("#filter-partner", "IT")
    page.select_option("#filter-type", "note")
    expect(citation).to_contain_text("“Timeline, filtered: Partner: Italy; Type: Analyst notes”")
    expect(citation).to_contain_text(f"{site.url}?partner=IT&type=note (accessed ")
    page.goto(site.url + "uk/?partner=IT")  # a shared address, in Ukrainian
    expect(page.locator("#view-citation")).to_contain_text("«Хроніка, з фільтрами: Партнер: Італія»")
    expect(page.locator("#view-citation")).to_contain_text(f"{site.url}uk/?partner=IT (дата звернення: ")


def test_filters_and_search_work_from_the_keyboard_alone(page, site):
    page.goto(site.url)
    page.focus("#filter-partner")
    page.keyboard.press("ArrowDown")  # the first partner after "All partners"
    expect(page.locator("#filter-status")).to_contain_text(" of ")
    page.focus("#site-search-input")
    page.keyboard.type("coalition")
    page.keyboard.press("Enter")
    expect(page.locator("#search-status")).to_contain_text("found")
    page.keyboard.press("Tab")  # from the search box onwards to the results, by Tab alone
    for _ in range(20):
        if page.evaluate("document.activeElement.closest('#search-results') !== null"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#search-results') !== null")
    page.keyboard.press("Enter")
    expect(page.locator("article.entry h1")).to_be_visible()


def test_search_open_with_results_has_no_accessibility_violations(page, site, axe):
    page.goto(site.url + "search/?q=drones&partner=Italy")
    expect(page.locator("#search-status")).to_contain_text("found")
    outcome = axe(page)
    assert outcome.violations == [], outcome.report


def test_dark_mode_pages_have_no_accessibility_violations(page, root_site, axe):
    page.emulate_media(color_scheme="dark")
    for path in ("", "entries/bilateral-security-agreements-2024/", "partners/", "search/?q=training", "agreements/",
                 "agreements/gb-security-agreement-2024/", "changes/", "data/"):  # fmt: skip
        page.goto(root_site.url + path)
        if path.startswith("search"):
            expect(page.locator("#search-status")).to_contain_text("found")
        outcome = axe(page)
        assert outcome.violations == [], f"{path}: {outcome.report}"


@pytest.fixture(scope="module")
def edge_site(tmp_path_factory):
    """The edge-case fixture site (it has an entry in Ukrainian), served under a sub-path."""
    output = tmp_path_factory.mktemp("edge-browser") / "site"
    server = _QuietServer((HOST, 0), make_handler(output, SUBPATH))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://{HOST}:{server.server_address[1]}{SUBPATH}"
    build_site(site_config(FIXTURES / "edge" / "content", output, base_url=url))
    yield url
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("words", ["українською", "українськ", "Текст"])
def test_search_finds_ukrainian_text(page, edge_site, words):
    page.goto(f"{edge_site}search/?q={words}")
    expect(page.locator("#search-status")).to_contain_text("1 entry found")
    expect(page.locator("#search-results h2 a")).to_have_text("Українська дата")


def agreement_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all("tr[data-row]:not([hidden])", "rows => rows.map(row => row.dataset.key)")


def test_the_agreements_table_filters_by_partner_kind_and_status_in_the_address(page, site, page_log):
    agreements = json.loads((site.root / "data" / "agreements.json").read_text(encoding="utf-8"))
    expected = [a["id"] for a in agreements if "GB" in a["countries"] and a["kind"] == "security-agreement"]
    page.goto(site.url + "agreements/")
    page.select_option("#filter-partner", "GB")
    page.select_option("#filter-kind", "security-agreement")
    assert agreement_ids(page) == expected
    expect(page.locator("#filter-status")).to_have_text(f"{len(expected)} of {len(agreements)} agreements shown.")
    assert query(page) == {"partner": ["GB"], "kind": ["security-agreement"]}
    page.reload()
    assert agreement_ids(page) == expected
    page.go_back()
    assert query(page) == {"partner": ["GB"]}
    page.goto(site.url + "agreements/?status=negotiating")
    negotiating = [a["id"] for a in agreements if a["status"] == "negotiating"]
    assert agreement_ids(page) == negotiating and "it-ua-uav-cooperation-agreement" in negotiating
    with page.expect_download() as download:
        page.click("#filter-download")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == negotiating
    assert page_log.errors == []
