"""The build, step by step: discover → read → check → model → plan → render → write.

`build_site` is the whole of a one-off build; each step is a function of its own, which the preview
server (timeline.preview) calls in its own order. Nothing is written until every file has been read and
checked and every template compiled, and then only into a folder that replaces the site in one step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from timeline.agreements import missing_rates
from timeline.cache import Cache
from timeline.checks import check_files, published_entries
from timeline.config import SiteConfig
from timeline.content import RawFile, discover_files, list_files, read_bytes, read_file
from timeline.digest import Digests
from timeline.errors import BuildFailed, ContentError
from timeline.fingerprint import input_fingerprint, program_fingerprint
from timeline.history import NO_HISTORY, History, read_history
from timeline.localize import Published, localized_timelines
from timeline.lock import hold_output
from timeline.marker import SiteSummary, current_site, intact_site
from timeline.model import Agreement, Entry, TagInfo, Timeline
from timeline.plan import call, plan_site
from timeline.rates import EurRates, read_rates
from timeline.render import Templates, load_templates, made_from, read_templates, render_files
from timeline.search import index_site
from timeline.staging import SiteTooLarge, SiteWriter, check_output_dir, write_site
from timeline.translations import Translation
from timeline.views import SiteFile
from timeline.vocabulary import read_vocabulary
from timeline.workers import map_in_workers, shares

_WORTH_PROCESSES = 40  # fewer files are rendered faster than worker processes start


@dataclass(frozen=True, slots=True)
class BuildReport:
    entries: int  # entries published (drafts only with --drafts)
    pages: int  # HTML pages in the site
    files: int  # every file in the site
    warnings: tuple[ContentError, ...]
    seconds: float
    up_to_date: bool = False  # nothing had changed since the last build, so nothing was written


@dataclass(frozen=True, slots=True)
class Content:
    """The content folder as read: every entry file's bytes, the tag vocabulary, the problems so far."""

    files: tuple[RawFile, ...]
    vocabulary: Mapping[str, TagInfo] | None  # None: there is no tags.yaml, and any tag goes
    rates: EurRates  # from eur-rates.csv: the annual average euro rates amounts are converted with
    problems: tuple[ContentError, ...]
    history: History = NO_HISTORY  # the content's git history (see timeline.history)


def build_site(
    config: SiteConfig,
    progress: Callable[[str], None] = lambda stage: None,
    jobs: int = 1,
    waiting: Callable[[str], None] | None = lambda message: None,
) -> BuildReport:
    """Build the site into config.output_dir; on any error the previous site is left as it was.

    The work is shared by up to `jobs` processes. With a cache folder (config.cache_dir), a site built from
    the same inputs is left as it is, and only files whose content changed are made again. While another
    build or preview writes into the output folder, `waiting` is told so and the build waits; with `waiting`
    None it raises UsageError instead (see timeline.lock)."""
    started = time.perf_counter()
    check_output_dir(config.output_dir, protected=protected_inputs(config))
    with hold_output(config.output_dir, waiting):
        return _build_site(config, progress, jobs, started)


def _build_site(config: SiteConfig, progress: Callable[[str], None], jobs: int, started: float) -> BuildReport:
    content = read_content(config)
    inputs = input_fingerprint(config, content.files, content.history.key)
    if config.cache_dir is not None and (built := current_site(config.output_dir, inputs)):
        return BuildReport(built.entries, built.pages, built.files, (), time.perf_counter() - started, True)
    progress("Reading and checking the content")
    cache = open_cache(config)
    templates = load_templates(config.templates_dir, read_templates(config.templates_dir))
    published, warnings = check_content(content, templates, config, cache, jobs, render_first=True)
    entries = published.timeline.entries
    timelines = localized_timelines(published, config.languages)
    # Nothing is planned twice in one process: what each file is made from is digested while rendering.
    files = plan_site(timelines, config, read_static(config), call, jobs)
    progress(f"Writing the pages of {len(entries):,} entries")
    previous = made_before(cache, config.output_dir)

    def fill(writer: SiteWriter) -> SiteSummary:
        made = render_site(files, templates, writer, cache.digests if cache else None, previous, jobs, warnings)
        if config.search:
            progress("Indexing for search")
            warnings.extend(index_site(writer.staging))
        remember_pages(cache, inputs, made)
        return SiteSummary(inputs, len(entries), _pages(files), warnings=len(warnings))

    site = write_within_limit(config, fill, reuse=cache is not None, warnings=warnings)
    if cache is not None:
        cache.save()
    return BuildReport(site.entries, site.pages, site.files, tuple(warnings), time.perf_counter() - started)


