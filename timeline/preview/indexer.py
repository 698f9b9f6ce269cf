"""The preview's search index, brought up to date in the background after pages were patched."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from timeline import linux
from timeline.errors import BuildFailed, ContentError
from timeline.search import SEARCH_FOLDER, index_site
from timeline.staging import folder_beside, swap_into_place

_LOWER_PRIORITY = 10  # niceness of background indexing
_OLD_INDEX_GRACE = 2.0  # seconds a replaced index stays on disk


class BackgroundIndexer:
    """Indexes the served site in a thread of its own, so that a patched page shows at once and search
    follows (indexing takes about as long as in a whole build). One run at a time: a request during a run
    makes one more run after it. Pagefind runs at a lower priority, so that rebuilds stay quick, and stops
    if the server does. The new index is made beside the site and swapped in whole.

    Whoever replaces the whole site holds `lock` meanwhile and then calls discard(): an index made from
    the old site must not replace the new site's own.
    """

    def __init__(self, report: Callable[[str], None]) -> None:
        self.lock = threading.Lock()
        self._report = report
        linux.prepare()  # looked up now, not in the Pagefind process (see _in_the_background)
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
                    warnings = index_site(site, into=bundle, before_start=_in_the_background)
                    with self.lock:
                        if generation == self._generation:
                            swap_into_place(bundle, site / SEARCH_FOLDER)
                    # `bundle` now holds the old index: a page that began loading it may still ask for its files.
                    time.sleep(_OLD_INDEX_GRACE)
            except BuildFailed as failure:
                warnings = failure.errors
            except Exception as error:  # the thread must outlive any one run: report it and go on
                warnings = [ContentError(site / SEARCH_FOLDER, 1, f"search index not updated: {error}")]
            for warning in warnings:
                self._report(str(warning))


def _in_the_background() -> None:
    """In the Pagefind process, before it starts: yield the cores to rebuilds, and end with the thread that
    started it (the server's), rather than write into a folder nobody will clean up."""
    os.nice(_LOWER_PRIORITY)
    linux.end_with_parent()
