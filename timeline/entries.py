"""Turn source files into entries, reporting every problem with its file and line."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlsplit

from timeline.amounts import Amount, AmountError, parse_amount
from timeline.content import SourceFile, remove_control_characters, remove_invisible_characters
from timeline.dates import DateError, PartialDate, parse_date
from timeline.errors import ContentError, describe_value, odd_letters
from timeline.markup import expand_entry_links, first_paragraph_text, remote_images, render_markdown
from timeline.model import (
    AgreementRef,
    Correction,
    Entry,
    EntryKind,
    EntryLink,
    SourceLink,
    Stage,
    TagInfo,
    host_of,
)
from timeline.partners import Partner, PartnerError, resolve_partner

REQUIRED_FIELDS = ("title", "date", "countries", "type")
OPTIONAL_FIELDS = (
    "summary", "tags", "sources", "author", "slug", "draft", "updated", "agreement", "stage", "amount", "corrections",
)  # fmt: skip
KNOWN_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
MAX_NAME_BYTES = 255  # a slug or tag names a folder of the site: no file system allows a longer name
# Far above any real entry (8 tags, 19 partners in 2026); each tag and partner lists the entry on its page,
# so thousands of them would make an entry write gigabytes.
MAX_TAGS = 20
MAX_PARTNERS = 80
MAX_CORRECTIONS = 100  # each is a line on the entry's page and on the changes page
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


# Ukrainian national romanisation (2010), with the few extra Russian letters, so Cyrillic names get addresses.
_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ё": "e", "ы": "y", "э": "e", "ъ": "",
})  # fmt: skip


def slugify(text: str) -> str:
    """'Türkiye drones 2024' -> 'turkiye-drones-2024', 'Дрони' -> 'drony'; '' when nothing usable is left."""
    romanised = text.lower().translate(_CYRILLIC)
    folded = unicodedata.normalize("NFKD", romanised).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9_]+", folded)).strip("_-")


def _fully_romanised(text: str) -> bool:
    """True when slugify keeps every letter of text: accents and Cyrillic are fine, other scripts are not."""
    romanised = unicodedata.normalize("NFKD", text.lower().translate(_CYRILLIC))
    return all(char.isascii() or unicodedata.combining(char) or not char.isalnum() for char in romanised)


def planned_slug(source: SourceFile) -> str:
    """The slug an entry will have if it is valid: its 'slug' field, else its file name made safe."""
    value = source.fields.get("slug")
    if isinstance(value, str) and SLUG_PATTERN.fullmatch(value := remove_invisible_characters(value)):
        return value
    return slugify(source.relative.stem)


def planned_name(source: SourceFile) -> tuple[str, str]:
    """The slug and the title an entry will have if it is valid: [[slug]] links are resolved with them
    before any entry is finished."""
    return planned_slug(source), one_line(source.fields.get("title")) or ""


def one_line(value: object) -> str | None:
    """A front-matter scalar as one line of text, control characters removed; None if it is not text."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return " ".join(remove_invisible_characters(remove_control_characters(str(value))).split()) or None
    return None


@dataclass(frozen=True, slots=True)
class SiteContext:
    """What checking one entry needs to know about the others."""

    titles: Mapping[str, str]  # slug -> title of every entry, for [[slug]] links
    vocabulary: Mapping[str, TagInfo] | None = None  # the allowed tags; None accepts any tag
    today: date | None = None  # for the editorial warnings about dates


