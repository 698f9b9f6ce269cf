"""The check step: every content file into an entry, with every problem found in any of them.

Checking an entry needs a little from the others (the titles of the entries it links to), so each file is
first outlined (its address, title and links), then checked. Both results are kept in the cache by the
digest of everything they depend on: the file's bytes and path; for a check also the tag vocabulary, the
titles it links to and the day (the editorial warnings about dates depend on it). A result with errors is
never kept: its "did you mean" hints depend on every other file. Files not in the cache are parsed and
checked in worker processes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from timeline.agreements import check_agreements, is_agreement_file, parse_agreement
from timeline.cache import Cache
from timeline.content import RawFile, SourceFile, parse_source
from timeline.dates import DateError, parse_date
from timeline.entries import SiteContext, check_links_published, parse_entry, planned_name
from timeline.errors import ContentError
from timeline.lint import duplicate_title_warnings, entry_warnings
from timeline.markup import linked_slugs, render_markdown
from timeline.model import Agreement, Entry, TagInfo
from timeline.translations import (
    Translation,
    missing_original,
    name_problem,
    original_name,
    parse_translation,
    translation_language,
)
from timeline.workers import Unfinished, each_in_time, each_in_workers

_WORTH_PROCESSES = 64  # fewer files are parsed and checked faster than processes start
Result = tuple[Entry | Agreement | Translation | None, list[ContentError]]


@dataclass(frozen=True, slots=True)
class Outline:
    """What checking the other files needs to know about one file: its address, title and links."""

    slug: str  # the slug the entry will have if it is valid
    title: str
    slug_line: int  # where a duplicate slug is reported
    title_line: int  # where a duplicate title is reported
    links: tuple[str, ...]  # the slugs of its [[slug]] links, in order


@dataclass(frozen=True, slots=True)
class Checked:
    """What the check step found: the entries, the agreements and their translations, valid, and every problem."""

    entries: tuple[Entry, ...]
    agreements: tuple[Agreement, ...]
    problems: tuple[ContentError, ...]
    translations: tuple[Translation, ...] = ()


def check_files(
    files: Sequence[RawFile],
    vocabulary: Mapping[str, TagInfo] | None,
    today: date,
    cache: Cache | None = None,
    jobs: int = 1,
    languages: Sequence[str] = ("en",),
    time_limit: float | None = None,
) -> Checked:
    """Every file's entry, agreement or translation, in the order of `files`, and every problem of each and
    between them. `languages`: the site's, the default first; a translation's name ends in one of the others.
    With a `time_limit`, reading or checking one file that takes longer (in seconds) is an error on that file."""
    limited = _Limited(jobs, time_limit)
    outlined = _outline_all(files, cache, limited)
    problems = [problem for _, _, outline_problems in outlined for problem in outline_problems]
    outlines = [outline for _, outline, _ in outlined]
    parsed = {str(source.path): source for source, _, _ in outlined if source is not None}
    originals, pairs, naming_problems = _originals_and_translations(files, languages)
    problems += naming_problems
    is_entry = {index: not is_agreement_file(files[index].relative.parts) for index in originals}
    titles = {outlines[index].slug: outlines[index].title for index in originals if outlines[index] and is_entry[index]}
    context = SiteContext(titles, vocabulary, today)
    values = []
    originals_outlined = [(files[index], outlines[index]) for index in originals]
    for value, value_problems in _check_all(originals_outlined, parsed, context, cache, limited):
        problems += value_problems
        if value is not None:
            values.append(value)
    translated = _translate_all(files, outlines, pairs, parsed, context, cache, limited)
    problems += [problem for _, translation_problems in translated for problem in translation_problems]
    entries = [value for value in values if isinstance(value, Entry)]
    agreements = [value for value in values if isinstance(value, Agreement)]
    entry_files = [(files[index], outlines[index]) for index in originals if is_entry[index]]
    problems += _unique_slugs(entry_files)
    title_lines = {str(file.path): outline.title_line for file, outline in entry_files if outline}
    problems += duplicate_title_warnings(entries, title_lines)
    problems += check_agreements(agreements, entries)
    translations = tuple(translation for translation, _ in translated if translation is not None)
    return Checked(tuple(entries), tuple(agreements), tuple(problems), translations)


def _originals_and_translations(
    files: Sequence[RawFile], languages: Sequence[str]
) -> tuple[list[int], list[tuple[int, int]], list[ContentError]]:
    """The positions of the originals, of each translation with its original's, and what is wrong with names."""
    by_name = {file.relative: index for index, file in enumerate(files)}
    originals, pairs, problems = [], [], []
    for index, file in enumerate(files):
        if translation_language(file.relative) is None:
            originals.append(index)
        elif problem := name_problem(file.path, file.relative, languages):
            problems.append(problem)
        elif (original := by_name.get(original_name(file.relative))) is None:
            problems.append(missing_original(file.path, file.relative))
        else:
            pairs.append((index, original))
    return originals, pairs, problems


