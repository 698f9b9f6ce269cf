"""The whole build in one place: discover, parse, validate, model, render, write."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from jinja2 import Environment

from timeline.cache import BuildCache, WrittenSite
from timeline.config import SiteConfig
from timeline.content import SourceFile, discover_files
from timeline.entries import SiteContext, check_links_published, check_unique_slugs, parse_entry
from timeline.errors import BuildFailed, ContentError
from timeline.fingerprint import input_fingerprint, settings_fingerprint
from timeline.lint import duplicate_title_warnings, entry_warnings
from timeline.model import Entry, Timeline
from timeline.output import SiteSummary, SiteWriter, check_output_dir, current_site, mark_site, patch_site, write_site
from timeline.pages import PlannedFile, plan_site
from timeline.render import check_templates, render_files, syntax_problems
from timeline.search import index_site, refresh_index
from timeline.vocabulary import read_vocabulary
from timeline.workers import map_in_workers, shares

_WORTH_PROCESSES = 40  # fewer files are made faster than worker processes start


@dataclass(frozen=True, slots=True)
class BuildReport:
    entries: int  # entries published (drafts only with --drafts)
    pages: int  # HTML pages written
    files: int  # every file written
    warnings: tuple[ContentError, ...]
    seconds: float
    up_to_date: bool = False  # nothing had changed since the last build, so nothing was written
    patched: bool = False  # only the files a change touched were written, into the current site
    search_pending: bool = False  # pages were patched and the search index is not up to date with them


def load_timeline(
    config: SiteConfig,
    cache: BuildCache | None = None,
    jobs: int = 1,
    discovered: tuple[list[Path], list[ContentError]] | None = None,
) -> tuple[Timeline, list[ContentError]]:
    """Read and check every content file; raise BuildFailed listing every error found."""
    paths, found_problems = discovered if discovered is not None else discover_files(config.content_dir)
    problems = list(found_problems)
    cache = cache if cache is not None else BuildCache()
    cache.keep_only(paths)
    sources: dict[str, SourceFile] = {}
    for source, read_problems in cache.read_all(paths, config.content_dir, jobs):
        problems += read_problems
        if source is not None:
            sources[str(source.path)] = source
    vocabulary, vocabulary_problems = read_vocabulary(config.content_dir)
    problems += vocabulary_problems
    names = cache.planned_names(list(sources.values()))
    context = SiteContext(dict(names), vocabulary, config.build_date)
    entries: list[Entry] = []
    for entry, entry_problems in cache.check_all(list(sources.values()), context, _check, jobs):
        problems += entry_problems
        if entry is not None:
            entries.append(entry)
    published = [entry for entry in entries if config.include_drafts or not entry.draft]
    problems += check_unique_slugs(list(sources.values()), [slug for slug, _ in names])
    problems += check_links_published(entries, published) + duplicate_title_warnings(entries, sources)
    errors, warnings = _split_problems(problems, config.strict)
    if errors:
        raise BuildFailed(errors, warnings)
    return Timeline.from_entries(published, vocabulary), warnings


def _check(source: SourceFile, context: SiteContext) -> tuple[Entry | None, list[ContentError]]:
    """One file's entry, its errors and the editorial warnings about it.

    No input may end a build with a traceback: anything unforeseen is an error on that file."""
    try:
        entry, problems = parse_entry(source, context)
    except Exception as error:  # reported to the editor, with the file
        message = f"could not be processed ({type(error).__name__}: {error}); please report this file"
        return None, [ContentError(source.path, 1, message)]
    if entry is None or context.today is None:
        return entry, problems
    return entry, problems + entry_warnings(entry, source, context.today)


def check_site(config: SiteConfig, jobs: int = 1) -> list[ContentError]:
    """Validate the content and the templates' syntax, write nothing; return the warnings."""
    template_errors = check_templates(config.templates_dir)
    try:
        _, warnings = load_timeline(config, jobs=jobs)
    except BuildFailed as failure:
        raise BuildFailed(failure.errors + template_errors, failure.warnings) from None
    if template_errors:
        raise BuildFailed(template_errors, warnings)
    return warnings


def build_site(
    config: SiteConfig,
    progress: Callable[[str], None] = lambda stage: None,
    cache: BuildCache | None = None,
    jobs: int = 1,
    reuse: bool = True,
    remove_old: Callable[[Path], None] | None = None,
    search_later: bool = False,
) -> BuildReport:
    """Build the site into config.output_dir; on any error the previous site is left as it was.

    The work is shared by up to `jobs` processes. With `reuse`, a site already built from the same
    inputs is left as it is, and files whose bytes are unchanged are linked from the current site.
    A `cache` kept between builds (the preview server's) skips reading and checking unchanged files and,
    once it has written the site, makes and replaces only the files a change touched. With `search_later`,
    the search index of a site patched so is left to the caller (see BuildReport.search_pending).
    `remove_old` may take over removing a replaced site (see write_site).
    """
    started = time.perf_counter()
    check_output_dir(config.output_dir, protected=(config.content_dir, config.templates_dir))
    discovered = discover_files(config.content_dir, cache.paths if cache is not None else None)
    if reuse and cache is None and (built := current_site(config.output_dir, input_fingerprint(config, discovered[0]))):
        return BuildReport(built.entries, built.pages, built.files, (), time.perf_counter() - started, True)
    kept = cache is not None
    cache = cache if cache is not None else BuildCache()
    progress("Reading and checking the content")
    timeline, warnings = load_timeline(config, cache, jobs, discovered)
    site = _plan(timeline, warnings, config, cache, discovered[0], jobs)
    previous, cache.written = cache.written, None  # forgotten while the site may be changing
    up_to_date = patched = search_pending = False
    try:
        if reuse and previous and previous.output_dir == site.output_dir and previous.settings == site.settings:
            (written, search_pending), patched = _patch(site, previous, search_later), True
        elif reuse and site.summary.inputs and (built := current_site(config.output_dir, site.summary.inputs)):
            written, up_to_date = built, True  # the preview server starts on a site built from these inputs
        else:
            progress(f"Writing the pages of {len(timeline.entries):,} entries")
            written = _write_whole(site, progress, reuse, remove_old)
    except BuildFailed:
        cache.written = previous  # found while making the files, before any was written: the site is as it was
        raise
    if kept:
        files = {file.output: file for file in site.files}
        cache.written = WrittenSite(site.output_dir, site.settings, site.templates, files, written)
    elapsed = time.perf_counter() - started
    return BuildReport(
        written.entries, written.pages, written.files, tuple(warnings), elapsed, up_to_date, patched, search_pending
    )


