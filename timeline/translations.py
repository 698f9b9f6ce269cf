"""Translations: a file beside its original, with the language before `.md`.

`content/2024/uk-security-agreement.uk.md` translates `content/2024/uk-security-agreement.md` (the Hugo,
Zola and mkdocs-static-i18n convention). It holds the words: its title, summary, body, and optionally its
author, its own sources and the scope of its amount. Everything else (the date, partners, type, tags,
agreement, stage, the amount itself, draft) comes from the original; a translation may repeat such a
field, but not change it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from timeline.agreements import AGREEMENT_FIELDS, agreement_kind, duration_years, is_agreement_file
from timeline.content import SourceFile
from timeline.entries import FieldReader, SiteContext
from timeline.errors import ContentError
from timeline.markup import first_paragraph_text
from timeline.model import AgreementRef, Correction, EntryLink, SourceLink

# What a translation translates; the amount only by its `scope` (the words saying what the money is for).
TRANSLATED_FIELDS = ("title", "summary", "author", "sources", "amount", "corrections")
# What it takes from its original, in an entry and in an agreement.
ENTRY_INHERITED = ("date", "countries", "type", "tags", "agreement", "stage", "draft", "slug", "updated")
AGREEMENT_INHERITED = tuple(field for field in AGREEMENT_FIELDS if field not in TRANSLATED_FIELDS)
_SUFFIX = re.compile(r"(?P<stem>.+)\.(?P<language>[^.]+)\.md")


@dataclass(frozen=True, slots=True)
class Translation:
    """An entry's or an agreement's words in another language."""

    original: Path  # the translated file, as its entry or agreement knows it (Entry.path)
    language: str  # "uk"
    title: str
    summary: str
    body_html: str  # sanitised HTML
    author: str | None  # None: the original's
    sources: tuple[SourceLink, ...] | None  # None: the original's
    scope: str | None  # what the amount is for, in this language; None: the original's
    corrections: tuple[Correction, ...] | None  # the original's corrections, their notes in this language
    links: tuple[EntryLink, ...]  # [[slug]] links in the body
    path: Path  # this file, for messages
    copied: bool = False  # the same words as the original: not translated yet


def translation_language(relative: PurePosixPath) -> str | None:
    """'uk' for 2024/x.uk.md, None for an original (2024/x.md)."""
    match = _SUFFIX.fullmatch(relative.name)
    return match.group("language") if match else None


def original_name(relative: PurePosixPath) -> PurePosixPath:
    """2024/x.md for 2024/x.uk.md."""
    match = _SUFFIX.fullmatch(relative.name)
    return relative.with_name(f"{match.group('stem')}.md") if match else relative


def name_problem(path: Path, relative: PurePosixPath, languages: Sequence[str]) -> ContentError | None:
    """What is wrong with a translation's name: a suffix that is not one of the site's other languages."""
    language = translation_language(relative)
    if language is None or language in languages[1:]:
        return None
    original = original_name(relative).name
    others = ", ".join(f"{original[:-3]}.{code}.md" for code in languages[1:]) or "none: the site has one language"
    if language == languages[0]:
        message = f"'.{language}' is the site's default language, which {original} is written in"
    else:
        message = f"unknown language suffix '.{language}': the site's languages are {', '.join(languages)}"
    return ContentError(path, 1, f"{message}; translations of {original} are named {others}")


def missing_original(path: Path, relative: PurePosixPath) -> ContentError:
    original = original_name(relative)
    return ContentError(
        path, 1, f"translates {original}, which does not exist; a translation is named after the file it "
        f"translates and sits beside it"
    )  # fmt: skip


def parse_translation(
    source: SourceFile, original: SourceFile, context: SiteContext
) -> tuple[Translation | None, list[ContentError]]:
    """A translation's words, checked; `context.titles` has the titles of the entries in its language, for
    its [[slug]] links. None when any error was found."""
    agreement = is_agreement_file(original.relative.parts)
    fields = FieldReader(source)
    inherited = AGREEMENT_INHERITED if agreement else ENTRY_INHERITED
    for field in inherited:
        if field in source.fields and _value(field, source, context) != _value(field, original, context):
            fields.problems.append(ContentError(
                source.path, fields.line(field), f"'{field}' comes from the original, {original.path}, and a "
                f"translation may not change it; remove it here, or change it there",
            ))  # fmt: skip
    body, links = fields.entry_links(context.titles, to_entries="../../entries/" if agreement else "../")
    body_html = fields.body_html(body)
    title = fields.title()
    summary = fields.optional_text("summary") or first_paragraph_text(body_html)
    translation = Translation(
        original=original.path,
        language=translation_language(source.relative) or "",
        title=title,
        summary=summary,
        body_html=body_html,
        author=fields.optional_text("author") if "author" in source.fields else None,
        sources=fields.sources() if "sources" in source.fields else None,
        scope=_scope(fields, source, original),
        corrections=_corrections(fields, source, original),
        links=links,
        path=source.path,
        copied=title == _text(original, "title") and source.body.strip() == original.body.strip(),
    )
    fields.warn_unknown(TRANSLATED_FIELDS + inherited)
    has_errors = any(not problem.warning for problem in fields.problems)
    return (None if has_errors else translation), fields.problems


def _scope(fields: FieldReader, source: SourceFile, original: SourceFile) -> str | None:
    """The amount's scope in the translation's words; the rest of the amount must be the original's."""
    if "amount" not in source.fields:
        return None
    translated, given = FieldReader(source).amount(), FieldReader(original).amount()
    if translated is None or given is None or replace(translated, scope="") != replace(given, scope=""):
        fields.problems.append(ContentError(
            source.path, fields.line("amount"), f"'amount' comes from the original, {original.path}: a translation "
            "may give only its scope in its own words, with the same value, unit and currency",
        ))  # fmt: skip
        return None
    return translated.scope or None


def _corrections(fields: FieldReader, source: SourceFile, original: SourceFile) -> tuple[Correction, ...] | None:
    """The corrections' notes in the translation's words; their dates must be the original's."""
    if "corrections" not in source.fields:
        return None
    translated, given = fields.corrections(), FieldReader(original).corrections()
    if [correction.date for correction in translated] != [correction.date for correction in given]:
        fields.problems.append(ContentError(
            source.path, fields.line("corrections"), f"'corrections' come from the original, {original.path}: a "
            "translation gives the same corrections with the same dates, in the same order, and translates the notes",
        ))  # fmt: skip
        return None
    return translated


def _text(source: SourceFile, field: str) -> str:
    return " ".join(str(source.fields.get(field) or "").split())


def _value(field: str, source: SourceFile, context: SiteContext) -> object:
    """What an inherited field means, read as the original's would be (problems are the original's to report)."""
    reader = FieldReader(source)
    read: dict[str, Callable[[], object]] = {
        "date": lambda: reader.date("date", required=False),
        "updated": lambda: reader.date("updated", required=False),
        "countries": lambda: tuple(partner.code for partner in reader.partners()),
        "type": reader.kind,
        "tags": lambda: reader.tags(context.vocabulary),
        "agreement": lambda: tuple(reference.id for reference in reader.agreement_references()),
        "stage": lambda: reader.stage((AgreementRef("", 1),))[0],
        "draft": reader.draft,
        "slug": reader.slug,
        "kind": lambda: agreement_kind(reader),
        "duration_years": lambda: duration_years(reader),
    }
    value = read[field]()
    return (value, bool(reader.problems)) if reader.problems else value