def published_entries(entries: Sequence[Entry], include_drafts: bool) -> tuple[list[Entry], list[ContentError]]:
    """The entries the site shows, and an error for each link from one of them to a draft left out."""
    published = [entry for entry in entries if include_drafts or not entry.draft]
    return published, check_links_published(entries, published)


@dataclass(frozen=True, slots=True)
class _Limited:
    """How the files not in the cache are worked through: in how many processes, and in how long each."""

    jobs: int
    seconds: float | None  # for one file; None: no limit, and small batches are done in this process
    prepare: Callable[[], None] = lambda: None  # called here before the first worker process is started

    def preparing(self, prepare: Callable[[], None]) -> _Limited:
        return replace(self, prepare=prepare)

    def each(self, task: Callable[[Any], Any], items: Sequence[Any], failed: Callable[[Any, str], Any]) -> list[Any]:
        """task(item) for each item; an item that overran the limit, or crashed its process, is failed(item,
        message)."""
        if self.seconds is None:
            return each_in_workers(task, items, self.jobs, _WORTH_PROCESSES)
        if items:
            self.prepare()
        done = each_in_time(task, items, self.jobs, self.seconds)
        return [
            failed(item, _unfinished_message(result, self.seconds)) if isinstance(result, Unfinished) else result
            for item, result in zip(items, done, strict=True)
        ]


def _prepare_workers(sources: Iterable[SourceFile]) -> None:
    """Load here, once, what checking needs, so that every worker process inherits it instead of loading it
    again (Markdown and dateparser take a second to load): a worker's results do not come back into this
    process's caches."""
    render_markdown("")
    for source in sources:
        for field in ("date", "updated"):
            if isinstance(value := source.fields.get(field), str):
                with suppress(DateError):
                    parse_date(value)  # short enough to be quick: longer values are refused unparsed


def _unfinished_message(result: Unfinished, seconds: float) -> str:
    if result.overran:
        return (
            f"took longer than {seconds:g} s to render; simplify what is nested deeply or repeated many times "
            "(lists, quotes, brackets, HTML tags), or split the file (the limit is file_time_limit in site.toml)"
        )
    return "could not be processed: reading it ended the process that read it; please report this file"


def _outline_all(
    files: Sequence[RawFile], cache: Cache | None, limited: _Limited
) -> list[tuple[SourceFile | None, Outline | None, list[ContentError]]]:
    """Each file's outline, from the cache or parsed (then with its parsed source, for the check)."""
    if cache is not None:
        for file in files:  # a file is known by its path and the digest of its bytes: no need to hash them again
            if not cache.digests.knows(file):
                cache.digests.remember(file, cache.digests.of(("file", str(file.path), file.digest)))
    keys = [cache.key(_outline, file) if cache is not None else None for file in files]
    kept = [cache.get(key) if cache is not None and key is not None else None for key in keys]
    missing = [file for file, outline in zip(files, kept, strict=True) if outline is None]
    fresh = iter(limited.each(_outline, missing, lambda file, text: (None, None, [ContentError(file.path, 1, text)])))
    results = []
    for key, outlined in zip(keys, kept, strict=True):
        if outlined is not None:
            results.append((None, *outlined))  # parsed before: the outline and the problems parsing found
            continue
        source, made, problems = next(fresh)
        if cache is not None and key is not None and made is not None and not _has_errors(problems):
            cache.put(key, (made, problems))
        results.append((source, made, problems))
    return results


def _outline(file: RawFile) -> tuple[SourceFile | None, Outline | None, list[ContentError]]:
    source, problems = parse_source(file)
    if source is None:
        return None, None, problems
    slug, title = planned_name(source)
    links = linked_slugs(source.body)
    lines = source.field_lines
    return source, Outline(slug, title, lines.get("slug", 1), lines.get("title", 1), links), problems


def _check_all(
    files: Sequence[tuple[RawFile, Outline | None]],
    parsed: Mapping[str, SourceFile],
    context: SiteContext,
    cache: Cache | None,
    limited: _Limited,
) -> list[Result]:
    """Each outlined original checked, from the cache or in workers."""
    outlined = [(file, outline) for file, outline in files if outline is not None]  # the rest: not even readable
    keys = [_check_key(file, outline, context, cache) for file, outline in outlined]
    items = [(file, parsed.get(str(file.path))) for file, _ in outlined]
    limited = limited.preparing(lambda: _prepare_workers(parsed.values()))
    return _results(keys, items, lambda item: _check(*item, context), cache, limited)


