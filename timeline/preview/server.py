"""The preview's web server: the site with live reload, the errors of the last build shown over every page."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import ioloop, web
from tornado.httputil import HTTPHeaders

from timeline.config import SiteConfig
from timeline.errors import BuildFailed, ContentError, UsageError
from timeline.languages import SOURCE_LANGUAGE, interface_languages, words

OVERLAY_SCRIPT = Path(__file__).with_name("overlay.js")
_HEAD_END = b"</head>"
_EMPTY_PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Preview</title></head>'
    b"<body><main><h1>Nothing to show yet</h1><p>The site has not built yet.</p></main></body></html>"
)


class PreviewState:
    """What the last build said; read by the error endpoint, written after every build."""

    def __init__(self) -> None:
        self.errors: list[str] = []  # `path:line: message` lines; empty when the last build worked


def make_application(site: Path, state: PreviewState, port: int) -> web.Application:
    """Tornado routes: livereload's socket and script, the error endpoints, then the site itself."""
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

    return web.Application(
        [
            (r"/livereload", LiveReloadHandler),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r"/_preview/errors\.json", _ErrorsHandler, {"state": state}),
            (r"/_preview/overlay\.js", _OverlayHandler),
            (r"/(.*)", _SiteHandler, {"path": str(site), "default_filename": "index.html"}),
        ],
        transforms=[InjectScripts],
    )


class _ErrorsHandler(web.RequestHandler):
    def initialize(self, state: PreviewState) -> None:
        self.state = state

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        language = self.get_argument("lang", SOURCE_LANGUAGE)
        words = overlay_words(
            language if language in interface_languages() else SOURCE_LANGUAGE, len(self.state.errors)
        )
        self.write(json.dumps({"errors": self.state.errors, "words": words}, ensure_ascii=False))


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
    """Runs builds on the server's loop, one at a time, and reports them in the terminal and the page."""

    def __init__(
        self,
        build: Callable[[set[str]], object],
        state: PreviewState,
        report: Callable[[str], None],
        describe: Callable[[ContentError], str] = str,
    ) -> None:
        self.build, self.state, self.report, self.describe = build, state, report, describe

    def __call__(self, changed: set[str] | None = None) -> None:
        started = time.perf_counter()
        try:
            self.build(changed or set())
        except BuildFailed as failure:
            self.state.errors = [self.describe(problem) for problem in failure.errors]
            self.report("\n".join(self.state.errors) + f"\n{len(failure.errors)} errors; serving the last good build.")
        except Exception as error:  # a bad site.toml, an unwritable folder: show it, keep serving
            self.state.errors = [f"build failed: {error}"]
            self.report(self.state.errors[0])
        else:
            if self.state.errors:
                self.report("Fixed: the build works again.")
            self.state.errors = []
            names = ", ".join(sorted(Path(path).name for path in changed or ()))[:200]
            cause = f" after changes to {names}" if names else ""
            self.report(f"Rebuilt in {time.perf_counter() - started:.2f} s{cause}.")
        reload_browsers()


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
    rebuild = Rebuilder(build, state, lambda text: print(text, file=sys.stderr, flush=True), describe)
    rebuild()
    config.output_dir.mkdir(parents=True, exist_ok=True)
    loop = ioloop.IOLoop.current()
    try:
        make_application(config.output_dir, state, port).listen(port, address=host)
    except OSError as error:
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}; try another --port") from None
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch_changes,
        args=(watched_paths(config, config_file), lambda changed: loop.add_callback(rebuild, changed), stop),
        daemon=True,
    )
    watcher.start()
    print(f"Serving {config.output_dir} on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr, flush=True)
    try:
        loop.start()
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    finally:
        stop.set()
    return 0
