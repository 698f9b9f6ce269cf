"""What the site shows of agreements: the table of all of them, each one's page with its lifecycle, the money
stated at each step (in its own currency, and in euros where a rate converts it), and their rows."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from markupsafe import Markup

from timeline.amounts import Amount, format_money
from timeline.charts import BarChart, horizontal_bars
from timeline.citations import view_citation
from timeline.config import SiteConfig
from timeline.labels import agreement_kind_label, stage_label
from timeline.languages import Words, foreign, words
from timeline.model import MAIN_LINE, AgreementKind, AgreementRecord, Commitment, Entry, SourceLink, Stage, Timeline
from timeline.partners import Partner
from timeline.rates import EurRates, in_euros
from timeline.script_words import filter_words
from timeline.views import LINKS, AgreementItem, EntryCard, Link, Option, Page, crumbs, page_context

AGREEMENTS_URL = "agreements/"


@dataclass(frozen=True, slots=True)
class Money:
    """An amount as a page shows it: in its own currency, and roughly in euros where a rate converts it."""

    text: str  # "£2.5 billion"
    euros: str  # "≈ €2.95 billion", or "" (in euros already, or no rate for that year)
    rate_note: str  # "at the ECB's 2024 average rate", "(provisional rate for 2026)", or ""
    scope: str  # what the money is for, as the source puts it


@dataclass(frozen=True, slots=True)
class StepLink:
    """An entry's place in an agreement: 'Step of <agreement>: signed'."""

    agreement: Link
    stage: str  # its label


@dataclass(frozen=True, slots=True)
class TrackStop:
    """A stage of the lifecycle on an agreement's page: reached (with its date and entry) or not."""

    label: str
    reached: bool
    date_label: str  # "" when not reached
    date_iso: str
    entry: Link | None  # the entry that reports it
    current: bool  # the agreement's status


@dataclass(frozen=True, slots=True)
class AmountRow:
    """Money stated at one step of an agreement."""

    stage: str
    date_label: str
    date_iso: str
    money: Money
    entry: Link | None  # None for what the agreement's own file states


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """An agreement in the table of all of them, with what the filters read."""

    id: str
    title: str
    url: str
    partners: tuple[Link, ...]
    partner_codes: str  # "GB FR", for the filters
    kind: str
    kind_label: str
    status: str  # a stage's value, "" without steps
    status_label: str
    status_date_label: str
    status_date_iso: str
    signed_label: str  # "" when not signed
    signed_iso: str
    duration: str  # "10 years", or ""
    committed: tuple[str, ...]  # per currency: "£2.5 billion"
    committed_euros: str  # "≈ €2.95 billion", or ""
    lang: str = ""  # the title's language where it is not the page's: not translated yet


def money(amount: Amount, year: int, rates: EurRates, today: date, language: str = "en") -> Money:
    """`amount`, stated in an entry of `year`, as pages show it."""
    _ = words(language)
    euros = in_euros(amount.total, amount.currency, year, rates) if amount.currency != "EUR" else None
    if euros is None:
        return Money(format_money(amount.total, amount.currency, language), "", "", amount.scope)
    if year >= today.year:
        note = _("at the average rate of %(year)s (provisional: the year is not over)", year=year)
    else:
        note = _("at the average rate of %(year)s", year=year)
    return Money(
        format_money(amount.total, amount.currency, language), f"≈ {format_money(_rounded(euros), 'EUR', language)}",
        note, amount.scope,
    )  # fmt: skip


def step_links(entry: Entry, titles: Mapping[str, tuple[str, str]], language: str = "en") -> tuple[StepLink, ...]:
    """Each agreement the entry is a step of, with the stage it reports; `titles`: each agreement's title in the
    page's language (or, not translated yet, in its own) and that language, by id."""
    stage = stage_label(entry.stage, words(language)) if entry.stage else ""
    return tuple(
        StepLink(
            Link(
                titles[reference.id][0],
                f"{AGREEMENTS_URL}{reference.id}/",
                lang=foreign(titles[reference.id][1], language),
            ),
            stage,
        )
        for reference in entry.agreements
        if reference.id in titles
    )