def _translate_all(
    files: Sequence[RawFile],
    outlines: Sequence[Outline | None],
    pairs: Sequence[tuple[int, int]],
    parsed: Mapping[str, SourceFile],
    context: SiteContext,
    cache: Cache | None,
    limited: _Limited,
) -> list[tuple[Translation | None, list[ContentError]]]:
    """Each translation checked against its original, with [[slug]] links showing the titles in its language."""
    titled: dict[str, dict[str, str]] = {}  # language -> slug -> title
    for index, original in pairs:
        language = translation_language(files[index].relative)
        outline, original_outline = outlines[index], outlines[original]
        if language and outline and original_outline and not is_agreement_file(files[original].relative.parts):
            titled.setdefault(language, {})[original_outline.slug] = outline.title
    readable = [(index, original) for index, original in pairs if outlines[index] and outlines[original]]
    contexts = {language: replace(context, titles={**context.titles, **titles}) for language, titles in titled.items()}
    keys, items = [], []
    for index, original in readable:
        language_context = contexts.get(translation_language(files[index].relative) or "", context)
        keys.append(_translation_key(files[index], outlines[index], files[original], language_context, cache))
        file, original_file = files[index], files[original]
        sources = parsed.get(str(file.path)), parsed.get(str(original_file.path))
        items.append((file, sources[0], original_file, sources[1], language_context))
    limited = limited.preparing(lambda: _prepare_workers(parsed.values()))
    return _results(keys, items, lambda item: _translate(*item), cache, limited)  # type: ignore[return-value]


def _results(
    keys: Sequence[bytes | None], items: Sequence[tuple[object, ...]], check: Callable[[tuple[object, ...]], Result],
    cache: Cache | None, limited: _Limited,
) -> list[Result]:  # fmt: skip
    """`check` of each item, or what the cache kept under its key; results with errors are not kept. Each item
    starts with its file."""
    kept: list[Result | None] = [cache.get(key) if cache is not None and key else None for key in keys]
    missing = [item for item, found in zip(items, kept, strict=True) if found is None]
    fresh = iter(limited.each(check, missing, lambda item, text: (None, [ContentError(item[0].path, 1, text)])))
    results = []
    for key, found in zip(keys, kept, strict=True):
        if found is None:
            found = next(fresh)
            if cache is not None and key is not None and not _has_errors(found[1]):
                cache.put(key, found)
        if cache is not None and key is not None and found[0] is not None:
            cache.digests.remember(found[0], key)  # the value is what this key describes
        results.append(found)
    return results


def _check(file: RawFile, source: SourceFile | None, context: SiteContext) -> Result:
    """One file's entry, its errors and the editorial warnings about it (parsing's own problems came with
    its outline).

    No input may end a build with a traceback: anything unforeseen is an error on that file."""
    if source is None:
        source, _ = parse_source(file)
        if source is None:
            return None, []
    try:
        if is_agreement_file(file.relative.parts):
            return parse_agreement(source, context)
        entry, problems = parse_entry(source, context)
    except Exception as error:  # reported to the editor, with the file
        return None, [ContentError(source.path, 1, _failure_message(error))]
    if entry is None or context.today is None:
        return entry, problems
    return entry, problems + entry_warnings(entry, source, context.today)


def _translate(
    file: RawFile, source: SourceFile | None, original: RawFile, original_source: SourceFile | None,
    context: SiteContext,
) -> tuple[Translation | None, list[ContentError]]:  # fmt: skip
    """One translation checked against its original (parsing's own problems came with its outline)."""
    source = source or parse_source(file)[0]
    original_source = original_source or parse_source(original)[0]
    if source is None or original_source is None:
        return None, []
    try:
        return parse_translation(source, original_source, context)
    except Exception as error:  # reported to the editor, with the file
        return None, [ContentError(source.path, 1, _failure_message(error))]


def _failure_message(error: Exception) -> str:
    if isinstance(error, RecursionError):  # Markdown parses nested lists and quotes by recursion
        return "is nested too deeply (lists, quotes or HTML tags inside each other); flatten it"
    return f"could not be processed ({type(error).__name__}: {error}); please report this file"


def _translation_key(
    file: RawFile, outline: Outline | None, original: RawFile, context: SiteContext, cache: Cache | None
) -> bytes | None:
    if cache is None or outline is None:
        return None
    linked = tuple([(slug, context.titles.get(slug)) for slug in outline.links])
    return cache.key(_translate, file, original, context.vocabulary, linked)


def _check_key(file: RawFile, outline: Outline | None, context: SiteContext, cache: Cache | None) -> bytes | None:
    """Everything a check depends on: the file, the vocabulary, the day and the titles it links to."""
    if cache is None or outline is None:
        return None
    linked = tuple([(slug, context.titles.get(slug)) for slug in outline.links])
    return cache.key(_check, file, context.vocabulary, context.today, linked)


def _unique_slugs(files: Sequence[tuple[RawFile, Outline | None]]) -> list[ContentError]:
    """Two entry files may not share a slug (one page would overwrite the other): checked for every file that
    has an outline, even one with other errors, so that all problems are reported at once."""
    problems = []
    first_by_slug: dict[str, Path] = {}
    named = sorted(
        ((file.path, outline) for file, outline in files if outline is not None), key=lambda item: str(item[0])
    )
    for path, outline in named:
        first = first_by_slug.setdefault(outline.slug, path) if outline.slug else path
        if first != path:
            message = f"slug '{outline.slug}' is also used by {first}; give one of them another 'slug:'"
            problems.append(ContentError(path, outline.slug_line, message))
    return problems


def _has_errors(problems: Sequence[ContentError]) -> bool:
    return any(not problem.warning for problem in problems)
