"""`build.py new`: start an entry file with complete front matter, checked the way the build checks it."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from timeline.content import discover_files, read_source
from timeline.dates import DateError, parse_date
from timeline.entries import MAX_NAME_BYTES, planned_slug, slugify
from timeline.errors import UsageError
from timeline.model import EntryKind
from timeline.partners import PartnerError, resolve_partner
from timeline.vocabulary import read_vocabulary

_BODY = (
    "Write the entry here: what happened, who agreed to what, with which amounts and dates, and what is\n"
    "still uncertain. The first paragraph becomes the summary unless you fill in 'summary' above.\n"
)


@dataclass(frozen=True, slots=True)
class NewEntry:
    title: str
    date: str | None  # as typed; today when None
    countries: str  # "IT, FR"
    kind: str  # "article" or "note"
    tags: str | None  # "uav, co-production"


def create_entry(content_dir: Path, request: NewEntry, today: date) -> Path:
    """Write content/<year>/<slug>.md and return its path; raise UsageError for any bad value, before anything
    is written."""
    for option, value in (("the title", request.title), ("--date", request.date),
                          ("--countries", request.countries), ("--tags", request.tags)):  # fmt: skip
        _refuse_undecodable(option, value)
    title = " ".join(request.title.split())
    if not title:
        raise UsageError("the title is empty")
    when = _date(request.date, today)
    partners = _partners(request.countries)
    kind = _kind(request.kind)
    tags = _tags(request.tags, content_dir)
    slug = slugify(title)
    if not slug:
        raise UsageError(f"the title '{title}' gives no file name; use Latin or Cyrillic letters")
    if len(slug) > MAX_NAME_BYTES - len(".md"):
        raise UsageError(f"the title makes a file name of {len(slug):,} characters; shorten it")
    path = content_dir / when[:4] / f"{slug}.md"
    _refuse_collisions(content_dir, path, slug)
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"date: {when if len(when) == 10 else json.dumps(when)}",
        f"countries: [{', '.join(json.dumps(code) for code in partners)}]",
        f"type: {kind}",
        f"tags: [{', '.join(tags)}]",
        'summary: ""',
        "sources: []",
        *(['author: ""'] if kind == EntryKind.NOTE.value else []),
        "---",
        _BODY,
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    create_file(path, "\n".join(lines))
    return path


def create_file(path: Path, text: str) -> None:
    """Write a new file whole or not at all: into a hidden temporary file beside it (which builds ignore), then
    linked to its name, which fails if the name is taken, even in a race. Raise UsageError if it is."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("x", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise UsageError(f"{path} already exists; edit it there or choose another name") from None
        except OSError:  # a file system without hard links: check, then rename
            if path.exists():
                raise UsageError(f"{path} already exists; edit it there or choose another name") from None
            os.rename(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _refuse_undecodable(option: str, value: str | None) -> None:
    """Bytes that are not UTF-8 arrive as lone surrogates (a Latin-1 terminal typing "Türkiye"): refuse them
    before anything is written, naming the first byte."""
    undecodable = next((char for char in value or "" if "\udc80" <= char <= "\udcff"), None)
    if undecodable is not None:
        byte = ord(undecodable) - 0xDC00
        raise UsageError(
            f"{option} is not valid UTF-8 text (byte 0x{byte:02x}); set the terminal to UTF-8 and type it again"
        )


def _date(text: str | None, today: date) -> str:
    if text is None:
        return today.isoformat()
    try:
        parsed = parse_date(text)
    except DateError as error:
        raise UsageError(f"--date {error}") from None
    return parsed.iso  # keeps the precision typed: 2024-02-16, 2024-02 or 2024


def _partners(text: str) -> list[str]:
    codes: list[str] = []
    for name in (part.strip() for part in text.replace(";", ",").split(",")):
        if not name:
            continue
        try:
            code = resolve_partner(name).code
        except PartnerError as error:
            raise UsageError(f"--countries: {error}") from None
        if code not in codes:
            codes.append(code)
    if not codes:
        raise UsageError("--countries needs at least one partner, e.g. --countries IT,FR")
    return codes


def _kind(text: str) -> str:
    try:
        return EntryKind(text.strip().lower()).value
    except ValueError:
        raise UsageError(f"--type is '{text}'; use 'article' or 'note'") from None


def _tags(text: str | None, content_dir: Path) -> list[str]:
    tags = [slugify(part) for part in (text or "").split(",") if part.strip()]
    vocabulary, _ = read_vocabulary(content_dir)
    for tag in tags:
        if not tag or (vocabulary is not None and tag not in vocabulary):
            known = ", ".join(sorted(vocabulary or ()))
            raise UsageError(f"--tags: unknown tag '{tag}'; the tags are: {known}")
    return list(dict.fromkeys(tags))


def _refuse_collisions(content_dir: Path, path: Path, slug: str) -> None:
    if path.exists():
        raise UsageError(f"{path} already exists; choose another title or edit that file")
    paths, _ = discover_files(content_dir)
    for other in paths:
        source, _ = read_source(other, content_dir)
        taken = planned_slug(source) if source is not None else slugify(other.stem)
        if taken == slug:
            raise UsageError(f"{other} already has the address entries/{slug}/; choose another title")