def committed_in_euros(record: AgreementRecord, rates: EurRates) -> Decimal | None:
    """The committed amounts, each converted at its entry's year's rate; None if one cannot be converted."""
    total = Decimal(0)
    for commitment in record.committed():
        euros = _in_euros(commitment, rates)
        if euros is None:
            return None
        total += euros
    return total


def _in_euros(commitment: Commitment, rates: EurRates) -> Decimal | None:
    amount = commitment.amount
    if commitment.year is None:
        return amount.total if amount.currency == "EUR" else None
    return in_euros(amount.total, amount.currency, commitment.year, rates)


def agreement_row(record: AgreementRecord, rates: EurRates, language: str = "en") -> AgreementRow:
    _ = words(language)
    agreement, latest, signed = record.agreement, record.latest, record.signed
    sums: dict[str, Decimal] = {}
    for commitment in record.committed():
        amount = commitment.amount
        sums[amount.currency] = sums.get(amount.currency, Decimal(0)) + amount.total
    euros = committed_in_euros(record, rates) if sums else None
    return AgreementRow(
        id=agreement.id,
        title=agreement.title,
        url=agreement.url,
        partners=tuple(Link(partner.name, partner.url, partner.flag) for partner in agreement.partners),
        partner_codes=" ".join(partner.code for partner in agreement.partners),
        kind=agreement.kind.value,
        kind_label=agreement_kind_label(agreement.kind, _),
        status=record.status.value if record.status else "",
        status_label=stage_label(record.status, _) if record.status else _("No steps yet"),
        status_date_label=_.date(latest.date) if latest else "",
        status_date_iso=latest.date.iso if latest else "",
        signed_label=_.date(signed.date) if signed else "",
        signed_iso=signed.date.iso if signed else "",
        duration=_.plural("%(count)s year", "%(count)s years", agreement.duration_years)
        if agreement.duration_years
        else "",
        lang=foreign(agreement.text_language, language),
        committed=tuple(format_money(total, currency, language) for currency, total in sorted(sums.items())),
        committed_euros=f"≈ {format_money(_rounded(euros), 'EUR', language)}" if euros and set(sums) != {"EUR"} else "",
    )


def agreements_index_page(timeline: Timeline, config: SiteConfig) -> Page:
    """Every agreement in one table, with filters, the count by status and the money committed by partner."""
    _, language = words(config.language), config.language
    records = tuple(timeline.agreements.values())
    rows = tuple(agreement_row(record, timeline.rates, language) for record in records)
    kinds, statuses = {row.kind for row in rows}, {row.status for row in rows}
    filters = {
        "partners": tuple(Option(code, name) for code, name in _partners(records, _)),
        "kinds": tuple(
            Option(kind.value, agreement_kind_label(kind, _)) for kind in AgreementKind if kind.value in kinds
        ),
        "statuses": tuple(Option(stage.value, stage_label(stage, _)) for stage in Stage if stage.value in statuses),
    }
    context = page_context(
        config, f"{AGREEMENTS_URL}index.html", _("Agreements"), AGREEMENTS_URL,
        description=_("Every agreement, coalition and programme on the timeline: its stage, partners and money."),
        rows=rows, filters=filters, by_status=status_counts(records, language),
        chart=committed_by_partner(records, timeline.rates, language),
        rates=_rates_used(records, timeline.rates, config.build_date, language),
        view_citation=view_citation(_("Agreements"), config.title, config.base_url + config.prefix + AGREEMENTS_URL,
                                    config.build_date, language),
        scripts=(f"{LINKS.static}filters.js",), script_words=filter_words(language, "agreement"),
    )  # fmt: skip
    return Page(f"{AGREEMENTS_URL}index.html", "agreements.html", context)


def status_counts(records: Sequence[AgreementRecord], language: str = "en") -> tuple[tuple[str, int], ...]:
    """How many agreements are at each stage, in lifecycle order."""
    _ = words(language)
    counts = [(stage_label(stage, _), sum(1 for record in records if record.status is stage)) for stage in Stage]
    return tuple((label, count) for label, count in counts if count)


