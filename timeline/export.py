"""Data downloads: every entry and every agreement as JSON and CSV, and a Frictionless Data Package that
describes the CSV files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from json.encoder import encode_basestring
from types import MappingProxyType

from timeline.amounts import Amount, decimal_text
from timeline.model import AgreementRecord, Entry
from timeline.rates import EurRates, in_euros

CSV_COLUMNS = ("slug", "title", "date", "precision", "date_qualifier", "edtf", "countries", "type", "tags", "summary",
               "sources", "author", "url", "agreements", "stage", "amount")  # fmt: skip
STEP_COLUMNS = ("entry", "agreement", "stage")
AGREEMENT_COLUMNS = ("id", "title", "kind", "countries", "status", "status_date", "signed", "duration_years", "amounts",
                     "entries", "url")  # fmt: skip


def entry_record(entry: Entry, rates: EurRates = MappingProxyType({})) -> dict[str, object]:
    """One entry as plain data; the shape of data/entries.json."""
    return {
        "slug": entry.slug,
        "title": entry.title,
        "date": entry.date.iso,
        "precision": entry.date.precision.value,
        "date_qualifier": entry.date.qualifier.value if entry.date.qualifier else None,
        "edtf": entry.date.edtf,
        "countries": [partner.code for partner in entry.partners],
        "type": entry.kind.value,
        "tags": list(entry.tags),
        "summary": entry.summary,
        "sources": [{"title": source.title, "url": source.url} for source in entry.sources],
        "author": entry.author,
        "url": entry.url,
        "agreements": [reference.id for reference in entry.agreements],
        "stage": entry.stage.value if entry.stage else None,
        "amount": _amount_record(entry.amount, entry.date.start.year, rates) if entry.amount else None,
    }


def _amount_record(amount: Amount, year: int, rates: EurRates) -> dict[str, object]:
    """{value, currency, eur, scope}: the whole number (2.5bn is 2500000000), exactly as written, and in euros
    at the average rate of `year` (null without one)."""
    return {
        "value": amount.total,
        "currency": amount.currency,
        "eur": in_euros(amount.total, amount.currency, year, rates),
        "scope": amount.scope or None,
    }


def json_record(entry: Entry, rates: EurRates = MappingProxyType({})) -> str:
    """An entry's object in data/entries.json, indented as it stands in the list."""
    return "  " + _indented(entry_record(entry, rates), "  ")


def _indented(value: object, indent: str) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2) with each line after the first starting with `indent`.
    (json.dumps indents in pure Python, several times slower than this; its C encoder writes the strings.)"""
    if isinstance(value, str):
        return encode_basestring(value)  # what json.dumps(ensure_ascii=False) calls for a string
    if isinstance(value, Decimal):
        return decimal_text(value)  # exact, as written: never through a float
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
    """An entry's line of data/entries.csv: the JSON columns, lists joined with ';' (sources as their URLs), the
    amount as its whole number and currency ('2500000000 GBP')."""
    record = entry_record(entry)
    record["countries"] = ";".join(record["countries"])
    record["tags"] = ";".join(record["tags"])
    record["sources"] = ";".join(source.url for source in entry.sources)
    record["author"] = record["author"] or ""
    record["date_qualifier"] = record["date_qualifier"] or ""
    record["agreements"] = ";".join(record["agreements"])
    record["stage"] = record["stage"] or ""
    record["amount"] = f"{decimal_text(entry.amount.total)} {entry.amount.currency}" if entry.amount else ""
    return _csv_line([record[column] for column in CSV_COLUMNS])


def entries_csv(rows: Sequence[str]) -> bytes:
    """data/entries.csv from every entry's csv_row, in timeline order, under a header."""
    return (_csv_line(CSV_COLUMNS) + "".join(rows)).encode("utf-8")


def _csv_line(values: Sequence[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def agreement_record(record: AgreementRecord, rates: EurRates) -> dict[str, object]:
    """One agreement as plain data; the shape of data/agreements.json. Its amounts are every amount its steps
    state, with the stage and the entry that state each."""
    agreement, latest, signed = record.agreement, record.latest, record.signed
    amounts = []
    if agreement.amount is not None:
        [whole] = record.committed()
        own = _amount_record(agreement.amount, whole.year, rates) if whole.year else _amount_record(
            agreement.amount, 0, rates
        )  # fmt: skip
        amounts.append({**own, "stage": None, "entry": None})
    for step in record.steps:
        if step.amount is not None:
            amount = _amount_record(step.amount, step.date.start.year, rates)
            amounts.append({**amount, "stage": step.stage.value if step.stage else None, "entry": step.slug})
    return {
        "id": agreement.id,
        "title": agreement.title,
        "kind": agreement.kind.value,
        "countries": [partner.code for partner in agreement.partners],
        "status": record.status.value if record.status else None,
        "status_date": latest.date.iso if latest else None,
        "signed": signed.date.iso if signed else None,
        "duration_years": agreement.duration_years,
        "amounts": amounts,
        "entries": [step.slug for step in record.steps],
        "url": agreement.url,
    }


def agreements_json(records: Sequence[AgreementRecord], rates: EurRates) -> bytes:
    return entries_json([json_value(agreement_record(record, rates)) for record in records])


def json_value(value: dict[str, object]) -> str:
    """A record as it stands in a list of data/*.json."""
    return "  " + _indented(value, "  ")


def agreements_csv(records: Sequence[AgreementRecord], rates: EurRates) -> bytes:
    """data/agreements.csv: the JSON columns; lists joined with ';'; as amounts, the committed total per
    currency ('2500000000 GBP;3000000000 EUR'), see agreement_pages.committed."""
    lines = [_csv_line(AGREEMENT_COLUMNS)]
    for record in records:
        row = agreement_record(record, rates)
        totals: dict[str, Decimal] = {}
        for commitment in record.committed():
            amount = commitment.amount
            totals[amount.currency] = totals.get(amount.currency, Decimal(0)) + amount.total
        row["countries"] = ";".join(row["countries"])  # type: ignore[arg-type]
        row["amounts"] = ";".join(f"{decimal_text(total)} {currency}" for currency, total in sorted(totals.items()))
        row["entries"] = ";".join(row["entries"])  # type: ignore[arg-type]
        lines.append(_csv_line(["" if row[column] is None else row[column] for column in AGREEMENT_COLUMNS]))
    return "".join(lines).encode("utf-8")


def steps_csv(entries: Sequence[Entry]) -> bytes:
    """data/steps.csv: one row per entry and agreement it is a step of, in timeline order."""
    lines = [_csv_line(STEP_COLUMNS)]
    for entry in entries:
        for reference in entry.agreements:
            lines.append(_csv_line([entry.slug, reference.id, entry.stage.value if entry.stage else ""]))
    return "".join(lines).encode("utf-8")
