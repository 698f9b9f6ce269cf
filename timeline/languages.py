"""The site's languages: where each one's pages live, and the words, dates, numbers and names it uses.

The first language in site.toml's `languages` is the default: its pages are at the site's root; every other
language mirrors them under its code (`uk/entries/<slug>/`). Interface words come from gettext catalogs
(locales/<code>/LC_MESSAGES/messages.po, made with Babel), compiled when first needed; dates,
numbers and country names come from CLDR through Babel.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from timeline.dates import DatePrecision, PartialDate, Qualifier

LOCALES = Path(__file__).resolve().parent.parent / "locales"  # <code>/LC_MESSAGES/messages.po
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"  # the language the interface is written in: the catalogs' message ids
# What each language is called in itself, for the language switcher.
OWN_NAMES = {"en": "English", "uk": "Українська"}
# The Ukrainian alphabet, for sorting names the way a Ukrainian reader expects (Unicode puts Є, І, Ї and Ґ
# before А).
_UKRAINIAN = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_UKRAINIAN_RANK = {letter: index for index, letter in enumerate(_UKRAINIAN)}


@dataclass(frozen=True, slots=True)
class Language:
    """One of the site's languages, as pages need to know it."""

    code: str  # BCP 47: "en", "uk"
    prefix: str  # where its pages are, relative to the site's root: "" for the default language, "uk/"
    name: str  # in itself: "Українська"
    default: bool

    @property
    def depth(self) -> int:
        """How many folders deep its pages' root is: 0 or 1."""
        return self.prefix.count("/")


def site_languages(codes: tuple[str, ...]) -> tuple[Language, ...]:
    """The languages of a site, the default first."""
    return tuple(
        Language(code, "" if index == 0 else f"{code}/", OWN_NAMES.get(code, code), index == 0)
        for index, code in enumerate(codes)
    )


class Words:
    """A language's interface words (gettext), and its dates, numbers and collation."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.locale = Locale.parse(code.replace("-", "_"))
        self.translations = _translations(code)

    def __call__(self, message: str, **values: object) -> str:
        """The message in this language, with `values` filled in: _("Entries about %(name)s", name="Italy")."""
        text = self.translations.gettext(message)
        return text % values if values else text

    def plural(self, singular: str, plural: str, number: int, **values: object) -> str:
        """The form for `number` (Ukrainian has three: 1 запис, 2 записи, 5 записів), with %(count)s filled in
        as the language writes numbers."""
        text = self.translations.ngettext(singular, plural, number)
        return text % {"count": self.number(number), **values}

    def number(self, value: int | Decimal) -> str:
        """'1,234', '1 234'; a decimal with all the digits it was given ('1.1300', '1,1300')."""
        exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
        digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return format_decimal(value, "#,##0" + ("." + "0" * digits if digits else ""), locale=self.locale)

    def date(self, value: PartialDate) -> str:
        """A date at its precision, with how sure it is: '3 June 2026', 'June 2026', '2026', 'about June 2026',
        'by 3 June 2026', 'after May 2026', '3 June 2026 (unconfirmed)'; '3 червня 2026', 'червень 2026',
        'не пізніше 3 червня 2026'. Never a bare day where the sources give none."""
        _ = self
        if value.qualifier is Qualifier.UNCERTAIN:
            return _("%(date)s (unconfirmed)", date=self._plain(value))
        if value.qualifier is None:
            return self._plain(value)
        year = value.start.year
        if value.qualifier is Qualifier.APPROXIMATE:
            return (
                _("about %(year)s", year=year)
                if value.precision is DatePrecision.YEAR
                else _("about %(date)s", date=self._governed(value))
            )
        if value.qualifier is Qualifier.BEFORE:
            return (
                _("by %(year)s", year=year)
                if value.precision is DatePrecision.YEAR
                else _("by %(date)s", date=self._governed(value))
            )
        return _("after %(year)s", year=year) if value.precision is DatePrecision.YEAR else _(
            "after %(date)s", date=self._governed(value))  # fmt: skip

    def _plain(self, value: PartialDate) -> str:
        if value.precision is DatePrecision.YEAR:
            return str(value.start.year)
        if value.precision is DatePrecision.MONTH:
            return self.month(value.start)
        return self.day(value.start)

    def _governed(self, value: PartialDate) -> str:
        """A day or a month as a preposition governs it: the month in the genitive where the language has one
        ('близько червня 2026'); in English the same as on its own."""
        if value.precision is DatePrecision.MONTH:
            return format_date(value.start, "MMMM y", locale=self.locale)
        return self.day(value.start)

    def day(self, day: date) -> str:
        """'3 June 2026', '3 червня 2026'."""
        return format_date(day, "d MMMM y", locale=self.locale)

    def month(self, day: date) -> str:
        """'June 2026', 'червень 2026': the month on its own, as a heading reads."""
        return format_date(day, "LLLL y", locale=self.locale)

    def month_name(self, month: int) -> str:
        return self.locale.months["stand-alone"]["wide"][month]

    def sort_key(self, text: str) -> str | tuple[tuple[int, str], ...]:
        """A key that orders names as this language's readers expect."""
        folded = unicodedata.normalize("NFC", text.casefold())
        if self.code != "uk":
            return folded
        return tuple((_UKRAINIAN_RANK.get(letter, -1), letter) for letter in folded)


def foreign(text_language: str, language: str) -> str:
    """The language of some words where it is not the page's `language` ("" for the site's default or the
    page's own): what a page marks with lang=, so that screen readers switch voice."""
    return text_language if text_language not in ("", language) else ""


def open_graph_locale(code: str) -> str:
    """A language as Open Graph names locales: 'uk' -> 'uk_UA', 'en' -> 'en_US' (CLDR's likely territory)."""
    likely = get_global("likely_subtags").get(code, code)
    territory = Locale.parse(likely).territory
    return f"{code}_{territory}" if territory else code


@lru_cache(maxsize=1)
def interface_languages() -> frozenset[str]:
    """The languages the interface can be shown in: English, and every language with a catalog."""
    found = {path.parent.parent.name for path in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return frozenset({SOURCE_LANGUAGE, *found})


@lru_cache(maxsize=8)
def words(code: str) -> Words:
    """The words of the language `code`; the same object every time."""
    return Words(code)


@lru_cache(maxsize=8)
def _translations(code: str) -> NullTranslations:
    """The language's catalog, compiled in memory from its .po file; the messages themselves for English."""
    po = LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return NullTranslations()
    with po.open("rb") as file:
        catalog = read_po(file, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
