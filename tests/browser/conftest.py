"""Browser fixtures: the system Chromium, the built site served over HTTP, console and network logs, axe.

Fixtures for tests in this folder:

- ``site``: the shipped content, built and served on 127.0.0.1; parametrized, so each test runs twice,
  with ids "root" (served at ``http://127.0.0.1:<port>/``) and "subpath" (served only under
  ``http://127.0.0.1:<port>/repo/``, everything else 404s). ``site.url`` is the base URL (ends in "/"),
  ``site.root`` the built folder. ``@pytest.mark.parametrize("site", ["root"], indirect=True)`` picks one.
- ``page_log``: console errors, uncaught page errors, failed requests and every request URL of ``page``.
- ``axe``: ``axe(page)`` runs a full default axe-core check and returns ``.violations`` and ``.report``.

Every test here is marked ``browser``: ``pytest -m "not browser"`` skips them for a quick local run.
"""

from __future__ import annotations

import http.server
import mimetypes
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, Request, Response

from tests.conftest import ROOT, site_config
from timeline.errors import BuildFailed
from timeline.pipeline import build_site

HERE = Path(__file__).resolve().parent
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
HOST = "127.0.0.1"
SUBPATH = "/repo/"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """This hook sees the whole session's items: mark only the ones in this folder."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options plus the system Chromium (CHROMIUM_PATH, else /usr/bin/chromium).

    With TEST_BROWSER=playwright (GitHub's runners, where tests/setup.sh installs Playwright's own
    Chromium because Ubuntu's package is a snap shim), or without either, Playwright's browser is used.
    """
    options = dict(browser_type_launch_args)
    system = str(SYSTEM_CHROMIUM) if SYSTEM_CHROMIUM.exists() else None
    executable = None if os.environ.get("TEST_BROWSER") == "playwright" else os.environ.get("CHROMIUM_PATH") or system
    if executable and "channel" not in options:
        options["executable_path"] = executable
    options["args"] = [*options.get("args", []), *(arg for arg in LAUNCH_ARGS if arg not in options.get("args", []))]
    return options


# --- serving the built site -------------------------------------------------------------------------

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}


def content_type(path: Path) -> str:
    if path.suffix.lower() in CONTENT_TYPES:
        return CONTENT_TYPES[path.suffix.lower()]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def make_handler(site_root: Path, prefix: str) -> type[http.server.BaseHTTPRequestHandler]:
    """A GET/HEAD handler serving site_root under prefix ('/' or '/repo/'), with the site's own 404 page."""

    class SiteHandler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._serve(send_body=True)

        def do_HEAD(self) -> None:
            self._serve(send_body=False)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output clean

        def _serve(self, send_body: bool) -> None:
            url_path = unquote(urlsplit(self.path).path)
            target = self._resolve(url_path)
            if target is not None and target.is_dir():
                if not url_path.endswith("/"):
                    self._send(301, b"", "text/plain", send_body, location=urlsplit(self.path).path + "/")
                    return
                target = target / "index.html"
            if target is not None and target.is_file():
                self._send(200, target.read_bytes(), content_type(target), send_body)
                return
            not_found = site_root / "404.html"
            body = not_found.read_bytes() if not_found.is_file() else b"404 Not Found"
            self._send(404, body, "text/html; charset=utf-8", send_body)

        def _resolve(self, url_path: str) -> Path | None:
            """The file or folder url_path names, or None outside prefix or the site."""
            if not (url_path + "/").startswith(prefix):  # '/repo' itself is redirected to '/repo/'
                return None
            relative = PurePosixPath(url_path[len(prefix) :] if url_path.startswith(prefix) else "")
            if any(part in ("..", ".") or part.startswith(".") for part in relative.parts):
                return None
            candidate = (site_root / relative).resolve()
            root = site_root.resolve()
            return candidate if candidate == root or root in candidate.parents else None

        def _send(self, status: int, body: bytes, kind: str, send_body: bool, location: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            if location:
                self.send_header("Location", location)
            self.end_headers()
            if send_body:
                self.wfile.write(body)

    return SiteHandler


@dataclass(frozen=True)
class ServedSite:
    name: str  # "root" or "subpath"
    url: str  # the site's base URL, ends in "/"
    root: Path  # the built folder

    def page_url(self, path: str = "") -> str:
        """The absolute URL of a path relative to the site, e.g. 'entries/x/'."""
        return self.url + path.lstrip("/")


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a browser closing a connection early is not a test failure


@pytest.fixture(scope="session")
def served_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ServedSite]]:
    """Both ways of serving the shipped content, each on its own server; see the module docstring."""
    sites: dict[str, ServedSite] = {}
    servers: list[_QuietServer] = []
    try:
        for name, prefix in (("root", "/"), ("subpath", SUBPATH)):
            output = tmp_path_factory.mktemp(f"browser-{name}") / "site"
            # Start on port 0 to learn a free port, then build with that address as the base URL.
            server = _QuietServer((HOST, 0), make_handler(output, prefix))
            servers.append(server)
            threading.Thread(target=server.serve_forever, name=f"site-{name}", daemon=True).start()
            url = f"http://{HOST}:{server.server_address[1]}{prefix}"
            try:
                build_site(site_config(ROOT / "content", output, base_url=url))
            except BuildFailed as failure:
                pytest.fail(f"the shipped content does not build for {url}:\n" + "\n".join(map(str, failure.errors)))
            sites[name] = ServedSite(name, url, output)
        yield sites
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="session")
def root_site(served_sites: dict[str, ServedSite]) -> ServedSite:
    """The site at the server's root alone, for checks the address cannot change (accessibility of a page's
    own markup), which would only take twice as long on both."""
    return served_sites["root"]