def committed_by_partner(records: Sequence[AgreementRecord], rates: EurRates, language: str = "en") -> BarChart | None:
    """Committed euros per partner. Money stated for one partner counts for it; money stated for several
    together (a coalition's combined pledges) is shown as such, never split or counted twice."""
    _ = words(language)
    totals: dict[tuple[str, str], Decimal] = {}
    for record in records:
        for commitment in record.committed():
            euros = _in_euros(commitment, rates)
            if euros is None:
                continue
            partners = commitment.partners
            key = (partners[0].name, partners[0].url) if len(partners) == 1 else (_("Several partners together"), "")
            totals[key] = totals.get(key, Decimal(0)) + euros
    if not totals:
        return None
    ranked = sorted(totals.items(), key=lambda item: (-item[1], _.sort_key(item[0][0])))
    rows = [(name, url, value, format_money(_rounded(value), "EUR", language)) for (name, url), value in ranked]
    return horizontal_bars(
        "chart-committed", _("Money committed by partner, in euros"),
        _("Amounts stated from each agreement's signing on, converted at the average rate of the year they were "
          "stated; money pledged by several partners together is its own bar."),
        (_("Partner"), _("Committed (≈ €)")), rows,
    )  # fmt: skip


def agreement_page(config: SiteConfig, record: AgreementRecord, cards: tuple[EntryCard, ...], rates: EurRates) -> Page:
    """One agreement: what it is, its lifecycle, its money by step, its sources and every entry that is a step of
    it (`cards`, in timeline order)."""
    _, language = words(config.language), config.language
    agreement = record.agreement
    row = agreement_row(record, rates, language)
    output = f"{agreement.url}index.html"
    amounts = tuple(
        AmountRow(stage_label(step.stage, _) if step.stage else "", _.date(step.date), step.date.iso,
                  money(step.amount, step.date.start.year, rates, config.build_date, language),
                  Link(step.title, step.url, lang=foreign(step.text_language, language)))
        for step in record.steps if step.amount is not None
    )  # fmt: skip
    if agreement.amount is not None:
        [whole] = record.committed()
        shown = money(agreement.amount, whole.year, rates, config.build_date, language) if whole.year else None
        shown = shown or Money(
            format_money(agreement.amount.total, agreement.amount.currency, language), "", "", agreement.amount.scope
        )
        amounts = (AmountRow(_("The agreement as a whole"), "", "", shown, None), *amounts)
    context = page_context(
        config, output, agreement.title, agreement.url, crumbs(_, (_("Agreements"), AGREEMENTS_URL)),
        text_language=foreign(agreement.text_language, language),
        description=agreement.summary or config.description, row=row, track=lifecycle(record, language),
        amounts=amounts, body_html=Markup(agreement.body_html), sources=agreement.sources, cards=cards,
        summary=agreement.summary,
    )  # fmt: skip
    return Page(output, "agreement.html", context)


def lifecycle(record: AgreementRecord, language: str = "en") -> tuple[TrackStop, ...]:
    """Every stage of the main line, reached or not, then the exits that were reached. Nothing is invented:
    a stage is reached only when an entry reports it."""
    _ = words(language)
    status = record.status
    stops = []
    for stage in (*MAIN_LINE, *(stage for stage in Stage if stage not in MAIN_LINE)):
        step = record.reached(stage)
        if step is None and stage not in MAIN_LINE:
            continue
        dated = (
            (_.date(step.date), step.date.iso, Link(step.title, step.url, lang=foreign(step.text_language, language)))
            if step else ("", "", None)
        )  # fmt: skip
        stops.append(TrackStop(stage_label(stage, _), step is not None, *dated, stage is status))
    return tuple(stops)


