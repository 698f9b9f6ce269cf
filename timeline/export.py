"""Data downloads: every entry as JSON and CSV, in timeline order."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from json.encoder import encode_basestring

from timeline.model import Entry

CSV_COLUMNS = ("slug", "title", "date", "precision", "countries", "type", "tags", "summary", "sources", "author", "url")


def entry_record(entry: Entry) -> dict[str, object]:
    """One entry as plain data; the shape of data/entries.json."""
    return {
        "slug": entry.slug,
        "title": entry.title,
        "date": entry.date.iso,
        "precision": entry.date.precision.value,
        "countries": [partner.code for partner in entry.partners],
        "type": entry.kind.value,
        "tags": list(entry.tags),
        "summary": entry.summary,
        "sources": [{"title": source.title, "url": source.url} for source in entry.sources],
        "author": entry.author,
        "url": entry.url,
    }


def json_record(entry: Entry) -> str:
    """An entry's object in data/entries.json, indented as it stands in the list."""
    return "  " + _indented(entry_record(entry), "  ")


def _indented(value: object, indent: str) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2) with each line after the first starting with `indent`.
    (json.dumps indents in pure Python, several times slower than this; its C encoder writes the strings.)"""
    if isinstance(value, str):
        return encode_basestring(value)  # what json.dumps(ensure_ascii=False) calls for a string
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = (f"{inner}{encode_basestring(key)}: {_indented(item, inner)}" for key, item in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(f"{inner}{_indented(item, inner)}" for item in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)  # null, true, false, numbers, [] and {}


def entries_json(records: Sequence[str]) -> bytes:
    """data/entries.json from every entry's json_record, in timeline order: a list, two spaces per level."""
    return ("[\n" + ",\n".join(records) + "\n]\n" if records else "[]\n").encode("utf-8")


def csv_row(entry: Entry) -> str:
    """An entry's line of data/entries.csv: the JSON columns, lists joined with ';' (sources as their URLs)."""
    record = entry_record(entry)
    record["countries"] = ";".join(record["countries"])
    record["tags"] = ";".join(record["tags"])
    record["sources"] = ";".join(source.url for source in entry.sources)
    record["author"] = record["author"] or ""
    return _csv_line([record[column] for column in CSV_COLUMNS])


def entries_csv(rows: Sequence[str]) -> bytes:
    """data/entries.csv from every entry's csv_row, in timeline order, under a header."""
    return (_csv_line(CSV_COLUMNS) + "".join(rows)).encode("utf-8")


def _csv_line(values: Sequence[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()
