from datetime import date, datetime, timedelta, timezone

import pytest

from timeline.dates import DateError, DatePrecision, PartialDate, parse_date

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


@pytest.mark.parametrize(
    ("value", "iso", "precision", "label"),
    [
        (date(2024, 2, 16), "2024-02-16", DAY, "16 February 2024"),
        (datetime(2024, 6, 13, 10, 0), "2024-06-13", DAY, "13 June 2024"),
        ("2024-02-16", "2024-02-16", DAY, "16 February 2024"),
        ("2024-06-13T10:00:00+02:00", "2024-06-13", DAY, "13 June 2024"),
        ("2024-06-13T23:30:00+02:00", "2024-06-13", DAY, "13 June 2024"),  # the day as written, not UTC's
        ("2024-06-13T08:00:00Z", "2024-06-13", DAY, "13 June 2024"),
        ("2024-06", "2024-06", MONTH, "June 2024"),
        ("2023", "2023", YEAR, "2023"),
        (2023, "2023", YEAR, "2023"),
        ("16 February 2024", "2024-02-16", DAY, "16 February 2024"),
        ("February 2024", "2024-02", MONTH, "February 2024"),
        ("Feb 24, 2022", "2022-02-24", DAY, "24 February 2022"),
        ("24.02.2022", "2022-02-24", DAY, "24 February 2022"),
        ("02.03.2022", "2022-03-02", DAY, "2 March 2022"),  # day first
        ("24 лютого 2022", "2022-02-24", DAY, "24 February 2022"),
        ("лютий 2022", "2022-02", MONTH, "February 2022"),
        ("  March   2024 ", "2024-03", MONTH, "March 2024"),
    ],
)
def test_every_documented_form_keeps_its_precision(value, iso, precision, label):
    parsed = parse_date(value)
    assert (parsed.iso, parsed.precision, parsed.label) == (iso, precision, label)


def test_a_month_never_gets_todays_day_and_a_year_never_gets_todays_month():
    # dateparser fills gaps from today unless told otherwise; the period's first day is what we keep.
    assert parse_date("February 2024").start == date(2024, 2, 1)
    assert parse_date("2023").start == date(2023, 1, 1)
    assert parse_date("лютий 2022").start == date(2022, 2, 1)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("Mrach 2024", "not a date we understand"),
        ("2024-13-01", "not a real date"),
        ("2024-02-30", "not a real date"),
        ("24 February", "no four-digit year"),
        ("1 March 24", "no four-digit year"),
        ("yesterday", "no four-digit year"),
        ("Q3 2023", "is a quarter"),
        ("", "is empty"),
        ("1850", "outside"),
        (["2024"], "not a list"),
        ({"year": 2024}, "not a mapping"),
        (True, "not true/false"),
        (None, "not empty"),
        (12.5, "must be a date, not '12.5'"),
    ],
)
def test_values_that_are_not_dates_say_how_to_write_one(value, fragment):
    with pytest.raises(DateError, match=fragment) as raised:
        parse_date(value)
    assert "2024-02-16" in str(raised.value)


def test_partial_dates_order_by_period_start():
    year, month, day = parse_date("2024"), parse_date("2024-02"), parse_date("2024-02-16")
    assert sorted([day, month, year], key=lambda partial: partial.start) == [year, month, day]
    assert PartialDate(date(2024, 1, 1), YEAR).start == PartialDate(date(2024, 1, 1), DAY).start


def test_timezone_aware_datetimes_keep_their_calendar_day():
    kyiv = timezone(timedelta(hours=3))
    assert parse_date(datetime(2024, 6, 13, 1, 0, tzinfo=kyiv)).iso == "2024-06-13"


COMMON_FORMS = [
    "24 February 2024", "4 feb 2024", "24 FEBRUARY, 2024", "February 24, 2024", "Feb. 24 2024", "February 2024",
    "sep 2023", "Sept 2023", "May, 2021", "24.02.2022", "2.3.2022", "31 February 2024", "30.02.2024", "13.13.2024",
    "29 February 2023", "29 Feb 2024", "December 31, 2199", "January 1899", "Mar 31 2024", "Jun 2024", "Juny 2024",
]  # fmt: skip


