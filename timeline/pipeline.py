"""The whole build in one place: discover, parse, validate, model, render, write."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from timeline.cache import BuildCache
from timeline.config import SiteConfig
from timeline.content import SourceFile, discover_files
from timeline.entries import SiteContext, check_links_published, check_unique_slugs, link_titles, parse_entry
from timeline.errors import BuildFailed, ContentError
from timeline.export import entries_csv, entries_json
from timeline.feeds import feed_page, sitemap_page
from timeline.fingerprint import input_fingerprint
from timeline.lint import editorial_warnings
from timeline.model import Entry, Timeline
from timeline.output import SiteSummary, SiteWriter, check_output_dir, current_site, write_site
from timeline.pages import PageGroup, page_groups
from timeline.render import check_templates, make_environment, render_pages, syntax_problems
from timeline.search import index_site
from timeline.vocabulary import read_vocabulary
from timeline.workers import map_in_workers, shares


@dataclass(frozen=True, slots=True)
class BuildReport:
    entries: int  # entries published (drafts only with --drafts)
    pages: int  # HTML pages written
    files: int  # every file written
    warnings: tuple[ContentError, ...]
    seconds: float
    up_to_date: bool = False  # nothing had changed since the last build, so nothing was written


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
    context = SiteContext(link_titles(sources.values()), vocabulary)
    entries: list[Entry] = []
    for entry, entry_problems in cache.check_all(list(sources.values()), context, _parse_guarded, jobs):
        problems += entry_problems
        if entry is not None:
            entries.append(entry)
    published = [entry for entry in entries if config.include_drafts or not entry.draft]
    problems += check_unique_slugs(sources.values()) + check_links_published(entries, published)
    problems += editorial_warnings(entries, sources, config.build_date)
    errors, warnings = _split_problems(problems, config.strict)
    if errors:
        raise BuildFailed(errors, warnings)
    return Timeline.from_entries(published, vocabulary), warnings


def _parse_guarded(source: SourceFile, context: SiteContext) -> tuple[Entry | None, list[ContentError]]:
    """No input may end a build with a traceback: anything unforeseen is an error on that file."""
    try:
        return parse_entry(source, context)
    except Exception as error:  # reported to the editor, with the file
        message = f"could not be processed ({type(error).__name__}: {error}); please report this file"
        return None, [ContentError(source.path, 1, message)]


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
) -> BuildReport:
    """Build the site into config.output_dir; on any error the previous site is left as it was.

    The work is shared by up to `jobs` processes. With `reuse`, a site already built from the same
    inputs is left as it is, and files whose bytes are unchanged are linked from the current site.
    A `cache` (the preview server keeps one between rebuilds) skips reading and checking unchanged files,
    and `remove_old` may take over removing the replaced site (see write_site).
    """
    started = time.perf_counter()
    check_output_dir(config.output_dir, protected=(config.content_dir, config.templates_dir))
    discovered = discover_files(config.content_dir)
    inputs = input_fingerprint(config, discovered[0], cache.digest if cache is not None else lambda path: None)
    if reuse and (built := current_site(config.output_dir, inputs)) is not None:
        return BuildReport(built.entries, built.pages, built.files, (), time.perf_counter() - started, True)
    progress("Reading and checking the content")
    timeline, warnings = load_timeline(config, cache, jobs, discovered)
    environment = make_environment(config.templates_dir)
    broken = syntax_problems(environment, config.templates_dir)  # compiles them all once, for every worker
    progress(f"Writing the pages of {len(timeline.entries):,} entries")

    def fill(writer: SiteWriter) -> SiteSummary:
        pages, problems = _write_pages(page_groups(timeline, config), environment, broken, config, writer, jobs)
        documents = [feed_page(timeline, config), sitemap_page(timeline, config)]
        problems.update(render_pages(documents, environment, config.templates_dir, writer.add, problems))
        if problems:
            raise BuildFailed(list(problems.values()), warnings)
        _write_data_and_assets(timeline, config, writer)
        if config.search:
            progress("Indexing for search")
            warnings.extend(index_site(writer.staging))
        return SiteSummary(None if warnings else inputs, len(timeline.entries), pages)

    written = write_site(config.output_dir, fill, reuse, remove_old)  # the only step that writes
    elapsed = time.perf_counter() - started
    return BuildReport(written.entries, written.pages, written.files, tuple(warnings), elapsed)


def _write_pages(
    groups: list[PageGroup],
    environment: Environment,
    broken: dict[str, ContentError],
    config: SiteConfig,
    writer: SiteWriter,
    jobs: int,
) -> tuple[int, dict[str, ContentError]]:
    """Make, render and write every page group, in up to `jobs` processes.

    Returns the number of pages and a problem for each template that failed (`broken` ones included).
    """

    def make_and_write(share: Sequence[PageGroup]) -> tuple[int, dict[str, ContentError]]:
        problems, count = dict(broken), 0
        for group in share:
            pages = group()
            count += len(pages)
            problems = render_pages(pages, environment, config.templates_dir, writer.add, problems)
        return count, problems

    done = map_in_workers(make_and_write, shares(groups, jobs), jobs)
    problems = dict(broken)
    for _, share_problems in done:
        for template, problem in share_problems.items():
            problems.setdefault(template, problem)  # the first page's problem, however the work was shared
    return sum(count for count, _ in done), problems


def _write_data_and_assets(timeline: Timeline, config: SiteConfig, writer: SiteWriter) -> None:
    writer.add("data/entries.json", entries_json(timeline))
    writer.add("data/entries.csv", entries_csv(timeline))
    writer.add(".nojekyll", b"")
    if config.cname:
        writer.add("CNAME", f"{config.cname}\n".encode())  # GitHub Pages serves the site at this domain
    writer.add_all(_static_files(config))


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
