"""The words the site's scripts show (filter counts, search messages), in the page's language.

They travel in the page as a JSON data block (`<script type="application/json" id="page-words">`), which the
Content-Security-Policy allows since it is never run. A message that depends on a number comes as one text per
CLDR plural category ("one", "few", "many", "other"), which the script picks with the browser's
Intl.PluralRules for the page's language.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from timeline.languages import Words, words


def filter_words(language: str, noun: str = "entry") -> Markup:
    """For static/filters.js on a list of entries (`noun` "entry") or of agreements ("agreement")."""
    _ = words(language)
    if noun == "agreement":
        count = plural_forms("%(count)s agreement", "%(count)s agreements", _)
    else:
        count = plural_forms("%(count)s entry", "%(count)s entries", _)
    return _json({
        "count": count,
        "shown": _("%(shown)s of %(total)s shown.", shown="{shown}", total="{total}"),
        "groupShown": _("%(shown)s of %(total)s", shown="{shown}", total="{total}"),
        "downloadSome": plural_forms("Download this %(count)s row (CSV)", "Download these %(count)s rows (CSV)", _),
        "downloadAll": _("Download all rows (CSV)"),
        "downloadFailed": _("The rows could not be downloaded; try the full CSV file instead."),
        "citeView": _("“%(title)s”, %(site)s. %(url)s (accessed %(accessed)s).", title="{title}", site="{site}",
                      url="{url}", accessed="{accessed}"),
        "viewTitle": _("%(title)s, filtered: %(filters)s", title="{title}", filters="{filters}"),
    })  # fmt: skip


def search_words(language: str) -> Markup:
    """For static/search.js."""
    _ = words(language)
    return _json({
        "prompt": _("Type a word or two, then press Enter."),
        "searching": _("Searching…"),
        "found": plural_forms("%(count)s entry found", "%(count)s entries found", _),
        "foundFor": plural_forms("%(count)s entry found for “%(words)s”", "%(count)s entries found for “%(words)s”", _),
        "firstShown": _("The first %(shown)s are shown.", shown="{shown}"),
        "unavailable": _("Search is not available right now; browse by partner or tag instead."),
    })  # fmt: skip


def plural_forms(singular: str, plural: str, _: Words) -> dict[str, str]:
    """The message for each plural category of the language, with {count} (and {words}) for the script to fill."""
    rule = _.locale.plural_form
    forms = {}
    for category in sorted(rule.tags | {"other"}):
        sample = next((number for number in range(200) if rule(number) == category), None)
        text = _.translations.ngettext(singular, plural, sample if sample is not None else 2)
        forms[category] = text % {"count": "{count}", "words": "{words}"}
    return forms


def _json(values: dict[str, object]) -> Markup:
    text = json.dumps(values, ensure_ascii=False, sort_keys=True)
    # No text in it may close the element it stands in.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
