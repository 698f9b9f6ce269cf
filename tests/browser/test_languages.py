"""The Ukrainian site in a real browser: the switcher keeps the reader on the same page, search finds Ukrainian
words, filters count in Ukrainian, and every kind of page is accessible in light and dark."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT

ENTRY = "entries/italy-security-agreement/"
UKRAINIAN_TITLE = re.search(
    r'^title: "(.+)"$', (ROOT / "content" / "2024" / "italy-security-agreement.uk.md").read_text(encoding="utf-8"), re.M
).group(1)  # fmt: skip


def test_the_language_switcher_lands_on_the_same_entry(page, site, page_log):
    page.goto(site.url + ENTRY)
    english_title = page.locator("h1").inner_text()
    page.locator(".language-switcher a[hreflang=uk]").click()
    expect(page).to_have_url(site.url + "uk/" + ENTRY)
    assert page.evaluate("document.documentElement.lang") == "uk"
    expect(page.locator("h1")).to_have_text(UKRAINIAN_TITLE)
    expect(page.locator("nav[aria-label=Сайт] a").first).to_have_text("Хроніка")
    page.locator(".language-switcher a[hreflang=en]").click()
    expect(page).to_have_url(site.url + ENTRY)
    expect(page.locator("h1")).to_have_text(english_title)
    assert not page_log.errors, "\n".join(page_log.errors)


@pytest.mark.parametrize("site", ["subpath"], indirect=True)
def test_searching_in_ukrainian_finds_ukrainian_pages_and_inflected_forms(page, site, page_log):
    for words in ("безпекову угоду", "угод"):  # a phrase as written, and the start shared by угода, угоди, угоду
        page.goto(f"{site.url}uk/search/?q={words}")
        expect(page.locator("#search-status")).to_contain_text("знайдено")
        links = page.locator("#search-results h2 a")
        expect(links.first).to_be_visible()
        assert all("/repo/uk/" in href for href in links.evaluate_all("links => links.map(a => a.href)"))
    expect(page.locator("label[for=search-partner]")).to_have_text("Партнер")
    page.select_option("#search-partner", "Італія")
    expect(page.locator("#search-status")).to_contain_text("знайдено")
    assert "partner=%D0%86%D1%82%D0%B0%D0%BB%D1%96%D1%8F" in page.url
    for title in page.locator("#search-results h2 a").all_inner_texts():
        assert re.search("[А-ЯҐЄІЇа-яґєії]", title), title  # the Ukrainian pages, not the English ones
    assert not page_log.errors, "\n".join(page_log.errors)


def test_the_ukrainian_timeline_filters_and_counts_in_ukrainian(page, site):
    page.goto(site.url + "uk/")
    page.select_option("#filter-partner", "IT")
    expect(page.locator("#filter-status")).to_have_text(re.compile(r"^Показано \d+ з \d+ записів\.$"))
    expect(page.locator("#filter-download")).to_contain_text("CSV")
    assert page.locator("#filter-download").evaluate("a => a.href").endswith("/uk/data/entries.csv")


UKRAINIAN_PAGES = ["uk/", "uk/" + ENTRY, "uk/partners/", "uk/partners/it/", "uk/tags/uav/", "uk/agreements/",
                   "uk/agreements/gb-security-agreement-2024/", "uk/search/?q=дрони", "uk/changes/", "uk/data/",
                   "uk/entries/us-security-agreement/"]  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_ukrainian_pages_have_no_accessibility_violations(page, root_site, axe, scheme):
    page.emulate_media(color_scheme=scheme)
    for path in UKRAINIAN_PAGES:
        page.goto(root_site.url + path)
        if "search" in path:
            expect(page.locator("#search-results h2 a").first).to_be_visible()
        outcome = axe(page)
        assert outcome.violations == [], f"{path} ({scheme}): {outcome.report}"
