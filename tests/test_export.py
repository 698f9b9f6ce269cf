import csv
import io
import json

from tests.conftest import GOLDEN
from timeline.export import CSV_COLUMNS


def test_entries_json_matches_the_reviewed_golden_file(built_minimal):
    assert (built_minimal / "data" / "entries.json").read_text(encoding="utf-8") == (
        GOLDEN / "minimal" / "entries.json"
    ).read_text(encoding="utf-8")


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
