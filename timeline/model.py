"""The content model: entries and the timeline they form."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from timeline.amounts import Amount
from timeline.dates import PartialDate
from timeline.history import NO_HISTORY, History
from timeline.partners import Partner
from timeline.rates import EurRates


class EntryKind(Enum):
    ARTICLE = "article"
    NOTE = "note"  # an analyst note

    @property
    def label(self) -> str:
        return "Analyst note" if self is EntryKind.NOTE else "Article"


class Stage(Enum):
    """A step in an agreement's life. The main line runs from proposed to completed; the exits may come
    at any point after it started."""

    PROPOSED = "proposed"
    ANNOUNCED = "announced"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    RATIFIED = "ratified"
    IN_FORCE = "in-force"
    DELIVERING = "delivering"
    COMPLETED = "completed"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]

    @property
    def on_main_line(self) -> bool:
        return self in MAIN_LINE

    @property
    def rank(self) -> int:
        """Its place in the lifecycle: proposed 0 ... completed 7, the exits after."""
        return list(Stage).index(self)


MAIN_LINE = (Stage.PROPOSED, Stage.ANNOUNCED, Stage.NEGOTIATING, Stage.SIGNED, Stage.RATIFIED, Stage.IN_FORCE,
             Stage.DELIVERING, Stage.COMPLETED)  # fmt: skip
# Stages from which an amount counts as committed (before them, it is proposed, announced or negotiated).
COMMITTED_FROM = Stage.SIGNED
_STAGE_LABELS = {
    Stage.PROPOSED: "Proposed", Stage.ANNOUNCED: "Announced", Stage.NEGOTIATING: "In negotiation",
    Stage.SIGNED: "Signed", Stage.RATIFIED: "Ratified", Stage.IN_FORCE: "In force", Stage.DELIVERING: "Delivering",
    Stage.COMPLETED: "Completed", Stage.SUSPENDED: "Suspended", Stage.CANCELLED: "Cancelled",
    Stage.EXPIRED: "Expired",
}  # fmt: skip


class AgreementKind(Enum):
    SECURITY_AGREEMENT = "security-agreement"
    MEMORANDUM = "memorandum"  # declarations, letters of intent, frameworks
    CO_PRODUCTION = "co-production"
    PROCUREMENT_CONTRACT = "procurement-contract"
    AID_PACKAGE = "aid-package"
    COALITION = "coalition"
    LOAN_OR_FUND = "loan-or-fund"  # pooled financing, EU and G7 instruments, donor-funded schemes
    TRAINING_MISSION = "training-mission"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize().replace("Co production", "Co-production")


@dataclass(frozen=True, slots=True)
class SourceLink:
    """Where the facts come from."""

    title: str  # readable name; the URL's host when the editor gave none
    url: str  # http(s) only
    archived: str = ""  # an archived copy (a Wayback Machine capture, archive.today), http(s); "" for none

    @property
    def host(self) -> str:
        """'www.gov.uk' -> 'gov.uk': the site a reader will land on."""
        return host_of(self.url)

    @property
    def lang(self) -> str:
        """The language of its title as far as its script tells: 'uk' for Cyrillic, else 'en'. Pages mark a
        title in another language than theirs, so that screen readers switch voice."""
        return "uk" if any("\u0400" <= char <= "\u04ff" for char in self.title) else "en"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


@dataclass(frozen=True, slots=True)
class TagInfo:
    """How a tag is shown: from the vocabulary in content/tags.yaml, or just its slug."""

    slug: str  # as used in front matter and addresses: air-defense
    label: str  # as shown: Air defence
    description: str  # one line for the tag's page; "" when there is no vocabulary
    translated: tuple[tuple[str, str, str], ...] = ()  # (language, label, description) in other languages

    def in_language(self, code: str) -> TagInfo:
        """The tag as pages in `code` show it: translated where the vocabulary says how, else as it is."""
        for language, label, description in self.translated:
            if language == code:
                return TagInfo(self.slug, label, description)
        return self


@dataclass(frozen=True, slots=True)
class EntryLink:
    """A [[slug]] link in a body, kept so the build can check its target is published."""

    slug: str
    line: int  # 1-based, in the source file


@dataclass(frozen=True, slots=True)
class AgreementRef:
    """An entry's `agreement:` value: the id of an agreement it is a step of."""

    id: str
    line: int  # 1-based, in the entry's file: where an unknown id is reported