def parse_entry(source: SourceFile, context: SiteContext) -> tuple[Entry | None, list[ContentError]]:
    """Validate one file's fields; the entry is None when any error was found."""
    fields = FieldReader(source)
    body, links = fields.entry_links(context.titles)
    body_html = fields.body_html(body)
    entry = Entry(
        slug=fields.slug(),
        kind=fields.kind(),
        title=fields.title(),
        date=fields.date("date", required=True),
        partners=fields.partners(),
        summary=fields.summary(body_html),
        body_html=body_html,
        tags=fields.tags(context.vocabulary),
        sources=fields.sources(),
        author=fields.optional_text("author"),
        updated=fields.date("updated", required=False),
        draft=fields.draft(),
        links=links,
        path=source.path,
    )
    agreements = fields.agreement_references()
    stage, stage_line = fields.stage(agreements)
    entry = replace(
        entry, agreements=agreements, stage=stage, stage_line=stage_line, amount=fields.amount(),
        amount_line=fields.line("amount"), corrections=fields.corrections(),
    )  # fmt: skip
    fields.warn_unknown(KNOWN_FIELDS)
    has_errors = any(not problem.warning for problem in fields.problems)
    return (None if has_errors else entry), fields.problems


def check_links_published(entries: Sequence[Entry], published: Iterable[Entry]) -> list[ContentError]:
    """A published entry may not link to a draft that is left out: the link would be broken."""
    published_slugs = {entry.slug for entry in published}
    left_out = {entry.slug for entry in entries} - published_slugs
    return [
        ContentError(entry.path, link.line, f"links to [[{link.slug}]], a draft that is not published; "
                     "publish it or remove the link")
        for entry in entries
        if entry.slug in published_slugs
        for link in entry.links
        if link.slug in left_out  # an entry with errors of its own is reported there, not at every link
    ]  # fmt: skip


