"""The preview's web server: the site with live reload, the errors of the last build shown over every page."""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import ioloop, web
from tornado.httputil import HTTPHeaders, HTTPServerRequest

from timeline.config import SiteConfig
from timeline.errors import BuildFailed, ContentError, UsageError
from timeline.languages import SOURCE_LANGUAGE, interface_languages, words
from timeline.preview.hosts import allowed_hosts, host_allowed, origin_allowed

OVERLAY_SCRIPT = Path(__file__).with_name("overlay.js")
_HEAD_END = b"</head>"
_EMPTY_PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Preview</title></head>'
    b"<body><main><h1>Nothing to show yet</h1><p>The site has not built yet.</p></main></body></html>"
)


@dataclass(frozen=True, slots=True)
class PreviewStatus:
    """What the preview says about its builds; replaced whole, so that a request reads one moment's."""

    errors: tuple[str, ...] = ()  # `path:line: message` lines of the last build; empty when it worked
    rebuilding: str | None = None  # while a rebuild runs, what it is for ("Rebuilding after changes to a.md…")


class PreviewState:
    """Holds the current PreviewStatus: written by the rebuild thread, read by the error endpoint."""

    def __init__(self) -> None:
        self.status = PreviewStatus()


def make_application(site: Path, state: PreviewState, port: int, hosts: frozenset[str]) -> web.Application:
    """Tornado routes: livereload's socket and script, the error endpoints, then the site itself; for the
    host names in `hosts` only."""
    injected = (
        f'<script src="/livereload.js?port={port}" defer></script><script src="/_preview/overlay.js" defer></script>'
    ).encode()

    class InjectScripts(web.OutputTransform):
        def transform_first_chunk(
            self, status_code: int, headers: HTTPHeaders, chunk: bytes, finishing: bool
        ) -> tuple[int, HTTPHeaders, bytes]:
            if "text/html" in headers.get("Content-Type", "") and _HEAD_END in chunk:
                chunk = chunk.replace(_HEAD_END, injected + _HEAD_END, 1)
                if "Content-Length" in headers:  # the whole file's length: large pages come in several chunks
                    headers["Content-Length"] = str(int(headers["Content-Length"]) + len(injected))
            return status_code, headers, chunk

    return _PreviewApplication(
        hosts,
        [
            (r"/livereload", _LiveReloadHandler, {"hosts": hosts}),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r"/_preview/errors\.json", _ErrorsHandler, {"state": state}),
            (r"/_preview/overlay\.js", _OverlayHandler),
            (r"/(.*)", _SiteHandler, {"path": str(site), "default_filename": "index.html"}),
        ],
        transforms=[InjectScripts],
    )


class _PreviewApplication(web.Application):
    """Answers only requests whose Host header names this server: others get 421, whatever they ask for."""

    def __init__(self, hosts: frozenset[str], *arguments: object, **settings: object) -> None:
        super().__init__(*arguments, **settings)  # type: ignore[arg-type]
        self.hosts = hosts

    def find_handler(self, request: HTTPServerRequest, **kwargs: object) -> web._HandlerDelegate:
        if not host_allowed(request.host, self.hosts):
            return self.get_handler_delegate(request, _OtherHostHandler)
        return super().find_handler(request, **kwargs)


class _OtherHostHandler(web.RequestHandler):
    """A request for another host name, as a page that rebinds its own name to this computer sends."""

    def prepare(self) -> None:
        raise web.HTTPError(421)

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(
            "421 Misdirected Request: this preview answers only to localhost, 127.0.0.1, [::1] and the host "
            "given with --host; open it at one of those.\n"
        )


class _LiveReloadHandler(LiveReloadHandler):
    """livereload's socket, for pages of this server only (livereload itself takes any origin)."""

    def initialize(self, hosts: frozenset[str]) -> None:
        self.hosts = hosts

    def check_origin(self, origin: str) -> bool:
        return origin_allowed(origin, self.hosts)


class _ErrorsHandler(web.RequestHandler):
    def initialize(self, state: PreviewState) -> None:
        self.state = state

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        status = self.state.status
        language = self.get_argument("lang", SOURCE_LANGUAGE)
        words = overlay_words(language if language in interface_languages() else SOURCE_LANGUAGE, len(status.errors))
        answer = {"errors": status.errors, "rebuilding": status.rebuilding, "words": words}
        self.write(json.dumps(answer, ensure_ascii=False))


def overlay_words(language: str, count: int) -> dict[str, str]:
    """What the error overlay says around the errors, in the language of the page it is shown on. (The errors
    themselves are in English, as in the terminal; the overlay marks them so.)"""
    _ = words(language)
    return {
        "label": _("Build errors"),
        "title": _.plural(
            "The last change broke the build. This page is the last good version. %(count)s problem:",
            "The last change broke the build. This page is the last good version. %(count)s problems:", count,
        ),
    }  # fmt: skip


