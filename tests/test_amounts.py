"""Amounts of money: every form editors write, kept exact, and refused with a fix when they cannot be read."""

from decimal import Decimal

import pytest

from timeline.amounts import AmountError, decimal_text, format_money, parse_amount


@pytest.mark.parametrize(
    ("written", "total", "currency"),
    [
        ("£2.5bn", "2500000000", "GBP"),
        ("€7.1bn", "7100000000", "EUR"),
        ("$61bn", "61000000000", "USD"),
        ("US$20bn", "20000000000", "USD"),
        ("C$3.02bn", "3020000000", "CAD"),
        ("A$ 1bn", "1000000000", "AUD"),
        ("NOK 5bn", "5000000000", "NOK"),
        ("5bn NOK", "5000000000", "NOK"),
        ("EUR 1.8 billion", "1800000000", "EUR"),
        ("€500m", "500000000", "EUR"),
        ("€ 250k", "250000", "EUR"),
        ("1,000,000 EUR", "1000000", "EUR"),
        ("2.5 bn GBP", "2500000000", "GBP"),
        ("JPY 4.5bn", "4500000000", "JPY"),
    ],
)
def test_every_form_of_an_amount_is_read_exactly(written, total, currency):
    amount = parse_amount(written)
    assert (decimal_text(amount.total), amount.currency) == (total, currency)


def test_a_mapping_keeps_the_decimal_as_written_with_its_scope():
    amount = parse_amount({"value": "0.1", "unit": "billion", "currency": "usd", "scope": " aid  for 2024 "})
    assert amount.value == Decimal("0.1") and decimal_text(amount.total) == "100000000"
    assert (amount.currency, amount.scope) == ("USD", "aid for 2024")
    assert decimal_text(parse_amount({"value": "3.02", "unit": "m", "currency": "CAD"}).total) == "3020000"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("kr 5bn", "could be NOK, SEK, DKK or ISK"),
        ("€0", "must be a positive number"),
        ("-€5m", "must be a positive number"),
        ("5bn", "has no currency"),
        ("2.5bn XYZ", "unknown currency 'XYZ'"),
        ("€5 gazillion", "unit 'gazillion'"),
        ("£2.5bn GBP", "names its currency twice"),
        ("a lot of money", "not a number with a currency"),
        ({"value": "2.5", "unit": "billion"}, "needs a 'currency'"),
        ({"value": "x", "currency": "EUR"}, "is not a number"),
        ({"value": "2", "currency": "EUR", "source": "x"}, "unknown keys source"),
        (["€5m"], "must be text"),
    ],
)
def test_what_is_not_an_amount_is_refused_with_a_fix(written, message):
    with pytest.raises(AmountError, match=message.replace("(", r"\(").replace(")", r"\)").replace("$", r"\$")):
        parse_amount(written)


def test_amounts_are_shown_in_the_currency_and_the_number_format_of_the_language():
    assert format_money(Decimal(2500000000), "GBP") == "£2.5 billion"
    assert format_money(Decimal(3020000000), "CAD") == "CA$3.02 billion"
    assert format_money(Decimal(4200000000), "DKK") == "DKK\u00a04.2 billion"
    assert format_money(Decimal(500000), "EUR") == "€500,000"
    # Ukrainian writes the currency's name, in the form the number asks for.
    assert format_money(Decimal(2500000000), "EUR", "uk") == "2,5\u00a0млрд\u00a0євро"
    assert format_money(Decimal(61000000000), "USD", "uk") == "61\u00a0млрд\u00a0доларів США"
    assert format_money(Decimal(500000), "EUR", "uk") == "500\u00a0000\u00a0євро"
    assert format_money(Decimal(21), "USD", "uk") == "21\u00a0долар США"
