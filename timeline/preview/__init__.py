"""The preview server (`build.py serve`): the site served with live reload, rebuilt on every change.

A layer of its own above the build: it calls the build's steps (timeline.pipeline) through `Preview`,
which keeps what they found between rebuilds, and only this package loads tornado and watchfiles.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

from timeline.config import SiteConfig
from timeline.errors import ContentError
from timeline.preview.indexer import BackgroundIndexer
from timeline.preview.rebuild import Preview
from timeline.preview.server import run_server


def serve(
    settings: Callable[[], SiteConfig],
    config_file: Path,
    address: tuple[str, int],
    jobs: int,
    quiet: bool,
    describe: Callable[[ContentError], str] = str,
) -> int:
    """Serve until interrupted; `settings` gives the settings, read anew at every rebuild."""
    indexer = BackgroundIndexer(report=lambda text: print(text, file=sys.stderr, flush=True))
    preview = Preview(settings, jobs, indexer)
    building = threading.Lock()  # held while a rebuild runs, in the server's rebuild thread

    def build(changed: set[str]) -> None:
        with building:
            rebuilt = preview.rebuild(changed)
        if not quiet:
            for problem in sorted(rebuilt.warnings, key=ContentError.sort_key):
                print(describe(problem), file=sys.stderr)

    try:
        return run_server(settings(), config_file, address, build, describe)
    finally:
        if building.acquire(blocking=False):  # not while a rebuild stopped at once is still making it
            preview.save_cache()
