"""Euro exchange rates: the annual averages a site converts amounts with, from content/eur-rates.csv.

Each row gives, for a year and a currency, how many units of it a euro bought on average, and where that
figure comes from (shown on the site). An amount is converted at the rate of the year of the entry that
states it: an annual average is not the rate on the day, and the pages say so.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType

from timeline.amounts import known_currencies
from timeline.content import link_warning, read_file
from timeline.errors import ContentError

RATES_FILE = "eur-rates.csv"
COLUMNS = ("year", "currency", "units_per_eur", "source_name", "source_url", "method")


@dataclass(frozen=True, slots=True)
class Rate:
    """One annual average: how many units of `currency` a euro bought in `year`."""

    year: int
    currency: str
    units_per_eur: Decimal
    source_name: str
    source_url: str
    method: str  # "published annual average", "mean of 255 daily fixings"


EurRates = Mapping[tuple[int, str], Rate]


def read_rates(content_dir: Path) -> tuple[EurRates, list[ContentError]]:
    """The rates in content/eur-rates.csv (none if there is no such file), and the problems of bad rows."""
    path = content_dir / RATES_FILE
    if path.is_symlink():
        return MappingProxyType({}), [link_warning(path)]
    if not path.is_file():
        return MappingProxyType({}), []
    raw, problems = read_file(path, content_dir)
    if raw is None:
        return MappingProxyType({}), problems
    try:
        text = raw.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return MappingProxyType({}), [ContentError(path, 1, "is not valid UTF-8; save it as UTF-8")]
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
    if missing:
        message = f"needs the columns {', '.join(COLUMNS)}; missing {', '.join(missing)}"
        return MappingProxyType({}), [ContentError(path, 1, message)]
    rates: dict[tuple[int, str], Rate] = {}
    for row in reader:
        line = reader.line_num
        rate = _rate(row)
        if isinstance(rate, str):
            problems.append(ContentError(path, line, rate))
        elif (rate.year, rate.currency) in rates:
            problems.append(ContentError(path, line, f"{rate.currency} in {rate.year} is given twice; keep one row"))
        else:
            rates[(rate.year, rate.currency)] = rate
    return MappingProxyType(rates), problems


def _rate(row: dict[str, str]) -> Rate | str:
    """The row's rate, or what is wrong with it."""
    year, currency = (row.get("year") or "").strip(), (row.get("currency") or "").strip().upper()
    if not (year.isdigit() and len(year) == 4):
        return f"year '{year}' must be four digits"
    if currency not in known_currencies():
        return f"unknown currency '{currency}'; use an ISO 4217 code such as USD"
    try:
        units = Decimal((row.get("units_per_eur") or "").strip())
    except InvalidOperation:
        units = Decimal(0)
    if not units.is_finite() or units <= 0:
        return f"units_per_eur '{row.get('units_per_eur')}' must be a positive number"
    source_url = (row.get("source_url") or "").strip()
    if not source_url.startswith("https://"):
        return "source_url must be an https address of the figures"
    name, method = (row.get("source_name") or "").strip(), (row.get("method") or "").strip()
    return Rate(int(year), currency, units, name or source_url, source_url, method)


def in_euros(total: Decimal, currency: str, year: int, rates: EurRates) -> Decimal | None:
    """`total` in euros, to the nearest euro, at the average rate of `year`; None without a rate."""
    if currency == "EUR":
        return total
    rate = rates.get((year, currency))
    if rate is None:
        return None
    return (total / rate.units_per_eur).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
