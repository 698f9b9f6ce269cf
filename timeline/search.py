"""The full-text search index: Pagefind, run over a finished site before it is published."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from timeline.errors import BuildFailed, ContentError
from timeline.search_order import make_filters_repeatable

SEARCH_FOLDER = "pagefind"  # inside the site: the index and Pagefind's own script


def index_site(
    site: Path, into: Path | None = None, before_start: Callable[[], None] | None = None
) -> list[ContentError]:
    """Write the search index of `site` into site/pagefind/ (or `into`); raise BuildFailed if Pagefind cannot.

    `before_start` runs in Pagefind's process before it starts (only os calls may be made there). Returns
    a warning if the index could not be made repeatable (an unfamiliar Pagefind version)."""
    bundle = into or site / SEARCH_FOLDER
    # Pagefind's binary comes from the pagefind[bin] wheel; `python -m pagefind` finds it.
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle), "--silent"]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=600, check=False, preexec_fn=before_start
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
