"""The full-text search index: Pagefind, run over the finished site before it is published, or, in the
preview server, over the published site in the background after a change."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from timeline.errors import BuildFailed, ContentError
from timeline.output import folder_beside, libc, swap_into_place
from timeline.search_order import make_filters_repeatable

SEARCH_FOLDER = "pagefind"  # inside the site: the index and Pagefind's own script
_LOWER_PRIORITY = 10  # niceness of background indexing
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def index_site(site: Path) -> list[ContentError]:
    """Write the search index into site/pagefind/; raise BuildFailed if Pagefind cannot.

    Returns a warning if the index could not be made repeatable (an unfamiliar Pagefind version).
    """
    return _index(site, site / SEARCH_FOLDER)


def refresh_index(site: Path) -> list[ContentError]:
    """Index a published site again: the new index is made beside it, then takes the old one's place in one step,
    so search keeps working meanwhile. As index_site otherwise."""
    with folder_beside(site) as bundle:
        warnings = _index(site, bundle)
        swap_into_place(bundle, site / SEARCH_FOLDER)
    return warnings


class BackgroundIndexer:
    """Brings the preview server's search index up to date in a thread of its own, so that a patched page
    shows at once and search follows (indexing takes about as long as in a whole build). One run at a
    time: a request during a run makes one more run after it. Pagefind runs at a lower priority, so that
    rebuilds stay quick, and stops if the server does.

    Whoever replaces the whole site holds `lock` meanwhile and then calls discard(): an index made from
    the old site must not replace the new site's own.
    """

    def __init__(self, report: Callable[[str], None]) -> None:
        self.lock = threading.Lock()
        self._report = report
        libc()  # looked up now, not in the Pagefind process (see _in_the_background)
        self._wanted = threading.Condition()
        self._site: Path | None = None
        self._generation = 0  # how many times the whole site was replaced
        threading.Thread(target=self._work, daemon=True).start()

    def request(self, site: Path) -> None:
        with self._wanted:
            self._site = site
            self._wanted.notify()

    def discard(self) -> None:
        """The whole site was replaced, with a fresh index: forget any run asked for or under way."""
        with self._wanted:
            self._generation += 1
            self._site = None

    def _work(self) -> None:
        while True:
            with self._wanted:
                while self._site is None:
                    self._wanted.wait()
                site, generation, self._site = self._site, self._generation, None
            try:
                with folder_beside(site) as bundle:
                    warnings = _index(site, bundle, background=True)
                    with self.lock:
                        if generation == self._generation:
                            swap_into_place(bundle, site / SEARCH_FOLDER)
            except BuildFailed as failure:
                warnings = failure.errors
            except Exception as error:  # the thread must outlive any one run: report it and go on
                warnings = [ContentError(site / SEARCH_FOLDER, 1, f"search index not updated: {error}")]
            for warning in warnings:
                self._report(str(warning))


def _index(site: Path, bundle: Path, background: bool = False) -> list[ContentError]:
    # Pagefind's binary comes from the pagefind[bin] wheel; `python -m pagefind` finds it.
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle), "--silent"]
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            preexec_fn=_in_the_background if background else None,  # only os calls in it
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildFailed([ContentError(Path("pagefind"), 1, f"search index failed: {error}")]) from None
    if result.returncode != 0:
        detail = " ".join((result.stderr or result.stdout).split())[:500] or f"exit code {result.returncode}"
        hint = "; install it with `pip install 'pagefind[bin]'` or build with --no-search"
        raise BuildFailed([ContentError(Path("pagefind"), 1, f"search index failed: {detail}{hint}")])
    if make_filters_repeatable(bundle):
        return []
    message = "the search index's filter files were left in Pagefind's own order: builds will differ in them"
    return [ContentError(Path("pagefind"), 1, message, warning=True)]


def _in_the_background() -> None:
    """In the Pagefind process, before it starts: yield the cores to rebuilds, and end with the thread that
    started it (the server's), rather than write into a folder nobody will clean up."""
    os.nice(_LOWER_PRIORITY)
    prctl = getattr(libc(), "prctl", None)  # looked up before: nothing may start a program here
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
