"""Partial dates: what an editor wrote, kept at the precision they gave."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING

from timeline.errors import describe_value

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
EARLIEST_YEAR = 1900
LATEST_YEAR = 2199
# The longest date written is about 30 characters ("on or before 24 February 2024"); dateparser takes minutes
# over a megabyte of words, so a longer value is refused before it is parsed.
MAX_DATE_CHARACTERS = 100

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")
_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_HINT = "write it as 2024-02-16, 2024-02, 2024, '16 February 2024' or 'February 2024'"
_QUALIFIED_HINT = "qualify a date as 'about June 2026', 'by 3 June 2026', 'after May 2026' or '2026-06-03?'"


class DatePrecision(Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Qualifier(Enum):
    """How sure a date is, as honest reporting says it."""

    APPROXIMATE = "approximate"  # "about June 2026", "c. 2019", "circa 2019"
    UNCERTAIN = "uncertain"  # "2026-06-03?": the sources disagree or do not confirm it
    BEFORE = "before"  # "by 3 June 2026", "before 2020", "on or before 3 June 2026"
    AFTER = "after"  # "after May 2026", "on or after 2 May 2026"


# Words before a date that qualify it, longest first; a trailing "?" makes it uncertain.
_QUALIFYING_WORDS = (
    (re.compile(r"(on or before|before|by)\s+", re.IGNORECASE), Qualifier.BEFORE),
    (re.compile(r"(on or after|after)\s+", re.IGNORECASE), Qualifier.AFTER),
    (re.compile(r"(about|around|approximately|circa|ca\.|c\.)\s*", re.IGNORECASE), Qualifier.APPROXIMATE),
)


_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
# The forms editors write most, read without dateparser (which is slow); anything else goes to dateparser.
_COMMON_FORMS = (
    (re.compile(rf"(?P<day>\d{{1,2}}) {_MONTH},? (?P<year>\d{{4}})"), DatePrecision.DAY),  # 24 February 2024
    (re.compile(rf"{_MONTH} (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})"), DatePrecision.DAY),  # February 24, 2024
    (re.compile(rf"{_MONTH},? (?P<year>\d{{4}})"), DatePrecision.MONTH),  # February 2024
    (re.compile(r"(?P<day>\d{1,2})\.(?P<number>\d{1,2})\.(?P<year>\d{4})"), DatePrecision.DAY),  # 24.02.2024
)


class DateError(ValueError):
    """A value that is not a date we can place on the timeline."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A day, a month or a year, perhaps qualified; `start` is the first day of that period."""

    start: date  # "February 2024" -> 2024-02-01; never an invented day
    precision: DatePrecision
    qualifier: Qualifier | None = None  # "about", "by", "after", or "?"

    @property
    def end(self) -> date:
        """The last day of the period: 2024-02-29 for February 2024."""
        if self.precision is DatePrecision.DAY:
            return self.start
        if self.precision is DatePrecision.MONTH:
            following = date(self.start.year + self.start.month // 12, self.start.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date(self.start.year, 12, 31)

    @property
    def sort_day(self) -> date:
        """Where it stands in the timeline: a "by" date at the latest day it allows (it happened then at the
        latest), every other date at the first day of its period."""
        return self.end if self.qualifier is Qualifier.BEFORE else self.start

    @property
    def edtf(self) -> str:
        """The Library of Congress Extended Date/Time Format: '2026-06-03?', '2026-06~', '../2026-06-03',
        '2026-05/..', or the plain ISO form."""
        if self.qualifier is Qualifier.UNCERTAIN:
            return f"{self.iso}?"
        if self.qualifier is Qualifier.APPROXIMATE:
            return f"{self.iso}~"
        if self.qualifier is Qualifier.BEFORE:
            return f"../{self.iso}"
        if self.qualifier is Qualifier.AFTER:
            return f"{self.iso}/.."
        return self.iso

    @property
    def iso(self) -> str:
        """The ISO form cut to the precision: '2024', '2024-02' or '2024-02-16'."""
        if self.precision is DatePrecision.YEAR:
            return f"{self.start.year:04d}"
        if self.precision is DatePrecision.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()

    @property
    def label(self) -> str:
        """How it reads in English (in messages; pages use languages.Words.date): '2024', 'February 2024',
        '16 February 2024', 'by 3 June 2026', '3 June 2026 (unconfirmed)'."""
        if self.precision is DatePrecision.YEAR:
            plain = str(self.start.year)
        elif self.precision is DatePrecision.MONTH:
            plain = f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        else:
            plain = f"{self.start.day} {MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        return {None: "{}", Qualifier.APPROXIMATE: "about {}", Qualifier.BEFORE: "by {}", Qualifier.AFTER: "after {}",
                Qualifier.UNCERTAIN: "{} (unconfirmed)"}[self.qualifier].format(plain)  # fmt: skip