class FieldReader:
    """Reads typed values out of one file's front matter, collecting problems as it goes."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.problems: list[ContentError] = []

    def _problem(self, field: str, message: str, warning: bool = False, item: int | None = None) -> None:
        """Record a problem at the field's line, or at the line of its item'th list item."""
        item_lines = self.source.item_lines.get(field, ())
        if item is not None and item < len(item_lines):
            line = item_lines[item]
        else:
            line = self.source.field_lines.get(field, 1)
        self.problems.append(ContentError(self.source.path, line, message, warning))

    def _value(self, field: str, required: bool) -> object:
        value = self.source.fields.get(field)
        if isinstance(value, str) and not value.strip():
            value = None  # an empty string is as good as missing
        if value is None and required:
            where = "is empty" if field in self.source.fields else "is missing"
            self._problem(field, f"required field '{field}' {where}")
        return value

    def _text(self, field: str, value: object, item: int | None = None) -> str | None:
        """A scalar as one line of text; numbers are accepted (a title may be '1994')."""
        text = one_line(value)
        if text is None:
            self._problem(field, f"'{field}' must be text, not {describe_value(value)}", item=item)
        return text

    def entry_links(self, titles: Mapping[str, str], to_entries: str = "../") -> tuple[str, tuple[EntryLink, ...]]:
        """The body with [[slug]] links expanded (`to_entries`: where entry pages are from this file's page);
        an unknown slug is an error on its line."""
        body, found = expand_entry_links(self.source.body, titles, to_entries)
        links = []
        for slug, offset in found:
            line = self.source.body_line + offset
            if slug in titles:
                links.append(EntryLink(slug, line))
                continue
            matches = difflib.get_close_matches(slug, titles, n=1)
            hint = f" (did you mean [[{matches[0]}]]?)" if matches else ""
            message = f"links to [[{slug}]], but no entry has the slug '{slug}'{hint}{odd_letters(slug)}"
            self.problems.append(ContentError(self.source.path, line, message))
        return body, tuple(links)

    def body_html(self, body: str) -> str:
        """The body (with its links expanded) as sanitised HTML; a warning for each image on another site, at the
        first line that names it."""
        rendered = render_markdown(body)
        for address in dict.fromkeys(remote_images(rendered)):
            offset = self.source.body.find(address)
            line = self.source.body_line + (self.source.body.count("\n", 0, offset) if offset >= 0 else 0)
            message = (
                f"image '{address}' is on another site: the page's security policy blocks it (readers see a broken "
                "image) and the feed leaves it out; keep the images a page shows with the site, or link to them"
            )
            self.problems.append(ContentError(self.source.path, line, message, warning=True))
        return rendered

    def title(self) -> str:
        value = self._value("title", required=True)
        return (self._text("title", value) or "") if value is not None else ""

    def optional_text(self, field: str) -> str | None:
        value = self._value(field, required=False)
        return None if value is None else self._text(field, value)

    def summary(self, body_html: str) -> str:
        given = self.optional_text("summary")
        if given:
            return given
        derived = first_paragraph_text(body_html)
        if not derived:
            self._problem("title", "no summary and no body text; readers will see only the title", warning=True)
        return derived

    def date(self, field: str, required: bool) -> PartialDate:
        value = self._value(field, required)
        if value is None:
            return _PLACEHOLDER_DATE if required else None  # type: ignore[return-value]
        try:
            return parse_date(value)
        except DateError as error:
            self._problem(field, f"{field} {error}")
            return _PLACEHOLDER_DATE

    def kind(self) -> EntryKind:
        value = self._value("type", required=True)
        if value is None:
            return EntryKind.ARTICLE
        try:
            return EntryKind(str(value).strip().lower())
        except ValueError:
            choices = " or ".join(f"'{kind.value}'" for kind in EntryKind)
            self._problem("type", f"'type' is {describe_value(value)}; use {choices}")
            return EntryKind.ARTICLE

    def partners(self) -> tuple[Partner, ...]:
        problems_before = len(self.problems)
        whole = self.source.fields.get("countries")
        if isinstance(whole, str) and _resolves(whole):
            items: list[tuple[int | None, str]] = [(None, whole.strip())]  # "Korea, Republic of" is one name
        else:
            items = self._list("countries", required=True, split_commas=True, most=MAX_PARTNERS)
        partners: list[Partner] = []
        for position, item in items:
            try:
                partner = resolve_partner(item)
            except PartnerError as error:
                self._problem("countries", str(error), item=position)
                continue
            if partner not in partners:
                partners.append(partner)
        if not partners and len(self.problems) == problems_before:
            self._problem("countries", "'countries' needs at least one partner")
        return tuple(partners)

    def tags(self, vocabulary: Mapping[str, TagInfo] | None) -> tuple[str, ...]:
        """Tags in their address form ('Air defense' is air-defense), from the vocabulary when there is one."""
        tags: list[str] = []
        for position, item in self._list("tags", required=False, split_commas=True, most=MAX_TAGS):
            tag = slugify(item)
            if not tag:
                message = f"tag '{item}' has no Latin or Cyrillic letters or digits to make a web address from"
                self._problem("tags", message, item=position)
            elif len(tag) > MAX_NAME_BYTES:
                message = f"tag '{tag[:40]}…' is {len(tag):,} characters long; a tag has at most {MAX_NAME_BYTES}"
                self._problem("tags", message, item=position)
            elif vocabulary is not None and tag not in vocabulary:
                self._problem("tags", _unknown_tag_message(item, vocabulary), item=position)
            elif tag not in tags:
                tags.append(tag)
        return tuple(tags)

    def sources(self) -> tuple[SourceLink, ...]:
        value = self._value("sources", required=False)
        items = [value] if isinstance(value, str | dict) else value if isinstance(value, list) else []
        if value is not None and not isinstance(value, str | dict | list):
            self._problem("sources", f"'sources' must be a list of URLs, not {describe_value(value)}")
        links = (self._source_link(item, position) for position, item in enumerate(items))
        return tuple(link for link in links if link is not None)

    def _source_link(self, item: object, position: int) -> SourceLink | None:
        title: object = None
        archived: object = None
        if isinstance(item, dict):
            extra = sorted(str(key) for key in item if key not in ("title", "url", "archived"))
            if extra:
                message = f"a source has unknown keys {', '.join(extra)}; use 'title', 'url' and 'archived'"
                self._problem("sources", message, warning=True, item=position)
            if "url" not in item:
                self._problem("sources", f"source {describe_value(item.get('title'))} has no 'url'", item=position)
                return None
            title, archived, item = item.get("title"), item.get("archived"), item.get("url")
        if not isinstance(item, str) or not _is_web_url(item.strip()):
            self._problem("sources", f"source {describe_value(item)} is not an http(s) URL", item=position)
            return None
        if archived is not None and (not isinstance(archived, str) or not _is_web_url(archived.strip())):
            message = f"the archived copy {describe_value(archived)} is not an http(s) URL"
            self._problem("sources", message, item=position)
            archived = None
        url = item.strip()
        label = self._text("sources", title, item=position) if title is not None else None
        return SourceLink(title=label or host_of(url), url=url, archived=(archived or "").strip())

    def corrections(self) -> tuple[Correction, ...]:
        """`corrections:`, a list of {date, note}: what was corrected after publication, and when."""
        value = self._value("corrections", required=False)
        if value is None:
            return ()
        if not isinstance(value, list):
            self._problem("corrections", "'corrections' must be a list of {date, note}, such as "
                          "'- {date: 2026-06-10, note: The amount was in dollars, not euros.}'")  # fmt: skip
            return ()
        if len(value) > MAX_CORRECTIONS:
            message = f"'corrections' lists {len(value):,} items; at most {MAX_CORRECTIONS} are allowed"
            self._problem("corrections", message)
            return ()
        found = []
        for position, item in enumerate(value):
            if not isinstance(item, dict) or "date" not in item or not one_line(item.get("note")):
                message = ("each correction needs a 'date' and a 'note' saying what was corrected, such as "
                           "'{date: 2026-06-10, note: The amount was in dollars, not euros.}'")  # fmt: skip
                self._problem("corrections", message, item=position)
                continue
            extra = sorted(str(key) for key in item if key not in ("date", "note"))
            if extra:
                message = f"a correction has unknown keys {', '.join(extra)}; use 'date' and 'note'"
                self._problem("corrections", message, warning=True, item=position)
            try:
                day = parse_date(item["date"])
            except DateError as error:
                self._problem("corrections", f"correction date {error}", item=position)
                continue
            found.append(Correction(day, one_line(item["note"]) or ""))
        return tuple(sorted(found, key=lambda correction: correction.date.sort_day))

    def slug(self) -> str:
        value = self._value("slug", required=False)
        if value is None:
            stem = self.source.relative.stem
            slug = slugify(stem)
            if not slug or not _fully_romanised(stem):
                suggestion = f" such as 'slug: {slug}'" if slug else ""
                self._problem("title", f"file name '{stem}' cannot be a web address; add a 'slug:' field{suggestion}")
            elif len(slug) > MAX_NAME_BYTES:
                message = f"the file name makes a slug of {len(slug):,} characters; add a 'slug:' of at most"
                self._problem("title", f"{message} {MAX_NAME_BYTES}, or rename the file")
            return slug or "invalid"
        text = remove_invisible_characters(str(value))
        if not SLUG_PATTERN.fullmatch(text):
            suggestion = slugify(text)
            hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
            message = f"slug '{text}' may only hold lower-case letters, digits, '-' and '_'{hint}{odd_letters(text)}"
            self._problem("slug", message)
            return suggestion or "invalid"
        if len(text) > MAX_NAME_BYTES:
            self._problem("slug", f"slug is {len(text):,} characters long; a slug has at most {MAX_NAME_BYTES}")
        return text

    def draft(self) -> bool:
        value = self._value("draft", required=False)
        if value is None:
            return False
        if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
            return _BOOLEANS[value.strip().lower()]
        self._problem("draft", f"'draft' must be true or false, not {describe_value(value)}")
        return False

    def _list(
        self, field: str, required: bool, split_commas: bool, most: int | None = None
    ) -> list[tuple[int | None, str]]:
        """Text items with their list position (None for the parts of a string, which is a list of one, or of
        its parts). More than `most` items are an error at the field, and none of them is read."""
        value = self._value(field, required)
        if value is None:
            return []
        if isinstance(value, str):
            parts = re.split(r"[,;]", value) if split_commas else [value]
            value = [part.strip() for part in parts if part.strip()]
            positions: list[int | None] = [None] * len(value)
        elif isinstance(value, list):
            positions = list(range(len(value)))
        else:
            self._problem(field, f"'{field}' must be a list, not {describe_value(value)}")
            return []
        if most is not None and len(value) > most:
            self._problem(field, f"'{field}' lists {len(value):,} items; an entry may have at most {most}")
            return []
        items = []
        for position, item in zip(positions, value, strict=True):
            text = self._text(field, item, item=position)
            if text is not None:
                items.append((position, text))
        return items

    def agreement_references(self) -> tuple[AgreementRef, ...]:
        """The agreements named in `agreement:`, one id or a list of them; their existence is checked later,
        against every agreement file."""
        references = []
        for position, item in self._list("agreement", required=False, split_commas=True):
            if not SLUG_PATTERN.fullmatch(item):
                message = f"agreement '{item}' is not an agreement id: the file name under agreements/, such as uk-2024"
                self._problem("agreement", message, item=position)
                continue
            lines = self.source.item_lines.get("agreement", ())
            line = lines[position] if position is not None and position < len(lines) else self.line("agreement")
            references.append(AgreementRef(item, line))
        return tuple(references)

    def stage(self, agreements: tuple[AgreementRef, ...]) -> tuple[Stage | None, int]:
        """The step of its agreement(s) the entry reports, and the line it is on; required with `agreement`."""
        value = self._value("stage", required=False)
        stages = ", ".join(stage.value for stage in Stage)
        if value is None:
            if agreements or "agreement" in self.source.fields:
                self._problem("agreement", f"'agreement' needs a 'stage': which step this entry reports ({stages})")
            return None, 1
        if not agreements and "agreement" not in self.source.fields:
            self._problem("stage", "'stage' is given without 'agreement': name the agreement this is a step of")
        try:
            return Stage(str(value).strip().lower()), self.line("stage")
        except ValueError:
            self._problem("stage", f"unknown stage {describe_value(value)}; use one of {stages}")
            return None, 1

    def amount(self) -> Amount | None:
        value = self._value("amount", required=False)
        if value is None:
            return None
        try:
            return parse_amount(value)
        except AmountError as error:
            self._problem("amount", str(error))
            return None

    def line(self, field: str) -> int:
        return self.source.field_lines.get(field, 1)

    def warn_unknown(self, known_fields: Sequence[str]) -> None:
        for field in self.source.fields:
            if field not in known_fields:
                matches = difflib.get_close_matches(str(field), known_fields, n=1)
                hint = f" (did you mean '{matches[0]}'?)" if matches else ""
                known = ", ".join(known_fields)
                odd = odd_letters(str(field))
                self._problem(field, f"unknown field '{field}' is ignored{hint}{odd}; known fields: {known}", True)


_PLACEHOLDER_DATE = parse_date("1900")  # stands in for a missing or broken date; the entry is dropped anyway


def _unknown_tag_message(tag: str, vocabulary: Mapping[str, TagInfo]) -> str:
    names = {slug: slug for slug in vocabulary} | {info.label.casefold(): slug for slug, info in vocabulary.items()}
    matches = difflib.get_close_matches(tag.casefold(), names, n=1, cutoff=0.6)
    hint = f" (did you mean '{names[matches[0]]}'?)" if matches else ""
    return f"unknown tag '{tag}'{hint}{odd_letters(tag)}; the tags are listed in tags.yaml"


def _resolves(text: str) -> bool:
    try:
        resolve_partner(text)
    except PartnerError:
        return False
    return True


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(char.isspace() for char in url)
