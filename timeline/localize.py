"""The model in each of the site's languages: the timeline as one language's pages show it.

An entry or agreement with a translation into the language takes its words from it (title, summary, body, and
the author, sources and amount's scope where the translation gives them); one without keeps its own words and
says so (`text_language`), so that its page can mark them as such. Partners are named, and sorted, as the
language does; tags are labelled from the vocabulary's translation. Everything else, the order of the
timeline included, is the original's, so both languages' pages line up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from timeline.languages import words
from timeline.model import Agreement, Entry, Timeline
from timeline.partners import Partner, partner_in
from timeline.translations import Translation

Memo = Callable[..., Any]  # memo(function, *arguments) -> function(*arguments), perhaps kept from before


def _call(function: Callable[..., Any], *arguments: object) -> Any:
    return function(*arguments)


@dataclass(frozen=True, slots=True)
class Published:
    """What the check step publishes: the timeline in the default language, and the translations of its entries
    and agreements."""

    timeline: Timeline
    translations: tuple[Translation, ...] = ()

    def untranslated(self, language: str) -> int:
        """How many published entries have no translation into `language`."""
        translated = translations_by_original(self.translations, language)
        return sum(1 for entry in self.timeline.entries if entry.path not in translated)


def localized_timelines(published: Published, languages: Sequence[str], memo: Memo = _call) -> dict[str, Timeline]:
    """The timeline in each of the site's `languages` (the default first)."""
    return {
        language: localized_timeline(published.timeline, published.translations, language, languages[0], memo)
        for language in languages
    }


def translations_by_original(translations: Iterable[Translation], language: str) -> Mapping[Path, Translation]:
    """The translations into `language` that are translated (not copies of their original), by original."""
    return {item.original: item for item in translations if item.language == language and not item.copied}


def localized_timeline(
    timeline: Timeline,
    translations: Iterable[Translation],
    language: str,
    default: str,
    memo: Memo = _call,
) -> Timeline:
    """`timeline` (in the default language) as pages in `language` show it. `memo` may keep each localized
    entry between rebuilds of a preview, so that what derives from it is found again."""
    if language == default and language == "en":
        return timeline
    texts = translations_by_original(translations, language) if language != default else {}
    entries = [memo(localized_entry, entry, texts.get(entry.path), language, default) for entry in timeline.entries]
    agreements = [
        memo(localized_agreement, record.agreement, texts.get(record.agreement.path), language, default)
        for record in timeline.agreements.values()
    ]
    tags = {slug: info.in_language(language) for slug, info in timeline.tags.items()}
    return Timeline.from_entries(
        entries,
        tags,
        agreements,
        timeline.rates,
        in_order=True,
        name_key=words(language).sort_key,
        history=timeline.history,
    )


def localized_entry(entry: Entry, translation: Translation | None, language: str, default: str) -> Entry:
    partners = _partners(entry.partners, language)
    # Corrections not translated are shown in the original's words, marked as such.
    inherited = tuple(replace(correction, lang=default) for correction in entry.corrections)
    if translation is None:
        return replace(entry, partners=partners, text_language=default, corrections=inherited)
    amount = entry.amount
    if amount is not None and translation.scope is not None:
        amount = replace(amount, scope=translation.scope)
    return replace(
        entry, partners=partners, title=translation.title, summary=translation.summary,
        body_html=translation.body_html, author=translation.author or entry.author,
        sources=translation.sources or entry.sources, amount=amount, links=translation.links,
        text_language=language, corrections=inherited if translation.corrections is None else translation.corrections,
    )  # fmt: skip


def localized_agreement(
    agreement: Agreement, translation: Translation | None, language: str, default: str
) -> Agreement:
    partners = _partners(agreement.partners, language)
    if translation is None:
        return replace(agreement, partners=partners, text_language=default)
    amount = agreement.amount
    if amount is not None and translation.scope is not None:
        amount = replace(amount, scope=translation.scope)
    return replace(
        agreement, partners=partners, title=translation.title, summary=translation.summary,
        body_html=translation.body_html, sources=translation.sources or agreement.sources, amount=amount,
        links=translation.links, text_language=language,
    )  # fmt: skip


def _partners(partners: tuple[Partner, ...], language: str) -> tuple[Partner, ...]:
    return tuple(partner_in(partner, language) for partner in partners)
