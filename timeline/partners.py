"""Ukraine's partners: ISO 3166 countries and a few organisations, by canonical code."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from babel import Locale

from timeline.errors import odd_letters

# The one list of multilateral partners accepted besides ISO 3166 countries.
# Each maps its code to its display name, a flag emoji (or "") and other names editors use.
ORGANISATIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "EU": ("European Union", "\U0001f1ea\U0001f1fa", ("European Union",)),
    "NATO": ("NATO", "", ("North Atlantic Treaty Organization", "North Atlantic Treaty Organisation")),
    "G7": ("G7", "", ("Group of Seven", "G-7")),
}

# The organisations' names in the site's other languages (countries' names come from CLDR, through Babel).
ORGANISATION_NAMES: dict[str, dict[str, str]] = {
    "uk": {"EU": "Європейський Союз", "NATO": "НАТО", "G7": "Велика сімка"},
}

# Everyday names that ISO 3166 does not list, and shorter display names than its own.
COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uae": "AE",
    "emirates": "AE",
    "turkey": "TR",
    "turkiye": "TR",
    "czech republic": "CZ",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "holland": "NL",
    "moldova": "MD",
    "russia": "RU",
    "vatican": "VA",
    "holy see": "VA",
    "ivory coast": "CI",
    "macedonia": "MK",
    "palestine": "PS",
}
DISPLAY_NAMES: dict[str, str] = {
    "US": "United States", "TR": "Türkiye", "VA": "Vatican City", "RU": "Russia", "PS": "Palestine",
    "CD": "DR Congo", "FM": "Micronesia", "BQ": "Caribbean Netherlands",
}  # fmt: skip
UKRAINE = "UA"


@dataclass(frozen=True, slots=True)
class Partner:
    """A country or organisation that Ukraine partners with."""

    code: str  # ISO 3166 alpha-2 ("IT") or an organisation code ("EU", "NATO", "G7")
    name: str  # display name: "Italy", "South Korea", "European Union"
    flag: str  # flag emoji, "" where there is none
    is_organisation: bool

    @property
    def slug(self) -> str:
        return self.code.lower()

    @property
    def url(self) -> str:
        """The partner's page, relative to the site root."""
        return f"partners/{self.slug}/"


def partner_in(partner: Partner, language: str) -> Partner:
    """The partner as pages in `language` name it: English names are the site's own (DISPLAY_NAMES, ISO 3166);
    other languages' come from CLDR's short common names (Італія, Велика Британія, Сполучені Штати)."""
    if language == "en":
        return partner
    name = _names_in(language).get(partner.code)
    return Partner(partner.code, name, partner.flag, partner.is_organisation) if name else partner


@lru_cache(maxsize=8)
def _names_in(language: str) -> dict[str, str]:
    return {**Locale.parse(language).territories, **ORGANISATION_NAMES.get(language, {})}


class PartnerError(ValueError):
    """A name or code we cannot match to one partner."""


def resolve_partner(text: str) -> Partner:
    """Match a name, alias or ISO code (any case) to its partner; raise PartnerError otherwise."""
    key = _fold(text)
    partner = _partner_index().get(key)
    if partner is None:
        raise PartnerError(_unknown_message(text, key))
    if partner.code == UKRAINE:
        raise PartnerError("Ukraine is implied on every entry; list only its partners")
    return partner


def _unknown_message(text: str, key: str) -> str:
    candidates = [name for name, partner in _partner_index().items() if partner.code != UKRAINE]
    matches = difflib.get_close_matches(key, candidates, n=1, cutoff=0.75)
    hint = f" (did you mean {_partner_index()[matches[0]].name}?)" if matches else ""
    return (
        f"unknown country '{text}'{hint}{odd_letters(text)}; use a country name, an ISO 3166 code such as IT or ITA, "
        f"or one of {', '.join(ORGANISATIONS)}"
    )


def _fold(text: str) -> str:
    """A forgiving key: 'Türkiye' meets 'TURKIYE', 'U.K.' meets 'UK', 'the Netherlands' meets 'Netherlands'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace(".", " "))
    words = "".join(char for char in decomposed if not unicodedata.combining(char)).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    joined: list[str] = []
    after_letter = False
    for word in words:  # single letters run together: 'u s a' (from U.S.A.) -> 'usa'
        if len(word) == 1 and after_letter:
            joined[-1] += word
        else:
            joined.append(word)
        after_letter = len(word) == 1
    return " ".join(joined)


@lru_cache(maxsize=1)
def _partner_index() -> dict[str, Partner]:
    index: dict[str, Partner] = {}
    for country in pycountry.countries:
        partner = _country_partner(country)
        names = (country.alpha_2, country.alpha_3, country.name,
                 getattr(country, "common_name", ""), getattr(country, "official_name", ""))  # fmt: skip
        for name in names:
            if name:
                index[_fold(name)] = partner
    for alias, code in COUNTRY_ALIASES.items():
        index[_fold(alias)] = index[_fold(code)]
    for code, (name, flag, other_names) in ORGANISATIONS.items():
        partner = Partner(code, name, flag, is_organisation=True)
        for key in (code, name, *other_names):
            index[_fold(key)] = partner
    return index


def _country_partner(country: object) -> Partner:
    code = country.alpha_2
    name = DISPLAY_NAMES.get(code) or getattr(country, "common_name", None) or country.name
    return Partner(code, name, _flag(code), is_organisation=False)


def _flag(alpha_2: str) -> str:
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in alpha_2)