@dataclass(frozen=True, slots=True)
class _SitePlan:
    """Every file the site will have and what it is made from, and what making them needs."""

    config: SiteConfig
    output_dir: Path  # resolved
    settings: str  # settings_fingerprint
    templates: dict[str, str]  # template -> digest of it and every template it uses
    files: list[PlannedFile]
    summary: SiteSummary  # for the marker
    environment: Environment
    broken: dict[str, ContentError]  # templates with syntax errors
    warnings: list[ContentError]
    jobs: int


def _plan(
    timeline: Timeline,
    warnings: list[ContentError],
    config: SiteConfig,
    cache: BuildCache,
    content_files: list[Path],
    jobs: int,
) -> _SitePlan:
    inputs = input_fingerprint(config, content_files, cache.digest)
    environment, templates = cache.templates.load(config.templates_dir)
    broken = syntax_problems(environment, config.templates_dir)  # compiles them all once, for every worker
    files = plan_site(timeline, config, _static_files(config), cache.views, jobs)
    pages = sum(1 for file in files if file.output.endswith(".html"))
    summary = SiteSummary(None if warnings else inputs, len(timeline.entries), pages)
    settings = settings_fingerprint(config)
    output_dir = config.output_dir.resolve()
    return _SitePlan(config, output_dir, settings, templates, files, summary, environment, broken, warnings, jobs)


def _write_whole(
    site: _SitePlan, progress: Callable[[str], None], reuse: bool, remove_old: Callable[[Path], None] | None
) -> SiteSummary:
    """Write every file into a new site, which then replaces the old one."""

    def fill(writer: SiteWriter) -> SiteSummary:
        _write_files(site, site.files, writer)
        if site.config.search:
            progress("Indexing for search")
            site.warnings.extend(index_site(writer.staging))
        return site.summary if not site.warnings else replace(site.summary, inputs=None)

    return write_site(site.output_dir, fill, reuse, remove_old)


def _patch(site: _SitePlan, previous: WrittenSite, search_later: bool) -> tuple[SiteSummary, bool]:
    """Make and replace only the files whose template or arguments changed, remove those gone.

    Returns the site's summary and whether its search index still has to be brought up to date.
    """
    changed_templates = {name for name, digest in site.templates.items() if previous.templates.get(name) != digest}
    stale = [file for file in site.files if _changed(file, previous.files.get(file.output), changed_templates)]
    removed = previous.files.keys() - {file.output for file in site.files}
    reindex = site.config.search and any(name.endswith(".html") for name in [*(f.output for f in stale), *removed])

    def fill(writer: SiteWriter) -> SiteSummary:
        _write_files(site, stale, writer)
        return replace(site.summary, inputs=None) if reindex else site.summary  # complete once it is indexed

    written = patch_site(site.output_dir, fill, removed, previous.summary)
    if not reindex or search_later:
        return written, reindex
    site.warnings.extend(refresh_index(site.output_dir))
    return mark_site(site.output_dir, site.summary if not site.warnings else replace(site.summary, inputs=None)), False


def _changed(file: PlannedFile, before: PlannedFile | None, changed_templates: set[str]) -> bool:
    return (
        before is None
        or before.arguments != file.arguments
        or before.template != file.template
        or file.template in changed_templates
    )


def _write_files(site: _SitePlan, files: Sequence[PlannedFile], writer: SiteWriter) -> None:
    """Make, render and write files, in up to site.jobs processes; raise BuildFailed listing every template
    that failed (the broken ones included), each once, at the first page that uses it."""

    def make_and_write(share: Sequence[PlannedFile]) -> dict[str, ContentError]:
        return render_files(share, site.config, site.environment, writer.add, site.broken)

    work = shares(files, site.jobs) if len(files) >= _WORTH_PROCESSES else [files]
    problems = dict(site.broken)
    for share_problems in map_in_workers(make_and_write, work, site.jobs):
        for template, problem in share_problems.items():
            problems.setdefault(template, problem)  # the first page's problem, however the work was shared
    if problems:
        raise BuildFailed(list(problems.values()), site.warnings)


def _static_files(config: SiteConfig) -> dict[str, bytes]:
    """Stylesheets and other assets, copied from templates/static/ to static/."""
    if not config.static_dir.is_dir():
        return {}
    return {
        f"static/{path.relative_to(config.static_dir).as_posix()}": path.read_bytes()
        for path in sorted(config.static_dir.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def _split_problems(problems: list[ContentError], strict: bool) -> tuple[list[ContentError], list[ContentError]]:
    if strict:
        return [problem.as_error() for problem in problems], []
    errors = [problem for problem in problems if not problem.warning]
    return errors, [problem for problem in problems if problem.warning]