def protected_inputs(config: SiteConfig) -> tuple[Path, ...]:
    """What an output folder must not overlap: everything a build reads, and the build cache."""
    inputs = (config.content_dir, config.templates_dir, config.settings_file, config.cache_dir)
    return tuple(path for path in inputs if path is not None)


def write_within_limit(
    config: SiteConfig, fill: Callable[[SiteWriter], SiteSummary], reuse: bool, warnings: Sequence[ContentError] = ()
) -> SiteSummary:
    """staging.write_site into config.output_dir; raise BuildFailed (with `warnings`) if the site grows past
    config.max_site_mb, and publish nothing."""
    try:
        return write_site(config.output_dir, fill, reuse=reuse, limit=config.max_site_mb * 1_000_000)
    except SiteTooLarge as error:
        raise BuildFailed([_too_large(config, *error.args)], list(warnings)) from None


def _too_large(config: SiteConfig, limit: int, name: str) -> ContentError:
    """The error of a site that grew past max_site_mb while `name` was written ('': with its search index)."""
    where = f" while writing {name}" if name else " with its search index"
    return ContentError(
        config.settings_file or Path("site.toml"), 1,
        f"the site grew past max_site_mb = {limit // 1_000_000:,} MB{where}, and was not published; an entry with "
        "a great many tags or partners makes pages for each: look for one, or raise max_site_mb if the site is "
        "really this large",
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class CheckReport:
    warnings: list[ContentError]
    untranslated: dict[str, int]  # entries without a translation, by language (other than the default)


def check_site(config: SiteConfig, jobs: int = 1) -> CheckReport:
    """Check the content and the templates' syntax, write nothing; return the warnings and how many entries
    each other language still lacks."""
    cache = open_cache(config)
    templates = load_templates(config.templates_dir, read_templates(config.templates_dir))
    content = read_content(replace(config, history=False))  # the history shows on pages; nothing checks it
    published, warnings = check_content(content, templates, config, cache, jobs)
    if cache is not None:
        cache.save()
    return CheckReport(warnings, {language: published.untranslated(language) for language in config.languages[1:]})


def open_cache(config: SiteConfig) -> Cache | None:
    """The build cache in config.cache_dir, for this version of the program; None without one."""
    return None if config.cache_dir is None else Cache(config.cache_dir, program_fingerprint())


def read_content(config: SiteConfig) -> Content:
    """Discover and read every content file, and the tag vocabulary."""
    paths, problems = discover_files(config.content_dir)
    read = [read_file(path, config.content_dir) for path in paths]  # bytes only: faster here than sent back
    problems += [problem for _, file_problems in read for problem in file_problems]
    vocabulary, vocabulary_problems = read_vocabulary(config.content_dir)
    rates, rate_problems = read_rates(config.content_dir)
    files = tuple(file for file, _ in read if file is not None)
    problems += vocabulary_problems + rate_problems + template_links(config)
    history = read_history(config.content_dir) if config.history else NO_HISTORY
    return Content(files, vocabulary, rates, tuple(problems), history)


def template_links(config: SiteConfig) -> list[ContentError]:
    """A warning for every symbolic link among the templates and static files, which are read as if it were
    not there: a link could copy any file the build can read into the site."""
    return list_files(config.templates_dir)[1]


def check_content(
    content: Content,
    templates: Templates,
    config: SiteConfig,
    cache: Cache | None,
    jobs: int,
    render_first: bool = False,
) -> tuple[Published, list[ContentError]]:
    """The timeline of the published entries and the agreements with their translations, and the warnings;
    raise BuildFailed with
    every error in the content and the templates' syntax (under --strict, warnings are errors). With
    `render_first`, syntax errors alone do not raise: the caller renders the site first, to report the
    errors that only rendering finds with them."""
    checked = check_files(
        content.files, content.vocabulary, config.build_date, cache, jobs, config.languages, config.file_time_limit
    )
    published, link_problems = published_entries(checked.entries, config.include_drafts)
    problems = [*content.problems, *checked.problems, *link_problems, *missing_rates(published, content.rates)]
    if config.strict:
        problems = [problem.as_error() for problem in problems]
    errors = [problem for problem in problems if not problem.warning]
    warnings = [problem for problem in problems if problem.warning]
    if errors or (templates.problems and not render_first):
        raise BuildFailed(errors + list(templates.problems.values()), warnings)
    timeline = Timeline.from_entries(
        published, content.vocabulary, checked.agreements, content.rates, history=content.history
    )
    return Published(timeline, _published_translations(checked.translations, published, checked.agreements)), warnings


def _published_translations(
    translations: Sequence[Translation], entries: Sequence[Entry], agreements: Sequence[Agreement]
) -> tuple[Translation, ...]:
    """The translations of what is published (a draft's is left out with it)."""
    originals = {item.path for item in entries} | {item.path for item in agreements}
    return tuple(translation for translation in translations if translation.original in originals)


def read_static(config: SiteConfig) -> dict[str, bytes]:
    """Stylesheets and other assets, copied from templates/static/ to static/; never through a symbolic link
    (see template_links)."""
    if config.static_dir.is_symlink() or not config.static_dir.is_dir():
        return {}
    return {f"static/{name}": read_bytes(config.static_dir / name) for name in list_files(config.static_dir)[0]}


def render_site(
    files: Sequence[SiteFile],
    templates: Templates,
    writer: SiteWriter,
    digests: Digests | None,
    previous: Mapping[str, bytes] | None,
    jobs: int,
    warnings: Sequence[ContentError] = (),
) -> dict[str, bytes]:
    """Render and write files, in up to `jobs` processes; with `digests`, return what each is made from, and
    link a file from the current site instead where that is what it was made from (`previous`).
    Raise BuildFailed listing every template that failed, each once, at the first page that uses it (with
    the `warnings` found before)."""

    def render_share(share: Sequence[SiteFile]) -> tuple[dict[str, bytes], dict[str, ContentError]]:
        made = {} if digests is None else {file.output: made_from(file, templates, digests) for file in share}
        kept = previous or {}
        stale = [
            file
            for file in share
            if file.output not in made or kept.get(file.output) != made[file.output] or not writer.keep(file.output)
        ]
        return made, render_files(stale, templates, writer.add)

    work = shares(files, jobs) if len(files) >= _WORTH_PROCESSES else [files]
    made: dict[str, bytes] = {}
    problems: dict[str, ContentError] = {}
    for share_made, share_problems in map_in_workers(render_share, work, jobs):
        made.update(share_made)
        for template, problem in share_problems.items():
            problems.setdefault(template, problem)  # the first page's problem, however the work was shared
    if problems:
        raise BuildFailed(list(problems.values()), list(warnings))
    return made


def remember_pages(cache: Cache | None, inputs: str, made: Mapping[str, bytes]) -> None:
    """Keep what each file of a site built from `inputs` was made from, for the next build (see made_before)."""
    if cache is not None and made:
        cache.put(cache.digests.of(("pages", inputs)), dict(made))


def made_before(cache: Cache | None, output_dir: Path) -> Mapping[str, bytes] | None:
    """What each file of the site in output_dir was made from, if nobody changed the site since it was written
    and the cache remembers (see remember_pages)."""
    summary = intact_site(output_dir) if cache is not None else None
    if cache is None or summary is None or summary.inputs is None:
        return None
    return cache.get(cache.digests.of(("pages", summary.inputs)))


def _pages(files: Sequence[SiteFile]) -> int:
    return sum(1 for file in files if file.output.endswith(".html"))
