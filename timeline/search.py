"""The full-text search index: Pagefind, run over the finished site before it is published."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from timeline.errors import BuildFailed, ContentError
from timeline.search_order import make_filters_repeatable

SEARCH_FOLDER = "pagefind"  # inside the site: the index and Pagefind's own script


def index_site(site: Path) -> list[ContentError]:
    """Write the search index into site/pagefind/; raise BuildFailed if Pagefind cannot.

    Returns a warning if the index could not be made repeatable (an unfamiliar Pagefind version).
    """
    # Pagefind's binary comes from the pagefind[bin] wheel; `python -m pagefind` finds it.
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", SEARCH_FOLDER, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildFailed([ContentError(Path("pagefind"), 1, f"search index failed: {error}")]) from None
    if result.returncode != 0:
        detail = " ".join((result.stderr or result.stdout).split())[:500] or f"exit code {result.returncode}"
        hint = "; install it with `pip install 'pagefind[bin]'` or build with --no-search"
        raise BuildFailed([ContentError(Path("pagefind"), 1, f"search index failed: {detail}{hint}")])
    if make_filters_repeatable(site / SEARCH_FOLDER):
        return []
    message = "the search index's filter files were left in Pagefind's own order: builds will differ in them"
    return [ContentError(Path("pagefind"), 1, message, warning=True)]