def parse_date(value: object) -> PartialDate:
    """Read a front-matter date value; raise DateError with a fix if it is not one."""
    if isinstance(value, datetime):
        return _checked(value.date(), DatePrecision.DAY)
    if isinstance(value, date):
        return _checked(value, DatePrecision.DAY)
    if isinstance(value, int) and not isinstance(value, bool):
        return _parse_text(str(value))
    if isinstance(value, str):
        if len(value) > MAX_DATE_CHARACTERS:
            raise DateError(f"is {len(value):,} characters long; a date has at most {MAX_DATE_CHARACTERS}: {_HINT}")
        return _parse_text(value)
    raise DateError(f"must be a date, not {describe_value(value)}; {_HINT}")


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> PartialDate:
    text = " ".join(text.split())
    if not text:
        raise DateError(f"is empty; {_HINT}")
    if any(mark in text for mark in ("~", "%", "..")):
        return _parse_edtf(text)
    qualified, qualifier = _qualifier(text)
    if qualifier is None:
        return _parse_plain(text)
    if _qualifier(qualified)[1] is not None:
        raise DateError(f"'{text}' qualifies the date twice; use one of 'about', 'by', 'after' or a final '?'")
    return replace(_parse_plain(qualified), qualifier=qualifier)


def _parse_edtf(text: str) -> PartialDate:
    """A date written in the Extended Date/Time Format (2026-06~, ../2026-06-03, 2026-05/..), read with the
    edtf library so that a malformed one is refused as such."""
    from edtf import parse_edtf  # imported on first use: most dates are plain
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parse_edtf(text)
    except EDTFParseException:
        raise DateError(f"'{text}' is not a date in the Extended Date/Time Format; {_QUALIFIED_HINT}") from None
    if text.startswith("../") and "/" not in text[3:]:
        return replace(_parse_iso_only(text[3:], text), qualifier=Qualifier.BEFORE)
    if text.endswith("/..") and "/" not in text[:-3]:
        return replace(_parse_iso_only(text[:-3], text), qualifier=Qualifier.AFTER)
    if text.endswith("~") and not any(mark in text[:-1] for mark in "~?%/"):
        return replace(_parse_iso_only(text[:-1], text), qualifier=Qualifier.APPROXIMATE)
    raise DateError(f"'{text}' is an EDTF form this timeline does not show; {_QUALIFIED_HINT}")


def _parse_iso_only(iso: str, text: str) -> PartialDate:
    parsed = _parse_iso(iso)
    if parsed is None:
        raise DateError(f"'{text}' is not a date in the Extended Date/Time Format; {_QUALIFIED_HINT}")
    return parsed


def _qualifier(text: str) -> tuple[str, Qualifier | None]:
    """The date without its qualifying words, and what they say."""
    if text.endswith("?"):
        return text[:-1].rstrip(), Qualifier.UNCERTAIN
    for pattern, qualifier in _QUALIFYING_WORDS:
        match = pattern.match(text)
        if match and match.end() < len(text):
            return text[match.end() :], qualifier
    return text, None


def _parse_plain(text: str) -> PartialDate:
    known = _parse_iso(text) or _parse_common(text)
    if known is not None:
        return known
    if not _FOUR_DIGIT_YEAR.search(text):
        raise DateError(f"'{text}' has no four-digit year; {_HINT}")
    data = _natural_language_parser().get_date_data(text)
    # period says 'day' even when nothing parsed, so look at the date first
    if data.date_obj is None:
        raise DateError(f"'{text}' is not a date we understand; {_HINT}")
    if data.period not in ("day", "month", "year"):
        raise DateError(f"'{text}' is a {data.period}, not a day, month or year; {_HINT}")
    return _checked(data.date_obj.date(), DatePrecision(data.period))


def _parse_iso(text: str) -> PartialDate | None:
    """The fast path for ISO forms; None if the text is not ISO-shaped."""
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        if _ISO_TIMESTAMP.fullmatch(text):
            return _parse_timestamp(text)
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if day is not None:
            return _checked(date(year, month, day), DatePrecision.DAY)
        if month is not None:
            return _checked(date(year, month, 1), DatePrecision.MONTH)
        return _checked(date(year, 1, 1), DatePrecision.YEAR)
    except ValueError as error:
        raise DateError(f"'{text}' is not a real date ({error}); {_HINT}") from None


def _parse_common(text: str) -> PartialDate | None:
    """English month names and dotted day-first dates; None where dateparser must decide."""
    for pattern, precision in _COMMON_FORMS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        month = int(parts["number"]) if parts.get("number") else _month_number(parts["month"])
        if month is None:
            return None
        try:
            day = date(int(parts["year"]), month, int(parts.get("day") or 1))
        except ValueError:
            return None  # dateparser words the error
        return _checked(day, precision)
    return None


def _month_number(name: str) -> int | None:
    """1-12 for a full English month name or its first three letters, in any case."""
    folded = name.lower()
    for number, month in enumerate(MONTH_NAMES, start=1):
        if folded == month.lower() or (len(folded) == 3 and month.lower().startswith(folded)):
            return number
    return None


def _parse_timestamp(text: str) -> PartialDate:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise DateError(f"'{text}' is not a valid timestamp; {_HINT}") from None
    # The calendar day as written: an event on 13 June in Kyiv stays on 13 June.
    return _checked(moment.date(), DatePrecision.DAY)


def _checked(day: date, precision: DatePrecision) -> PartialDate:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise DateError(f"year {day.year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}; check for a typo")
    return PartialDate(day, precision)


@lru_cache(maxsize=1)
def _natural_language_parser() -> DateDataParser:
    # Imported on first use: dateparser costs ~0.3 s to load, and ISO dates never need it.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en", "uk"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            "PREFER_MONTH_OF_YEAR": "first",
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
