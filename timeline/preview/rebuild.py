"""The preview's rebuild: the build's own steps, with what they found kept between rebuilds.

A rebuild re-reads only the files that changed, finds every entry it checked before in its cache, plans
the whole site again (quickly: what derives from one entry is kept too), and compares what every file is
made from with what the served site's files were made from. Only the files that differ are rendered, and
they replace their old versions in the served site; the search index follows in the background. The
result is byte for byte what a one-off build would write.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from timeline.cache import Cache
from timeline.config import SiteConfig
from timeline.content import RawFile, discover_paths, read_file
from timeline.errors import ContentError
from timeline.fingerprint import input_fingerprint, program_fingerprint
from timeline.history import NO_HISTORY, read_history
from timeline.localize import localized_timelines
from timeline.marker import SiteSummary, count_files, current_site, intact_site
from timeline.pipeline import (
    Content,
    check_content,
    made_before,
    protected_inputs,
    read_static,
    remember_pages,
    render_site,
    template_links,
    write_within_limit,
)
from timeline.plan import plan_site
from timeline.preview.indexer import BackgroundIndexer
from timeline.preview.patch import patch_site
from timeline.rates import read_rates
from timeline.render import Templates, load_templates, made_from, read_templates, render_files
from timeline.staging import SiteWriter, check_output_dir
from timeline.views import SiteFile
from timeline.vocabulary import read_vocabulary


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What one rebuild did, for the terminal."""

    entries: int
    warnings: tuple[ContentError, ...]
    files_written: int  # files rendered and put into the site (0: it was up to date)
    seconds: float


@dataclass(frozen=True, slots=True)
class _Served:
    """The site being served: where, and what each of its files was made from."""

    output_dir: Path  # resolved
    made: Mapping[str, bytes]  # a file made from something else since (a failed patch) is made again anyway
    summary: SiteSummary | None  # as its marker has it; None after a failed patch: count the files again


