"""The whole build in one place: discover, parse, validate, model, render, write."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from timeline.cache import BuildCache
from timeline.config import SiteConfig
from timeline.content import SourceFile, discover_files, read_source
from timeline.entries import SiteContext, check_links_published, check_unique_slugs, link_titles, parse_entry
from timeline.errors import BuildFailed, ContentError
from timeline.export import entries_csv, entries_json
from timeline.feeds import feed_page, sitemap_page
from timeline.lint import editorial_warnings
from timeline.model import Entry, Timeline
from timeline.output import MARKER, check_output_dir, manifest_of, write_site
from timeline.pages import plan_pages
from timeline.render import check_templates, render_pages
from timeline.search import index_site
from timeline.vocabulary import read_vocabulary


@dataclass(frozen=True, slots=True)
class BuildReport:
    entries: int  # entries published (drafts only with --drafts)
    pages: int  # HTML pages written
    files: int  # every file written
    warnings: tuple[ContentError, ...]
    seconds: float


def load_timeline(config: SiteConfig, cache: BuildCache | None = None) -> tuple[Timeline, list[ContentError]]:
    """Read and check every content file; raise BuildFailed listing every error found."""
    paths, problems = discover_files(config.content_dir)
    if cache is not None:
        cache.keep_only(paths)
    read = cache.read if cache is not None else read_source
    check = cache.check if cache is not None else parse_entry
    sources: dict[str, SourceFile] = {}
    for path in paths:
        source, read_problems = read(path, config.content_dir)
        problems += read_problems
        if source is not None:
            sources[str(source.path)] = source
    vocabulary, vocabulary_problems = read_vocabulary(config.content_dir)
    problems += vocabulary_problems
    context = SiteContext(link_titles(sources.values()), vocabulary)
    entries: list[Entry] = []
    for source in sources.values():
        entry, entry_problems = _parse_guarded(check, source, context)
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


def _parse_guarded(
    check: Callable[[SourceFile, SiteContext], tuple[Entry | None, list[ContentError]]],
    source: SourceFile,
    context: SiteContext,
) -> tuple[Entry | None, list[ContentError]]:
    """No input may end a build with a traceback: anything unforeseen is an error on that file."""
    try:
        return check(source, context)
    except Exception as error:  # reported to the editor, with the file
        message = f"could not be processed ({type(error).__name__}: {error}); please report this file"
        return None, [ContentError(source.path, 1, message)]


def check_site(config: SiteConfig) -> list[ContentError]:
    """Validate the content and the templates' syntax, write nothing; return the warnings."""
    template_errors = check_templates(config.templates_dir)
    try:
        _, warnings = load_timeline(config)
    except BuildFailed as failure:
        raise BuildFailed(failure.errors + template_errors, failure.warnings) from None
    if template_errors:
        raise BuildFailed(template_errors, warnings)
    return warnings


def build_site(
    config: SiteConfig, progress: Callable[[str], None] = lambda stage: None, cache: BuildCache | None = None
) -> BuildReport:
    """Build the site into config.output_dir; on any error the previous site is left as it was.

    With a `cache` (the preview server keeps one between rebuilds), unchanged files are not read or
    checked again, and files whose bytes are unchanged are linked from the current site, not written.
    """
    started = time.perf_counter()
    check_output_dir(config.output_dir, protected=(config.content_dir, config.templates_dir))
    progress("Reading and checking the content")
    timeline, warnings = load_timeline(config, cache)
    progress(f"Rendering the pages of {len(timeline.entries):,} entries")
    pages = plan_pages(timeline, config)
    documents = [*pages, feed_page(timeline, config), sitemap_page(timeline, config)]
    files, template_errors = render_pages(documents, config.templates_dir)
    if template_errors:
        raise BuildFailed(template_errors, warnings)
    files["data/entries.json"] = entries_json(timeline)
    files["data/entries.csv"] = entries_csv(timeline)
    files[".nojekyll"] = b""
    if config.cname:
        files["CNAME"] = f"{config.cname}\n".encode()  # GitHub Pages serves the site at this domain
    files.update(_static_files(config))
    progress(f"Writing {len(files):,} files")

    manifest = manifest_of(files)

    def finish(staging: Path) -> None:
        if config.search:
            progress("Indexing for search")
            warnings.extend(index_site(staging))

    # Reuse files only from the site this cache last wrote, not one another build has put there since.
    previous = cache.manifest if cache is not None and cache.site_marker == _marker_inode(config) else None
    write_site(files, config.output_dir, finish, previous, manifest)  # the only step that writes
    if cache is not None:
        cache.manifest = manifest  # only now: a failed write leaves the old site, and the old manifest
        cache.site_marker = _marker_inode(config)
    elapsed = time.perf_counter() - started
    return BuildReport(len(timeline.entries), len(pages), len(files), tuple(warnings), elapsed)


def _marker_inode(config: SiteConfig) -> int:
    try:
        return (config.output_dir / MARKER).stat().st_ino
    except OSError:
        return -1


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