def agreements_summary(timeline: Timeline, language: str = "en") -> str:
    """One line for the timeline's first screen: '28 security agreements signed, 3 in negotiation; ≈ €… committed'."""
    _ = words(language)
    records = list(timeline.agreements.values())
    if not records:
        return ""
    signed = sum(1 for record in records if record.agreement.kind is AgreementKind.SECURITY_AGREEMENT and record.signed)
    negotiating = sum(1 for record in records if record.status is Stage.NEGOTIATING)
    total = sum((euros for record in records if (euros := committed_in_euros(record, timeline.rates))), Decimal(0))
    line = _.plural(
        "%(count)s security agreement signed, %(negotiating)s in negotiation",
        "%(count)s security agreements signed, %(negotiating)s in negotiation", signed, negotiating=negotiating,
    )  # fmt: skip
    if total:
        line = _("%(agreements)s; ≈ %(money)s committed", agreements=line,
                 money=format_money(_rounded(total), "EUR", language))  # fmt: skip
    return line


def _partners(records: Sequence[AgreementRecord], _: Words) -> list[tuple[str, str]]:
    found = {partner.code: partner.name for record in records for partner in record.agreement.partners}
    return sorted(found.items(), key=lambda item: _.sort_key(item[1]))


def _rates_used(
    records: Sequence[AgreementRecord], rates: EurRates, today: date, language: str = "en"
) -> tuple[RateNote, ...]:
    """The rates the pages converted with, and where they come from."""
    _ = words(language)
    used = {
        (step.date.start.year, step.amount.currency)
        for record in records
        for step in record.steps
        if step.amount is not None and step.amount.currency != "EUR"
    }
    notes = []
    for year, currency in sorted(used):
        rate = rates.get((year, currency))
        if rate is None:
            continue
        values = {"currency": currency, "year": year, "rate": _.number(rate.units_per_eur),
                  "method": _rate_method(rate.method, _)}  # fmt: skip
        if year >= today.year:
            text = _(
                "%(currency)s %(year)s: %(rate)s per euro (%(method)s, provisional: the year is not over)", **values
            )
        else:
            text = _("%(currency)s %(year)s: %(rate)s per euro (%(method)s)", **values)
        notes.append(RateNote(text, SourceLink(rate.source_name, rate.source_url)))
    return tuple(notes)


_DAILY_MEAN = re.compile(r"mean of (\d+) daily fixings(?: \(year-to-date (\S+) to (\S+)\))?")


def _rate_method(method: str, _: Words) -> str:
    """How a rate was made, as eur-rates.csv says it, in the page's language where the wording is known."""
    if method == "published annual average":
        return _("published annual average")
    if match := _DAILY_MEAN.fullmatch(method):
        mean = _.plural("mean of %(count)s daily fixing", "mean of %(count)s daily fixings", int(match.group(1)))
        if match.group(2):
            return _("%(mean)s, year to date from %(start)s to %(end)s", mean=mean, start=match.group(2),
                     end=match.group(3))  # fmt: skip
        return mean
    return method


@dataclass(frozen=True, slots=True)
class RateNote:
    """A rate the pages used: 'USD 2024: 1.0824 per euro (published annual average)', and its source."""

    text: str
    source: SourceLink


def _rounded(value: Decimal) -> Decimal:
    """Three significant digits: a converted figure is approximate, and more digits would pretend otherwise."""
    if value == 0:
        return value
    exponent = value.adjusted() - 2
    return value.scaleb(-exponent).quantize(Decimal(1)).scaleb(exponent)


def partner_agreements(timeline: Timeline, language: str = "en") -> dict[Partner, tuple[AgreementItem, ...]]:
    """Each partner's agreements, in the agreements' order, with where each stands."""
    _ = words(language)
    found: dict[Partner, list[AgreementItem]] = {}
    for record in timeline.agreements.values():
        latest = record.latest
        status = (
            _("%(stage)s, %(date)s", stage=stage_label(record.status, _), date=_.date(latest.date))
            if record.status and latest else _("No steps yet")
        )  # fmt: skip
        agreement = record.agreement
        link = Link(agreement.title, agreement.url, lang=foreign(agreement.text_language, language))
        item = AgreementItem(link, status)
        for partner in record.agreement.partners:
            found.setdefault(partner, []).append(item)
    return {partner: tuple(items) for partner, items in found.items()}
