import random

from tests.conftest import make_entry
from timeline.model import Timeline
from timeline.partners import resolve_partner


def test_timeline_orders_by_period_start_then_partner_name_then_title():
    entries = [
        make_entry("italy-day", "2024-02-16", partners=("IT",)),
        make_entry("belgium-same-day", "2024-02-16", partners=("BE",)),
        make_entry("belgium-same-day-a", "2024-02-16", partners=("BE",), title="A title"),
        make_entry("month", "2024-02-01", partners=("SE",), precision="month"),
        make_entry("year", "2024-01-01", partners=("DE",), precision="year"),
        make_entry("earlier", "2023-12-31", partners=("US",)),
    ]
    order = [entry.slug for entry in Timeline.from_entries(entries).entries]
    assert order == ["earlier", "year", "month", "belgium-same-day-a", "belgium-same-day", "italy-day"]


def test_a_year_or_month_entry_sorts_at_the_start_of_its_period_by_partner_name():
    year = make_entry("year", "2024-01-01", partners=("NL",), precision="year")
    first_of_january = make_entry("new-year", "2024-01-01", partners=("AT",))
    order = [entry.slug for entry in Timeline.from_entries([year, first_of_january]).entries]
    assert order == ["new-year", "year"]  # same start: Austria before the Netherlands


def test_order_does_not_depend_on_the_order_files_were_read():
    entries = [
        make_entry(f"e{index}", f"2024-0{1 + index % 3}-1{index % 2}", partners=(("IT", "FR", "PL")[index % 3],))
        for index in range(9)
    ]
    expected = Timeline.from_entries(entries)
    for _ in range(5):
        random.shuffle(entries)
        assert Timeline.from_entries(entries) == expected


def test_partner_and_tag_groupings_keep_timeline_order_and_sort_by_name():
    late = make_entry("late", "2024-05-01", partners=("PL",))
    early = make_entry("early", "2023-05-01", partners=("PL",))
    other = make_entry("other", "2023-06-01", partners=("EU",))
    timeline = Timeline.from_entries([late, other, early])
    assert [partner.name for partner in timeline.by_partner] == ["European Union", "Poland"]
    assert [entry.slug for entry in timeline.by_partner[resolve_partner("PL")]] == ["early", "late"]
