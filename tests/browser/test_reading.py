"""A reader's visit in a real browser: the pages load cleanly, are accessible and link up, at / and at /repo/."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_until
from timeline.config import load_config

SITE_TITLE = load_config().title

# The pages a reader meets, relative to the site's base URL.
PAGES = {
    "index": "",
    "entry": "entries/italy-uav-agreement-request/",
    "partner": "partners/it/",
    "tag": "tags/uav/",
    "partners": "partners/",
    "agreements": "agreements/",
    "agreement": "agreements/it-ua-uav-cooperation-agreement/",
    "corrected entry": "entries/us-security-agreement/",
    "changes": "changes/",
    "data": "data/",
}
MISSING = "no-such-page/"  # answered with the site's 404.html and status 404


def visit(page: Page, url: str, status: int = 200, settle: bool = False) -> None:
    """Open url and check its status; settle=True also waits for late requests (network idle for 0.5 s)."""
    response = page.goto(url, wait_until="load")
    assert response is not None, url
    assert response.status == status, f"{url} answered {response.status}"
    if settle:
        page.wait_for_load_state("networkidle")


def test_index_has_title_one_h1_main_and_skip_link(page, site):
    visit(page, site.url)
    assert SITE_TITLE in page.title()
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)

    # The first Tab stop is the skip link, visible once focused.
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_attribute("href", "#main")
    box = skip.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert 0 <= box["x"] < viewport["width"] and 0 <= box["y"] < viewport["height"], f"skip link is off-screen: {box}"

    # Following it puts keyboard focus in main: main itself, or (browsers move the sequential
    # focus starting point to the target) the next Tab stop is inside main.
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    in_main = "() => document.querySelector('main').contains(document.activeElement)"
    if not page.evaluate(in_main):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        assert page.evaluate(in_main), f"after the skip link, Tab focused {focused}, outside main"


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_errors(page, site, page_log, name):
    visit(page, site.url + PAGES[name], settle=True)
    assert not page_log.errors, "\n".join(page_log.errors)
    assert not page_log.bad_responses, "\n".join(page_log.bad_responses)
    assert not page_log.failed_requests, "\n".join(page_log.failed_requests)
    assert not page_log.foreign_requests(), "\n".join(page_log.foreign_requests())


def test_404_page_loads_without_other_errors(page, site, page_log):
    url = site.url + MISSING
    visit(page, url, status=404, settle=True)
    expect(page.locator("h1")).to_have_text("Page not found")
    # Chromium logs the document's own 404 as a console error; that one, and only that one, is expected.
    own = f"Failed to load resource: the server responded with a status of 404 (Not Found) ({url}:0)"
    assert [message for message in page_log.errors if message != own] == [], "\n".join(page_log.errors)
    assert [line for line in page_log.bad_responses if line != f"404 {url}"] == [], "\n".join(page_log.bad_responses)
    assert not page_log.failed_requests, "\n".join(page_log.failed_requests)
    assert not page_log.foreign_requests(), "\n".join(page_log.foreign_requests())
    # Its stylesheet loaded, also under a sub-path: the page is styled, not bare HTML.
    assert page.evaluate("() => document.styleSheets.length") >= 1
    assert page.evaluate("() => [...document.styleSheets].every(sheet => sheet.cssRules.length > 0)")


@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(page, root_site, axe, name):
    visit(page, root_site.url + PAGES[name])
    outcome = axe(page)
    assert outcome.violations == [], outcome.report


def test_next_link_follows_timeline_order(page, site):
    entries = json.loads((site.root / "data" / "entries.json").read_text(encoding="utf-8"))
    slugs = [entry["slug"] for entry in entries]
    current = slugs.index("g7-joint-declaration")
    expected = entries[current + 1]

    visit(page, site.url + "entries/g7-joint-declaration/")
    page.locator('a[rel="next"]').click()
    page.wait_for_load_state("load")
    assert page.url == site.url + f"entries/{expected['slug']}/"
    expect(page.locator("h1")).to_have_text(expected["title"])


@pytest.mark.parametrize("site", ["root"], indirect=True)
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", ["index", "entry"])
def test_screenshots(page, site, screenshot_dir, name, width):
    page.set_viewport_size({"width": width, "height": 800})
    visit(page, site.url + PAGES[name])
    path = screenshot_dir / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    # Nothing is wider than the viewport: no sideways scrolling on a phone.
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} is {scroll_width}px wide at a {width}px viewport"


def test_the_content_security_policy_is_enforced_and_never_violated(page, site, page_log):
    for path in ("", "entries/italy-uav-agreement-request/", "partners/it/", "search/?q=drones&partner=Italy"):
        page.goto(site.url + path)
        if path.startswith("search"):
            wait_until(page, "document.getElementById('search-status').textContent.includes('found')")
    assert page_log.errors == []
    policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; "
                  "document.head.appendChild(s); }")  # fmt: skip
    assert page.evaluate("window.injected") is None  # an inline script is refused ...
    assert any("Content Security Policy" in error for error in page_log.errors)  # ... and it shows