class Preview:
    """Builds the site again and again into one folder, keeping in memory what it read, checked and made."""

    def __init__(self, settings: Callable[[], SiteConfig], jobs: int, indexer: BackgroundIndexer | None) -> None:
        self._settings = settings  # read anew at every rebuild: site.toml may have changed, and so may "today"
        self._jobs = jobs
        self._indexer = indexer
        self._cache: Cache | None = None
        self._files: dict[str, tuple[tuple[int, int, int], RawFile]] = {}  # by path: (mtime, size, inode), read
        self._served: _Served | None = None

    def rebuild(self, changed: set[str] = frozenset()) -> Rebuilt:  # type: ignore[assignment]
        """Build again after the files in `changed` (paths, as the watcher gives them) changed."""
        started = time.perf_counter()
        config = self._settings()
        check_output_dir(config.output_dir, protected=protected_inputs(config))
        cache = self._open_cache(config)
        cache.next_build()
        content = self._read_content(config, changed)
        templates: Templates = cache.memo(load_templates, config.templates_dir, read_templates(config.templates_dir))
        published, warnings = check_content(content, templates, config, cache, self._jobs)
        entries = published.timeline.entries
        timelines = localized_timelines(published, config.languages, cache.memo)
        files = plan_site(timelines, config, read_static(config), cache.memo, self._jobs)
        made = {file.output: made_from(file, templates, cache.digests) for file in files}
        inputs = input_fingerprint(config, content.files, content.history.key)
        remember_pages(cache, inputs, made)
        pages = sum(1 for name in made if name.endswith(".html"))
        summary = SiteSummary(inputs, len(entries), pages, warnings=len(warnings))
        served = self._served or self._site_on_disk(config, cache)
        if served is not None and served.output_dir == config.output_dir.resolve():
            try:
                written, summary = self._patch(config, files, templates, made, served, summary)
            except BaseException:
                self._served = replace(served, summary=None)  # some files may have been replaced already
                raise
        else:
            written, summary = self._write_whole(config, files, templates, cache, summary)
        self._served = _Served(config.output_dir.resolve(), made, summary)
        # What the cache holds would otherwise be walked by the collector again and again, making each
        # rebuild wait for it; frozen, objects are still freed once nothing refers to them.
        gc.freeze()
        return Rebuilt(len(entries), tuple(warnings), written, time.perf_counter() - started)

    def save_cache(self) -> None:
        """Keep what the preview found on disk too, for the next build or preview."""
        if self._cache is not None:
            self._cache.save()

    def _open_cache(self, config: SiteConfig) -> Cache:
        if self._cache is None:
            self._cache = Cache(config.cache_dir, program_fingerprint())
        return self._cache

    def _read_content(self, config: SiteConfig, changed: set[str]) -> Content:
        """As pipeline.read_content, re-reading only files whose size, time or inode changed, or that the
        watcher saw change (whatever their timestamps say)."""
        paths, problems = discover_paths(config.content_dir)
        kept, files = self._files, []
        self._files = {}
        for path in paths:
            try:
                status = os.stat(path)
                stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
            except OSError:
                stamp = (-1, -1, -1)
            previous = kept.get(path)
            if previous is not None and previous[0] == stamp and path not in changed:
                raw: RawFile | None = previous[1]
            else:
                raw, read_problems = read_file(Path(path), config.content_dir)
                problems += read_problems
            if raw is not None:
                self._files[path] = (stamp, raw)
                files.append(raw)
        vocabulary, vocabulary_problems = read_vocabulary(config.content_dir)
        rates, rate_problems = read_rates(config.content_dir)
        problems += vocabulary_problems + rate_problems + template_links(config)
        history = read_history(config.content_dir) if config.history else NO_HISTORY
        return Content(tuple(files), vocabulary, rates, tuple(problems), history)

    def _site_on_disk(self, config: SiteConfig, cache: Cache) -> _Served | None:
        """The site a build left in the output folder, if it is intact and the cache knows its files."""
        made = made_before(cache, config.output_dir)
        summary = intact_site(config.output_dir)
        return None if made is None or summary is None else _Served(config.output_dir.resolve(), made, summary)

    def _patch(
        self,
        config: SiteConfig,
        files: list[SiteFile],
        templates: Templates,
        made: Mapping[str, bytes],
        served: _Served,
        summary: SiteSummary,
    ) -> tuple[int, SiteSummary]:
        """Render only the files whose digest changed and put them into the served site."""
        stale = [file for file in files if served.made.get(file.output) != made[file.output]]
        removed = served.made.keys() - made.keys()
        if not stale and not removed and (kept := current_site(config.output_dir, summary.inputs or "")):
            return 0, kept
        reindex = config.search and any(name.endswith(".html") for name in [*(f.output for f in stale), *removed])
        files_before, size_before = (
            (served.summary.files, served.summary.size) if served.summary else count_files(config.output_dir)
        )
        # Counted from the site as it was; while its search index is behind, the site is not complete.
        marked = replace(summary, inputs=None if reindex else summary.inputs, files=files_before, size=size_before)

        def fill(writer: SiteWriter) -> None:
            _render_or_fail(stale, templates, writer)

        recorded = patch_site(config.output_dir, fill, removed, marked)
        if reindex and self._indexer is not None:
            self._indexer.request(config.output_dir.resolve())
        return len(stale), recorded

    def _write_whole(
        self, config: SiteConfig, files: list[SiteFile], templates: Templates, cache: Cache, summary: SiteSummary
    ) -> tuple[int, SiteSummary]:
        """Write a whole new site, with its search index, and swap it in (the first rebuild, or a new folder)."""
        if built := current_site(config.output_dir, summary.inputs or ""):
            return 0, built  # a build left exactly this site

        def fill(writer: SiteWriter) -> SiteSummary:
            render_site(files, templates, writer, None, None, self._jobs)
            if config.search:
                from timeline.search import index_site

                index_site(writer.staging)
            return summary

        lock = self._indexer.lock if self._indexer is not None else threading.Lock()
        with lock:
            recorded = write_within_limit(config, fill, reuse=True)
            if self._indexer is not None:
                self._indexer.discard()  # the whole site was written, with its own search index
        cache.save()
        return len(files), recorded


def _render_or_fail(files: list[SiteFile], templates: Templates, writer: SiteWriter) -> None:
    from timeline.errors import BuildFailed

    problems = render_files(files, templates, writer.add)
    if problems:
        raise BuildFailed(list(problems.values()))
