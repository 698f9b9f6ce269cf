"""Amounts of money as editors write them ("£2.5bn", or a mapping), kept exact, shown per language.

The number is kept as the decimal the editor wrote (a Decimal, never a float), so that 7.1 billion is
7100000000 in the data files too. Currencies are ISO 4217 codes; the symbols editors use for the main ones
are accepted, and an ambiguous one (a bare "kr") is refused rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import (
    format_compact_decimal,
    format_decimal,
    get_currency_name,
    get_currency_symbol,
    list_currencies,
)

from timeline.errors import describe_value

# Symbols and prefixes editors write for currencies, longest first when matched.
CURRENCY_SYMBOLS = {"US$": "USD", "CA$": "CAD", "AU$": "AUD", "C$": "CAD", "A$": "AUD", "€": "EUR", "£": "GBP",
                    "$": "USD", "¥": "JPY", "₴": "UAH", "zł": "PLN"}  # fmt: skip
AMBIGUOUS_SYMBOLS = {"kr": "NOK, SEK, DKK or ISK", "kr.": "NOK, SEK, DKK or ISK", "kč": "CZK"}
UNITS = {"thousand": 3, "million": 6, "billion": 9}  # power of ten
UNIT_ABBREVIATIONS = {"k": "thousand", "th": "thousand", "m": "million", "mn": "million", "mln": "million",
                      "bn": "billion", "b": "billion", "bln": "billion"}  # fmt: skip
AMOUNT_FIELDS = ("value", "unit", "currency", "scope")
_NUMBER = r"(?P<number>-?\d[\d,]*(?:\.\d+)?|-?\.\d+)"
_UNIT = r"(?P<unit>[A-Za-z]+)"
# "£2.5bn", "NOK 5bn", "5bn NOK", "€1.8 billion", "1,000,000 EUR": a currency before or after, a unit or not.
_TEXT = re.compile(rf"(?P<sign>-)?(?P<before>[^\d\s.,-]+)?\s*{_NUMBER}(?:\s*{_UNIT})??(?:\s+(?P<after>[A-Za-z]{{3}}))?")
_HINT = "write it as '£2.5bn', '€500m', 'NOK 5bn' or {value: 2.5, unit: billion, currency: GBP}"


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum of money as a source states it."""

    value: Decimal  # as written: 2.5 for "£2.5bn"
    unit: str  # "", "thousand", "million" or "billion"
    currency: str  # ISO 4217 code: GBP
    scope: str  # what the money is for, as the editor put it; "" when not said

    @property
    def total(self) -> Decimal:
        """The whole number the amount stands for: 2500000000 for £2.5bn, exactly."""
        return _plain(self.value.scaleb(UNITS.get(self.unit, 0)))


class AmountError(ValueError):
    """A value that is not an amount of money we can read."""


def parse_amount(value: object) -> Amount:
    """Read an `amount` front-matter value; raise AmountError with a fix if it is not one."""
    if isinstance(value, dict):
        return _from_mapping(value)
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return _from_text(str(value))
    raise AmountError(f"'amount' must be text such as '£2.5bn' or a mapping, not {describe_value(value)}; {_HINT}")


def _from_text(text: str) -> Amount:
    cleaned = " ".join(text.split())
    match = _TEXT.fullmatch(cleaned)
    if match is None:
        raise AmountError(f"amount '{cleaned}' is not a number with a currency; {_HINT}")
    before, unit, after = match.group("before"), match.group("unit") or "", match.group("after")
    if match.group("sign") or match.group("number").startswith("-"):
        raise AmountError(f"amount '{cleaned}' must be a positive number; {_HINT}")
    if not after and unit.upper() in known_currencies() and unit.lower() not in UNIT_ABBREVIATIONS:
        unit, after = "", unit  # "1,000,000 EUR": the word after the number is the currency
    if before and after:
        raise AmountError(f"amount '{cleaned}' names its currency twice; {_HINT}")
    currency = _currency(before or after or "", cleaned)
    return Amount(_number(match.group("number"), cleaned), _unit(unit.lower(), cleaned), currency, "")


