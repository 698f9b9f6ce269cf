"""`build.py serve`: live reload on every change, errors shown in the page, the last good site kept."""

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_until
from tests.conftest import FIXTURES, ROOT

ENTRY = "2024/alpha-agreement.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def preview(tmp_path):
    """A running preview server over a copy of the minimal site, with copied templates to break."""
    shutil.copytree(FIXTURES / "minimal" / "content", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    settings = (ROOT / "site.toml").read_text(encoding="utf-8")
    (tmp_path / "site.toml").write_text(settings, encoding="utf-8")
    port = free_port()
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--content", "content", "--out", "site",
               "--templates", "templates", "--config", "site.toml", "--port", str(port),
               "--cache-dir", "cache"]  # fmt: skip
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(command, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                response.read()
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    else:
        process.kill()
        log.close()
        pytest.fail("the preview server did not start: " + (tmp_path / "serve.log").read_text())
    yield url, tmp_path
    process.terminate()
    process.wait(timeout=10)
    log.close()
    print((tmp_path / "serve.log").read_text())  # shown by pytest when the test failed


def wait_for_livereload(page: Page) -> None:
    wait_until(page, "window.LiveReload !== undefined")


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text


def test_the_preview_reloads_on_edit_shows_errors_and_clears_them(page, preview):
    url, folder = preview
    page.goto(url + "entries/alpha-agreement/")
    expect(page.locator("h1")).to_have_text("Alpha agreement signed")
    wait_for_livereload(page)
    original = edit(folder / "content" / ENTRY, "title: Alpha agreement signed", "title: Alpha agreement revised")
    expect(page.locator("h1")).to_have_text("Alpha agreement revised", timeout=10_000)

    wait_for_livereload(page)
    edit(folder / "content" / ENTRY, "date: 2024-02-16", "date: Fberuary 2024")
    overlay = page.locator("#preview-errors")
    expect(overlay).to_be_visible(timeout=10_000)
    expect(overlay).to_contain_text("alpha-agreement.md:3: date 'Fberuary 2024' is not a date we understand")
    expect(page.locator("h1")).to_have_text("Alpha agreement revised")  # the last good build stays served

    wait_for_livereload(page)
    (folder / "content" / ENTRY).write_text(original, encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Alpha agreement signed", timeout=10_000)
    expect(overlay).to_have_count(0)


def test_a_new_file_appears_and_a_broken_template_is_named_with_its_line(page, preview):
    url, folder = preview
    page.goto(url)
    wait_for_livereload(page)
    (folder / "content" / "fresh.md").write_text(
        "---\ntitle: A fresh entry\ndate: 2024-05-01\ncountries: [DK]\ntype: article\n"
        "sources: [https://example.org/x]\n---\nNew text.\n", encoding="utf-8"
    )  # fmt: skip
    expect(page.locator("main")).to_contain_text("A fresh entry", timeout=10_000)
    wait_for_livereload(page)
    edit(folder / "templates" / "index.html", "{% block main %}", "{% block main %}{% if %}")
    expect(page.locator("#preview-errors")).to_contain_text("templates/index.html:", timeout=10_000)
    expect(page.locator("main")).to_contain_text("A fresh entry")


def test_the_preview_serves_nothing_from_outside_the_site(preview):
    url, folder = preview
    (folder / "site" / "leak.txt").symlink_to(folder / "site.toml")  # a link out of the site
    for path in (
        "../site.toml",
        "%2e%2e/site.toml",
        "..%2fsite.toml",
        "entries/../../content/2024/alpha-agreement.md",
        "leak.txt",
    ):
        request = urllib.request.Request(url + path)
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(request, timeout=5)
        raised.value.close()
        assert raised.value.code == 404, path


def test_the_preview_listens_on_loopback_only_by_default(preview):
    url, _ = preview
    port = int(url.rsplit(":", 1)[1].strip("/"))
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                listening.add(address)
    assert listening == {"0100007F"}  # 127.0.0.1, little-endian hex: not 0.0.0.0, not another interface


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read()


def test_large_pages_are_served_whole_and_settings_changes_take_effect(page, preview):
    url, folder = preview
    page.goto(url)
    wait_for_livereload(page)
    paragraph = "A long paragraph about a long agreement. " * 40
    body = "\n\n".join([paragraph] * 80)  # about 130 KB: served in several chunks
    (folder / "content" / "long.md").write_text(
        "---\ntitle: A very long entry\ndate: 2024-06-01\ncountries: [PL]\ntype: article\n"
        f"sources: [https://example.org/long]\n---\n{body}\n", encoding="utf-8"
    )  # fmt: skip
    expect(page.locator("main")).to_contain_text("A very long entry", timeout=10_000)
    served = fetch(url + "entries/long/")
    on_disk = (folder / "site" / "entries" / "long" / "index.html").read_bytes()
    assert len(on_disk) > 100_000 and served.endswith(b"</html>\n")
    injected = re.compile(rb'<script src="/(livereload\.js\?port=\d+|_preview/overlay\.js)" defer></script>')
    assert injected.sub(b"", served) == on_disk
    wait_for_livereload(page)
    edit(folder / "site.toml", 'title = "Ukraine\'s Defence Partnerships"', 'title = "A renamed timeline"')
    expect(page.locator(".site-title")).to_have_text("A renamed timeline", timeout=10_000)


def test_search_in_the_preview_catches_up_with_an_edit(page, preview):
    url, folder = preview
    page.goto(url + "entries/alpha-agreement/")
    wait_for_livereload(page)
    edit(folder / "content" / ENTRY, "More text with", "More text about Zaporizhzhia, with")
    expect(page.locator("main")).to_contain_text("Zaporizhzhia", timeout=10_000)  # the page first
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # then the index, made again in the background
        page.goto(url + "search/?q=Zaporizhzhia")
        expect(page.locator("#search-status")).not_to_have_text("Searching…", timeout=10_000)
        if page.locator("#search-results h2 a").count():
            break
        time.sleep(0.2)
    expect(page.locator("#search-results h2 a").first).to_have_text("Alpha agreement signed")