def read(parser, text):
    try:
        return parser(text)
    except DateError as error:
        return str(error)


def via_dateparser(text):
    from timeline.dates import _checked, _natural_language_parser

    data = _natural_language_parser().get_date_data(text)
    return _checked(data.date_obj.date(), DatePrecision(data.period)) if data.date_obj else None


@pytest.mark.parametrize("text", COMMON_FORMS)
def test_common_forms_read_without_dateparser_mean_what_dateparser_says(text):
    from timeline.dates import _parse_common

    fast = read(_parse_common, text)
    if fast is not None:  # None: left to dateparser, so there is nothing to compare
        assert fast == read(via_dateparser, text)


def test_most_common_forms_never_reach_dateparser():
    from timeline.dates import _parse_common

    assert sum(read(_parse_common, text) is not None for text in COMMON_FORMS) >= 15


# --- qualified dates: about, by, after, and "?" ---

QUALIFIED = [
    ("about June 2026", "approximate", "2026-06~", "about June 2026", "близько червня 2026"),
    ("c. 2019", "approximate", "2019~", "about 2019", "близько 2019 року"),
    ("circa 12 May 2024", "approximate", "2024-05-12~", "about 12 May 2024", "близько 12 травня 2024"),
    ("by 3 June 2026", "before", "../2026-06-03", "by 3 June 2026", "не пізніше 3 червня 2026"),
    ("before 2020", "before", "../2020", "by 2020", "не пізніше 2020 року"),
    ("on or before June 2026", "before", "../2026-06", "by June 2026", "не пізніше червня 2026"),
    ("after May 2026", "after", "2026-05/..", "after May 2026", "після травня 2026"),
    ("on or after 2 May 2026", "after", "2026-05-02/..", "after 2 May 2026", "після 2 травня 2026"),
    ("2026-06-03?", "uncertain", "2026-06-03?", "3 June 2026 (unconfirmed)", "3 червня 2026 (не підтверджено)"),
    ("June 2026?", "uncertain", "2026-06?", "June 2026 (unconfirmed)", "червень 2026 (не підтверджено)"),
    ("2026-06~", "approximate", "2026-06~", "about June 2026", "близько червня 2026"),
    ("../2026-06-03", "before", "../2026-06-03", "by 3 June 2026", "не пізніше 3 червня 2026"),
    ("2026-05/..", "after", "2026-05/..", "after May 2026", "після травня 2026"),
]


@pytest.mark.parametrize(("written", "qualifier", "edtf_form", "english", "ukrainian"), QUALIFIED)
def test_a_qualified_date_keeps_how_sure_it_is_in_words_and_in_edtf(written, qualifier, edtf_form, english, ukrainian):
    from edtf import parse_edtf

    from timeline.languages import words

    value = parse_date(written)
    assert value.qualifier.value == qualifier and value.edtf == edtf_form
    assert str(parse_edtf(value.edtf)) == edtf_form  # valid EDTF, as the Library of Congress defines it
    assert words("en").date(value) == english == value.label
    assert words("uk").date(value) == ukrainian


@pytest.mark.parametrize("written", ["about about 2020", "by 2026-06-03?", "2026-13~", "2026-06%", "about"])
def test_a_date_qualified_twice_or_malformed_is_refused(written):
    with pytest.raises(DateError):
        parse_date(written)


def test_a_by_date_sorts_at_its_latest_day_and_every_other_at_its_first():
    assert parse_date("by June 2026").sort_day == date(2026, 6, 30)
    assert parse_date("by 2020").sort_day == date(2020, 12, 31)
    assert parse_date("after June 2026").sort_day == date(2026, 6, 1)
    assert parse_date("about June 2026").sort_day == parse_date("June 2026?").sort_day == date(2026, 6, 1)
    assert parse_date("2024-02").end == date(2024, 2, 29)