@dataclass(frozen=True, slots=True)
class Agreement:
    """A partnership agreement, coalition, fund or programme, from a file under content/agreements/."""

    id: str  # the file name: agreements/<id>/
    title: str
    kind: AgreementKind
    partners: tuple[Partner, ...]  # Ukraine's partners in it, at least one
    duration_years: int | None
    summary: str
    body_html: str  # sanitised HTML
    sources: tuple[SourceLink, ...]
    links: tuple[EntryLink, ...]  # [[slug]] links in the body
    path: Path  # the source file, for messages
    amount: Amount | None = None  # what the sources state for it as a whole, where no one step carries it
    text_language: str = ""  # the language of its words; "" for the site's default (see localize.py)

    @property
    def url(self) -> str:
        return f"agreements/{self.id}/"


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction an editor made to an entry after it was published, and what it changed."""

    date: PartialDate
    note: str  # one line of plain text
    lang: str = ""  # the note's language where it is not its page's (a translation without its own notes)


@dataclass(frozen=True, slots=True)
class Entry:
    """One article or analyst note, validated and rendered."""

    slug: str  # [a-z0-9-]+, unique; the page lives at entries/<slug>/
    kind: EntryKind
    title: str
    date: PartialDate  # at the precision the editor gave
    partners: tuple[Partner, ...]  # at least one, in the editor's order, no repeats
    summary: str  # plain text, one paragraph
    body_html: str  # sanitised HTML
    tags: tuple[str, ...]  # lower-case, hyphenated, no repeats
    sources: tuple[SourceLink, ...]
    author: str | None
    updated: PartialDate | None
    draft: bool
    links: tuple[EntryLink, ...]  # [[slug]] links in the body, in order
    path: Path  # the source file, for messages
    agreements: tuple[AgreementRef, ...] = ()  # the agreements it is a step of
    stage: Stage | None = None  # which step: given with `agreements`, never without
    stage_line: int = 1  # where `stage:` is, for messages about the order of steps
    amount: Amount | None = None  # money the entry's sources state
    amount_line: int = 1  # where `amount:` is, for messages about it
    text_language: str = ""  # the language of its words; "" for the site's default (see localize.py)
    corrections: tuple[Correction, ...] = ()  # oldest first

    @property
    def url(self) -> str:
        """Relative to the site root, ending in '/'."""
        return f"entries/{self.slug}/"

    def sort_key(self) -> tuple[date, str, str, str]:
        """Timeline order: the date's place (its period's first day; a "by" date's latest day, see
        PartialDate.sort_day), first partner's name, title, then slug to break ties."""
        first_partner = self.partners[0].name.casefold() if self.partners else ""
        return (self.date.sort_day, first_partner, self.title.casefold(), self.slug)


@dataclass(frozen=True, slots=True)
class Commitment:
    """Money an agreement commits, with what converting and attributing it needs."""

    amount: Amount
    year: int | None  # of the entry that states it (for an agreement's own amount, of its signing)
    partners: tuple[Partner, ...]  # whose money it is: one partner, or several together
    entry: Entry | None  # the step that states it; None for the agreement's own amount