def _from_mapping(mapping: dict) -> Amount:
    extra = sorted(str(key) for key in mapping if key not in AMOUNT_FIELDS)
    if extra:
        raise AmountError(f"amount has unknown keys {', '.join(extra)}; use {', '.join(AMOUNT_FIELDS)}")
    raw = mapping.get("value")
    if raw is None or isinstance(raw, bool | dict | list):
        raise AmountError(f"amount needs a 'value' that is a number, not {describe_value(raw)}; {_HINT}")
    written = str(raw)
    currency = mapping.get("currency")
    if not isinstance(currency, str) or not currency.strip():
        raise AmountError(f"amount needs a 'currency', an ISO 4217 code such as GBP; {_HINT}")
    unit = mapping.get("unit") or ""
    if not isinstance(unit, str):
        raise AmountError(f"amount 'unit' must be thousand, million or billion, not {describe_value(unit)}")
    scope = mapping.get("scope") or ""
    if not isinstance(scope, str | int | float) or isinstance(scope, bool):
        raise AmountError(f"amount 'scope' must be text, not {describe_value(scope)}")
    return Amount(
        _number(written, written), _unit(unit.strip().lower(), written), _currency(currency, written),
        " ".join(str(scope).split()),
    )  # fmt: skip


def _number(text: str, shown: str) -> Decimal:
    digits = text.strip().replace(",", "")
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise AmountError(f"amount '{shown}' is not a number; {_HINT}") from None
    if not number.is_finite() or number <= 0:
        raise AmountError(f"amount '{shown}' must be a positive number; {_HINT}")
    return number


def _unit(text: str, shown: str) -> str:
    unit = UNIT_ABBREVIATIONS.get(text, text)
    if unit and unit not in UNITS:
        raise AmountError(f"amount '{shown}' has the unit '{text}'; use thousand, million or billion (k, m, bn)")
    return unit


def _currency(text: str, shown: str) -> str:
    given = text.strip()
    folded = given.lower()
    if folded in AMBIGUOUS_SYMBOLS:
        raise AmountError(
            f"amount '{shown}': '{given}' could be {AMBIGUOUS_SYMBOLS[folded]}; write the ISO code, such as NOK"
        )
    for symbol, code in CURRENCY_SYMBOLS.items():
        if folded == symbol.lower():
            return code
    if given.upper() in known_currencies():
        return given.upper()
    if not given:
        raise AmountError(f"amount '{shown}' has no currency; {_HINT}")
    raise AmountError(
        f"amount '{shown}': unknown currency '{given}'; use an ISO 4217 code such as EUR, USD, GBP, NOK or SEK, "
        f"or one of the symbols {', '.join(CURRENCY_SYMBOLS)}"
    )


@lru_cache(maxsize=1)
def known_currencies() -> frozenset[str]:
    """Every ISO 4217 currency code CLDR knows."""
    return frozenset(list_currencies())


def format_money(total: Decimal, currency: str, language: str = "en") -> str:
    """'£2.5 billion', 'CA$3.02 billion', 'DKK 4.2 billion', '€500,000'; in Ukrainian, as its press writes
    money, with the currency's name: '2,5 млрд фунтів стерлінгів', '500 000 євро'."""
    digits = max(0, -_magnitude_exponent(total))
    if language != "en":
        return _in_words(total, currency, language, digits)
    if total >= 1_000_000:
        number = format_compact_decimal(total, format_type="long", locale=language, fraction_digits=digits)
    else:
        number = format_decimal(total, locale=language)
    symbol = get_currency_symbol(currency, locale=language)
    spacer = "\u00a0" if symbol[-1:].isalpha() else ""
    return f"{symbol}{spacer}{number}"


def _in_words(total: Decimal, currency: str, language: str, digits: int) -> str:
    """The number in the language's short compact form ('2,5 млрд') and the currency's name in the form the
    number asks for (after 'млрд' the genitive plural: 'доларів США')."""
    if total >= 1_000_000:
        number = format_compact_decimal(total, format_type="short", locale=language, fraction_digits=digits)
        name = get_currency_name(currency, count=5, locale=language)
    else:
        number = format_decimal(total, locale=language)
        name = get_currency_name(currency, count=total, locale=language)
    return f"{number}\u00a0{name}"


def _magnitude_exponent(total: Decimal) -> int:
    """The exponent of the last significant digit once the number is put in thousands, millions or
    billions, as the compact form shows it: 3020000000 -> -2 (3.02 billion)."""
    scale = next((power for power in (9, 6, 3) if abs(total) >= Decimal(10) ** power), 0)
    shown = total.scaleb(-scale).normalize()
    return min(0, shown.as_tuple().exponent)  # type: ignore[arg-type]


def _plain(number: Decimal) -> Decimal:
    """The same number with no exponent and no trailing zeros after the point: 2.5E+9 -> 2500000000."""
    if number == number.to_integral_value():
        return Decimal(int(number))
    return Decimal(format(number.normalize(), "f"))


def decimal_text(number: Decimal) -> str:
    """A number as JSON and CSV write it: exact, plain digits, no exponent."""
    return format(_plain(number), "f")
