"""Data downloads: every entry as JSON and CSV, in timeline order."""

from __future__ import annotations

import csv
import io
import json

from timeline.model import Entry, Timeline

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


def entries_json(timeline: Timeline) -> bytes:
    records = [entry_record(entry) for entry in timeline.entries]
    return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def entries_csv(timeline: Timeline) -> bytes:
    """The JSON columns; lists joined with ';' (sources as their URLs)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in timeline.entries:
        record = entry_record(entry)
        record["countries"] = ";".join(record["countries"])
        record["tags"] = ";".join(record["tags"])
        record["sources"] = ";".join(source.url for source in entry.sources)
        record["author"] = record["author"] or ""
        writer.writerow(record[column] for column in CSV_COLUMNS)
    return buffer.getvalue().encode("utf-8")
