"""Partial dates: what an editor wrote, kept at the precision they gave."""

from __future__ import annotations

import re
from dataclasses import dataclass
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

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")
_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_HINT = "write it as 2024-02-16, 2024-02, 2024, '16 February 2024' or 'February 2024'"


class DatePrecision(Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


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
    """A day, a month or a year; `start` is the first day of that period."""

    start: date  # "February 2024" -> 2024-02-01; never an invented day
    precision: DatePrecision

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
        """How readers see it: '2024', 'February 2024' or '16 February 2024'."""
        if self.precision is DatePrecision.YEAR:
            return str(self.start.year)
        month_year = f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        if self.precision is DatePrecision.MONTH:
            return month_year
        return f"{self.start.day} {month_year}"


def parse_date(value: object) -> PartialDate:
    """Read a front-matter date value; raise DateError with a fix if it is not one."""
    if isinstance(value, datetime):
        return _checked(value.date(), DatePrecision.DAY)
    if isinstance(value, date):
        return _checked(value, DatePrecision.DAY)
    if isinstance(value, int) and not isinstance(value, bool):
        return _parse_text(str(value))
    if isinstance(value, str):
        return _parse_text(value)
    raise DateError(f"must be a date, not {describe_value(value)}; {_HINT}")


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> PartialDate:
    text = " ".join(text.split())
    if not text:
        raise DateError(f"is empty; {_HINT}")
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
