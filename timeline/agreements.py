"""Agreement files (content/agreements/<id>.md) into agreements, and the checks between agreements and the
entries that are their steps: ids that exist, steps that do not contradict each other in time."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date, timedelta

from timeline.content import SourceFile
from timeline.dates import DatePrecision, PartialDate
from timeline.entries import FieldReader, SiteContext
from timeline.errors import ContentError, describe_value
from timeline.markup import first_paragraph_text
from timeline.model import MAIN_LINE, Agreement, AgreementKind, Entry
from timeline.rates import EurRates

AGREEMENTS_FOLDER = "agreements"  # under content/: every file there is an agreement
AGREEMENT_FIELDS = ("title", "kind", "countries", "duration_years", "summary", "sources", "amount")
MAX_DURATION_YEARS = 200  # the UK's is a hundred-year partnership


def is_agreement_file(source_relative_parts: Sequence[str]) -> bool:
    return len(source_relative_parts) > 1 and source_relative_parts[0] == AGREEMENTS_FOLDER


def parse_agreement(source: SourceFile, context: SiteContext) -> tuple[Agreement | None, list[ContentError]]:
    """Validate one agreement file; the agreement is None when any error was found."""
    fields = FieldReader(source)
    body, links = fields.entry_links(context.titles, to_entries="../../entries/")
    body_html = fields.body_html(body)
    agreement = Agreement(
        id=source.relative.stem,
        title=fields.title(),
        kind=agreement_kind(fields),
        partners=fields.partners(),
        duration_years=duration_years(fields),
        summary=fields.optional_text("summary") or first_paragraph_text(body_html),
        body_html=body_html,
        sources=fields.sources(),
        links=links,
        path=source.path,
        amount=fields.amount(),
    )
    fields.warn_unknown(AGREEMENT_FIELDS)
    has_errors = any(not problem.warning for problem in fields.problems)
    return (None if has_errors else agreement), fields.problems


def agreement_kind(fields: FieldReader) -> AgreementKind:
    value = fields.source.fields.get("kind")
    kinds = ", ".join(kind.value for kind in AgreementKind)
    if value is None or (isinstance(value, str) and not value.strip()):
        message = f"required field 'kind' is missing; use one of {kinds}"
        fields.problems.append(ContentError(fields.source.path, fields.line("kind"), message))
        return AgreementKind.MEMORANDUM
    try:
        return AgreementKind(str(value).strip().lower())
    except ValueError:
        message = f"unknown kind {describe_value(value)}; use one of {kinds}"
        fields.problems.append(ContentError(fields.source.path, fields.line("kind"), message))
        return AgreementKind.MEMORANDUM


def duration_years(fields: FieldReader) -> int | None:
    value = fields.source.fields.get("duration_years")
    if value is None:
        return None
    text = str(value).strip()
    if not text.isdigit() or not 0 < int(text) <= MAX_DURATION_YEARS:
        allowed = f"a whole number of years, 1 to {MAX_DURATION_YEARS}"
        message = f"'duration_years' must be {allowed}, not {describe_value(value)}"
        fields.problems.append(ContentError(fields.source.path, fields.line("duration_years"), message))
        return None
    return int(text)


def check_agreements(agreements: Sequence[Agreement], entries: Sequence[Entry]) -> list[ContentError]:
    """What is wrong between agreements and their steps: duplicate ids, unknown ids, steps out of order in
    time; and, as warnings, agreements no entry refers to and entries whose partners are not the agreement's."""
    by_id: dict[str, Agreement] = {}
    problems = []
    for agreement in sorted(agreements, key=lambda item: str(item.path)):
        first = by_id.setdefault(agreement.id, agreement)
        if first is not agreement:
            message = f"agreement id '{agreement.id}' is also used by {first.path}; rename one of the files"
            problems.append(ContentError(agreement.path, 1, message))
    referred: set[str] = set()
    for entry in entries:
        for reference in entry.agreements:
            agreement = by_id.get(reference.id)
            if agreement is None:
                problems.append(ContentError(entry.path, reference.line, _unknown_message(reference.id, by_id)))
                continue
            referred.add(reference.id)
            if not set(entry.partners) & set(agreement.partners):
                names = ", ".join(partner.name for partner in agreement.partners)
                message = f"none of this entry's partners is a partner of '{reference.id}' ({names}); check both"
                problems.append(ContentError(entry.path, reference.line, message, warning=True))
    for agreement in by_id.values():
        if agreement.id not in referred:
            message = f"no entry is a step of agreement '{agreement.id}'; add 'agreement: {agreement.id}' to one"
            problems.append(ContentError(agreement.path, 1, message, warning=True))
    return problems + _contradictions(entries)


def _unknown_message(identifier: str, by_id: dict[str, Agreement]) -> str:
    matches = difflib.get_close_matches(identifier, by_id, n=1)
    hint = f" (did you mean '{matches[0]}'?)" if matches else ""
    return f"unknown agreement '{identifier}'{hint}; an agreement is a file content/{AGREEMENTS_FOLDER}/<id>.md"


def _contradictions(entries: Sequence[Entry]) -> list[ContentError]:
    """For each agreement, a later lifecycle stage dated strictly before an earlier one (signed after in force,
    say): each pair is reported once, at the later stage's entry, naming both files and lines."""
    steps: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.stage is not None and entry.stage.on_main_line:
            for reference in entry.agreements:
                steps.setdefault(reference.id, []).append(entry)
    problems = []
    for identifier, stepped in steps.items():
        for later in stepped:
            for earlier in stepped:
                assert later.stage is not None and earlier.stage is not None
                after_in_life = MAIN_LINE.index(later.stage) > MAIN_LINE.index(earlier.stage)
                if after_in_life and _last_day(later.date) < earlier.date.start:
                    message = (
                        f"'{identifier}' is {later.stage.value} on {later.date.label}, before it was "
                        f"{earlier.stage.value} on {earlier.date.label} ({earlier.path}:{earlier.stage_line}); "
                        "check both dates and stages"
                    )
                    problems.append(ContentError(later.path, later.stage_line, message))
    return problems


def _last_day(when: PartialDate) -> date:
    """The last day the date can mean: a month's or a year's last day."""
    if when.precision is DatePrecision.DAY:
        return when.start
    if when.precision is DatePrecision.MONTH:
        following = when.start.replace(day=28) + timedelta(days=4)
        return following - timedelta(days=following.day)
    return when.start.replace(month=12, day=31)


def missing_rates(entries: Sequence[Entry], rates: EurRates) -> list[ContentError]:
    """A warning for each amount a rates table cannot convert (there is a table, but no row for its year and
    currency): it is shown in its own currency only."""
    if not rates:
        return []
    return [
        ContentError(
            entry.path,
            entry.amount_line,
            f"no euro rate for {entry.amount.currency} in {entry.date.start.year} in eur-rates.csv; the amount is "
            "shown in its own currency only",
            warning=True,
        )
        for entry in entries
        if entry.amount is not None
        and entry.amount.currency != "EUR"
        and (entry.date.start.year, entry.amount.currency) not in rates
    ]