@dataclass(frozen=True, slots=True)
class AgreementRecord:
    """An agreement with the published entries that are its steps."""

    agreement: Agreement
    steps: tuple[Entry, ...]  # in timeline order

    @property
    def latest(self) -> Entry | None:
        """The step that sets its status: the latest, and of two on the same day the later stage."""
        ranked = [
            (step.date.sort_day, step.stage.rank if step.stage else -1, index) for index, step in enumerate(self.steps)
        ]
        return self.steps[max(ranked)[2]] if ranked else None

    @property
    def status(self) -> Stage | None:
        latest = self.latest
        return latest.stage if latest is not None else None

    def reached(self, stage: Stage) -> Entry | None:
        """The first step that reports `stage`, if any does."""
        return next((step for step in self.steps if step.stage is stage), None)

    @property
    def signed(self) -> Entry | None:
        return self.reached(Stage.SIGNED)

    def committed(self) -> list[Commitment]:
        """What it commits: the amount its file states for it as a whole, if any; otherwise the amounts its
        steps state from its signing on (signed, ratified, in force, delivering, completed). Amounts proposed,
        announced or negotiated before are not counted."""
        if self.agreement.amount is not None:
            dated = self.signed or self.latest
            year = dated.date.start.year if dated else None
            return [Commitment(self.agreement.amount, year, self.agreement.partners, None)]
        start = MAIN_LINE.index(COMMITTED_FROM)
        return [
            Commitment(step.amount, step.date.start.year, step.partners, step)
            for step in self.steps
            if step.amount is not None and step.stage in MAIN_LINE and MAIN_LINE.index(step.stage) >= start
        ]

    def order_key(self) -> tuple[date, str, str]:
        """Agreements are listed by the day they were signed, then (unsigned) by their latest step."""
        dated = self.signed or self.latest
        return (dated.date.sort_day if dated else date.max, self.agreement.title.casefold(), self.agreement.id)


@dataclass(frozen=True, slots=True)
class Timeline:
    """All published entries in timeline order, and the agreements, with the groupings pages need."""

    entries: tuple[Entry, ...]  # chronological, total order (Entry.sort_key)
    by_partner: Mapping[Partner, tuple[Entry, ...]]  # every partner of an entry or an agreement, by name
    by_tag: Mapping[str, tuple[Entry, ...]]  # tags alphabetically, entries in timeline order
    tags: Mapping[str, TagInfo]  # label and description of every tag in use
    agreements: Mapping[str, AgreementRecord] = field(default_factory=lambda: MappingProxyType({}))  # by id,
    # in AgreementRecord.order_key order
    rates: EurRates = field(default_factory=lambda: MappingProxyType({}))  # annual average euro rates
    history: History = NO_HISTORY  # the content's git history, where there is one

    @classmethod
    def from_entries(
        cls,
        entries: Iterable[Entry],
        vocabulary: Mapping[str, TagInfo] | None = None,
        agreements: Iterable[Agreement] = (),
        rates: EurRates = MappingProxyType({}),
        in_order: bool = False,
        name_key: Callable[[str], object] = str.casefold,
        history: History = NO_HISTORY,
    ) -> Timeline:
        """`in_order`: the entries are in timeline order already (a translated timeline keeps the original's);
        `name_key`: how partners' names sort in the language of the pages."""
        ordered = tuple(entries) if in_order else tuple(sorted(entries, key=Entry.sort_key))
        by_partner: dict[Partner, list[Entry]] = {}
        by_tag: dict[str, list[Entry]] = {}
        steps: dict[str, list[Entry]] = {}
        for entry in ordered:
            for partner in entry.partners:
                by_partner.setdefault(partner, []).append(entry)
            for tag in entry.tags:
                by_tag.setdefault(tag, []).append(entry)
            for reference in entry.agreements:
                steps.setdefault(reference.id, []).append(entry)
        records = [AgreementRecord(agreement, tuple(steps.get(agreement.id, ()))) for agreement in agreements]
        for record in records:
            for partner in record.agreement.partners:
                by_partner.setdefault(partner, [])
        partners = sorted(by_partner, key=lambda partner: (name_key(partner.name), partner.code))
        return cls(
            entries=ordered,
            by_partner=MappingProxyType({partner: tuple(by_partner[partner]) for partner in partners}),
            by_tag=MappingProxyType({tag: tuple(by_tag[tag]) for tag in sorted(by_tag)}),
            tags=MappingProxyType(
                {tag: (vocabulary or {}).get(tag) or TagInfo(tag, tag, "") for tag in sorted(by_tag)}
            ),
            agreements=MappingProxyType(
                {record.agreement.id: record for record in sorted(records, key=AgreementRecord.order_key)}
            ),
            rates=rates,
            history=history,
        )