@pytest.fixture(scope="session", params=["root", "subpath"], ids=["root", "subpath"])
def site(request: pytest.FixtureRequest, served_sites: dict[str, ServedSite]) -> ServedSite:
    return served_sites[request.param]


# --- what the page did --------------------------------------------------------------------------------


@dataclass
class PageLog:
    """Everything worth asserting about one page's run; filled by listeners on the page."""

    console_errors: list[str] = field(default_factory=list)  # console messages of type "error"
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions
    bad_responses: list[str] = field(default_factory=list)  # "404 http://..." for every status >= 400
    failed_requests: list[str] = field(default_factory=list)  # network failures (refused, aborted, ...)
    requests: list[str] = field(default_factory=list)  # every URL requested

    @property
    def errors(self) -> list[str]:
        """Console errors and uncaught page errors, for `assert not page_log.errors`."""
        return self.console_errors + self.page_errors

    def foreign_requests(self, host: str = HOST) -> list[str]:
        """Requests to any host but `host` (data: and blob: URLs are local)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).hostname != host
        ]

    def clear(self) -> None:
        for messages in (
            self.console_errors,
            self.page_errors,
            self.bad_responses,
            self.failed_requests,
            self.requests,
        ):
            messages.clear()


def _console_text(message: ConsoleMessage) -> str:
    location = message.location or {}
    where = location.get("url", "")
    return f"{message.text} ({where}:{location.get('lineNumber', 0)})" if where else message.text


@pytest.fixture
def page_log(page: Page) -> PageLog:
    """Records what `page` logs and requests from now on: console errors, page errors, failing requests."""
    log = PageLog()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            log.console_errors.append(_console_text(message))

    def on_response(response: Response) -> None:
        if response.status >= 400:
            log.bad_responses.append(f"{response.status} {response.url}")

    def on_failed(request: Request) -> None:
        log.failed_requests.append(f"{request.failure} {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.page_errors.append(f"{error.name}: {error.message}"))
    page.on("request", lambda request: log.requests.append(request.url))
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    return log


# --- accessibility ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AxeOutcome:
    violations: list[dict[str, Any]]  # axe's raw violation records: id, impact, help, nodes, ...
    report: str  # readable: rule, impact, help URL and every failing node; use as the assertion message

    @property
    def rules(self) -> list[str]:
        return [violation["id"] for violation in self.violations]


@pytest.fixture(scope="session")
def _axe_engine() -> Axe:
    return Axe()


@pytest.fixture
def axe(_axe_engine: Axe) -> Callable[..., AxeOutcome]:
    """`axe(page)` runs axe-core (bundled, offline) on the loaded page; keyword arguments go to Axe.run."""

    def run(page: Page, **options: Any) -> AxeOutcome:
        results = _axe_engine.run(page, **options)
        violations = list(results.response.get("violations", []))
        summary = results.generate_snapshot() if violations else ""
        report = f"{len(violations)} axe violation(s) on {page.url}:\n{summary}\n{results.generate_report()}"
        return AxeOutcome(violations, report)

    return run


# --- screenshots -------------------------------------------------------------------------------------

SCREENSHOTS = ROOT / "test-results" / "screenshots"


@pytest.fixture
def screenshot_dir() -> Path:
    """ROOT/test-results/screenshots (git-ignored), created on demand."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def wait_until(page: Page, expression: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript expression until it is true. Playwright's wait_for_function evaluates its predicate
    with eval inside the page, which the site's Content-Security-Policy rightly refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)
