import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from timeline.export import CSV_COLUMNS, _indented, entries_json

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=12,
)


def test_entries_json_has_exactly_the_documented_fields(built_minimal):
    records = json.loads((built_minimal / "data" / "entries.json").read_text(encoding="utf-8"))
    assert all(list(record) == list(CSV_COLUMNS) for record in records)
    note = next(record for record in records if record["type"] == "note")
    assert (note["date"], note["precision"], note["author"], note["countries"]) == (
        "2023",
        "year",
        "A. Analyst",
        ["EU"],
    )
    assert all(record["url"].startswith("entries/") and record["url"].endswith("/") for record in records)


def test_entries_csv_has_the_same_rows_with_lists_joined(built_minimal):
    records = json.loads((built_minimal / "data" / "entries.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((built_minimal / "data" / "entries.csv").read_text(encoding="utf-8"))))
    assert [row["slug"] for row in rows] == [record["slug"] for record in records]
    beta = next(row for row in rows if row["slug"] == "beta-drones")
    assert (beta["countries"], beta["tags"], beta["sources"]) == (
        "FR;GB",
        "uav;co-production",
        "https://www.example.com/beta",
    )
    assert beta["author"] == ""


@given(st.lists(st.dictionaries(st.text(), JSON_VALUES, max_size=5), max_size=4))
def test_the_data_file_is_laid_out_exactly_as_the_json_module_indents(records):
    """entries.json is assembled from each entry's record, formatted once (see export._indented)."""
    assert entries_json(["  " + _indented(record, "  ") for record in records]).decode() == (
        json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    )
