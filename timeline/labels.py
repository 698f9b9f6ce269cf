"""What the interface calls the model's kinds, stages and languages, in the page's language.

Each label is written out as a call of `_` (a languages.Words) so that Babel finds it for the catalogs.
"""

from __future__ import annotations

from babel import Locale

from timeline.languages import Words
from timeline.model import AgreementKind, EntryKind, Stage


def kind_label(kind: EntryKind, _: Words) -> str:
    return _("Analyst note") if kind is EntryKind.NOTE else _("Article")


def kinds_label(kind: EntryKind, _: Words) -> str:
    """The plural, for filters: 'Articles', 'Analyst notes'."""
    return _("Analyst notes") if kind is EntryKind.NOTE else _("Articles")


def stage_label(stage: Stage, _: Words) -> str:
    labels = {
        Stage.PROPOSED: _("Proposed"), Stage.ANNOUNCED: _("Announced"), Stage.NEGOTIATING: _("In negotiation"),
        Stage.SIGNED: _("Signed"), Stage.RATIFIED: _("Ratified"), Stage.IN_FORCE: _("In force"),
        Stage.DELIVERING: _("Delivering"), Stage.COMPLETED: _("Completed"), Stage.SUSPENDED: _("Suspended"),
        Stage.CANCELLED: _("Cancelled"), Stage.EXPIRED: _("Expired"),
    }  # fmt: skip
    return labels[stage]


def agreement_kind_label(kind: AgreementKind, _: Words) -> str:
    labels = {
        AgreementKind.SECURITY_AGREEMENT: _("Security agreement"), AgreementKind.MEMORANDUM: _("Memorandum"),
        AgreementKind.CO_PRODUCTION: _("Co-production"), AgreementKind.PROCUREMENT_CONTRACT: _("Procurement contract"),
        AgreementKind.AID_PACKAGE: _("Aid package"), AgreementKind.COALITION: _("Coalition"),
        AgreementKind.LOAN_OR_FUND: _("Loan or fund"), AgreementKind.TRAINING_MISSION: _("Training mission"),
    }  # fmt: skip
    return labels[kind]


def in_language_label(code: str, _: Words) -> str:
    """The label on text shown in another language than the page's: 'In English', 'Англійською'."""
    labels = {"en": _("In English"), "uk": _("In Ukrainian")}
    return labels.get(code) or Locale.parse(code).get_display_name(_.locale) or code


def only_in_note(code: str, _: Words) -> str:
    """What the language switcher says on a page whose text is in one other language only."""
    notes = {
        "en": _("Not translated yet: this page exists in English only."),
        "uk": _("Not translated yet: this page exists in Ukrainian only."),
    }
    return notes.get(code) or in_language_label(code, _)