class _OverlayHandler(web.RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(OVERLAY_SCRIPT.read_bytes())


class _SiteHandler(web.StaticFileHandler):
    """The built site, never cached (it changes under the reader), with the site's own 404 page."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    def parse_url_path(self, url_path: str) -> str:
        # Hidden files (the site's marker, .nojekyll) are the build's, not the reader's; and a NUL or another
        # control character names no file of the site (the file system would refuse it with an exception).
        if not url_path.isprintable() or any(part.startswith(".") for part in url_path.split("/")):
            raise web.HTTPError(404)
        return super().parse_url_path(url_path)

    @classmethod
    def get_absolute_path(cls, root: str, path: str) -> str:
        try:
            return super().get_absolute_path(root, path)
        except web.HTTPError as error:  # '../' out of the site: say "not found", as for anything else
            raise web.HTTPError(404) from error

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        # Resolve symlinks before the containment check, so a link can never serve a file from outside.
        real_root, real_path = Path(root).resolve(), Path(absolute_path).resolve()
        if not real_path.is_relative_to(real_root):
            raise web.HTTPError(404)
        return super().validate_absolute_path(str(real_root), str(real_path))

    def write_error(self, status_code: int, **kwargs: object) -> None:
        page = Path(self.root) / "404.html"
        self.set_header("Content-Type", "text/html; charset=utf-8")
        if status_code == 404 and page.is_file():
            self.finish(page.read_bytes())
        else:  # no site yet (the first build failed): a page with a <head>, so the error overlay still shows
            self.finish(_EMPTY_PAGE)


def reload_browsers() -> None:
    """Tell every open page to reload (livereload's protocol)."""
    message = json.dumps({"command": "reload", "path": "*", "liveCSS": True, "liveImg": True})
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message(message)
        except Exception:  # a closed tab
            LiveReloadHandler.waiters.discard(waiter)


def watched_paths(config: SiteConfig, config_file: Path) -> list[Path]:
    return [path for path in (config.content_dir, config.templates_dir, config_file) if path.exists()]


def watch_changes(paths: list[Path], on_change: Callable[[set[str]], None], stop: threading.Event) -> None:
    """Call on_change with the changed paths, from file-system events (or polling where there are none)."""
    from watchfiles import watch  # imported here: only the preview server needs it

    for changes in watch(*paths, stop_event=stop, debounce=50, step=20, raise_interrupt=False):
        on_change({path for _, path in changes})


class Rebuilder:
    """Runs builds one at a time in a thread of its own, off the server's event loop: while one runs, the
    server keeps answering with the last good site and says that a rebuild is running. Changes that arrive
    meanwhile are gathered into one more build after it. Reports in the terminal and the page."""

    def __init__(
        self,
        build: Callable[[set[str]], object],
        state: PreviewState,
        report: Callable[[str], None],
        describe: Callable[[ContentError], str] = str,
        notify: Callable[[], None] = reload_browsers,
    ) -> None:
        self.build, self.state, self.report, self.describe = build, state, report, describe
        self.notify = notify  # after each build: on the server's loop, whose sockets are not thread-safe
        self._wanted = threading.Condition()
        self._pending: set[str] | None = None  # changed paths not built yet; None when no build is wanted
        self._stopping = False
        self._thread = threading.Thread(target=self._work, name="rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def request(self, changed: set[str]) -> None:
        """Ask for a build after the files in `changed` changed; returns at once (any thread may call it)."""
        with self._wanted:
            self._pending = (self._pending or set()) | changed
            self._wanted.notify()

    def stop(self) -> None:
        """Let a running build finish (what it has made and cached is then whole), and build no more."""
        with self._wanted:
            self._stopping = True
            self._wanted.notify()
        if self._thread.is_alive():
            if self.state.status.rebuilding:
                self.report("Stopping after the rebuild that is running (Ctrl+C again to stop at once).")
            self._thread.join()

    def _work(self) -> None:
        while True:
            with self._wanted:
                while self._pending is None and not self._stopping:
                    self._wanted.wait()
                if self._stopping:
                    return
                changed, self._pending = self._pending, None
            self(changed)

    def __call__(self, changed: set[str] | None = None) -> None:
        """Build now, in this thread."""
        started = time.perf_counter()
        names = ", ".join(sorted(Path(path).name for path in changed or ()))[:200]
        cause = f" after changes to {names}" if names else ""
        self.state.status = replace(self.state.status, rebuilding=f"Rebuilding{cause}…")
        errors: tuple[str, ...] = ()
        try:
            self.build(changed or set())
        except BuildFailed as failure:
            errors = tuple(self.describe(problem) for problem in failure.errors)
            self.report("\n".join(errors) + f"\n{len(failure.errors)} errors; serving the last good build.")
        except Exception as error:  # a bad site.toml, an unwritable folder: show it, keep serving
            errors = (f"build failed: {error}",)
            self.report(errors[0])
        else:
            if self.state.status.errors:
                self.report("Fixed: the build works again.")
            self.report(f"Rebuilt in {time.perf_counter() - started:.2f} s{cause}.")
        finally:
            self.state.status = PreviewStatus(errors)
        self.notify()


def run_server(
    config: SiteConfig,
    config_file: Path,
    address: tuple[str, int],
    build: Callable[[set[str]], object],
    describe: Callable[[ContentError], str] = str,
) -> int:
    """Build, then serve until interrupted; every change to content, templates or settings rebuilds."""
    host, port = address
    state = PreviewState()
    loop = ioloop.IOLoop.current()
    rebuild = Rebuilder(build, state, _report, describe, notify=lambda: loop.add_callback(reload_browsers))
    rebuild()
    config.output_dir.mkdir(parents=True, exist_ok=True)
    try:
        make_application(config.output_dir, state, port, allowed_hosts(host)).listen(port, address=host)
    except OSError as error:
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}; try another --port") from None
    rebuild.start()
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch_changes, args=(watched_paths(config, config_file), rebuild.request, stop), daemon=True
    )
    watcher.start()
    print(f"Serving {config.output_dir} on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr, flush=True)
    try:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C: the way to stop
            loop.start()
    finally:
        stop.set()
        rebuild.stop()
    print("Stopped.", file=sys.stderr)
    return 0


def _report(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
