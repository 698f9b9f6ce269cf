"""References a researcher can import: an entry, or the data downloads as a whole, as BibTeX, RIS and CSL-JSON.

One `Reference` holds what every format says (title, author, site, date at its precision, address, access
date, language); each format function only spells it. The access date is the build's date: the day the
site's text was made is the day it was seen as cited. A qualified date ("by 3 June 2026") is never given as
a bare day: the formats that have a way to say it (EDTF in BibLaTeX's `date`, `circa` in CSL) use it, and
each also carries the date in words in a note.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel import Locale
from markupsafe import Markup, escape

from timeline.dates import DatePrecision, PartialDate, Qualifier
from timeline.languages import words

# The downloads beside a cited page, as its "Cite this" section links them: (format's name, file name).
CITATION_FILES = (("BibTeX", "cite.bib"), ("RIS", "cite.ris"), ("CSL-JSON", "cite.json"))

_BIBTEX_SPECIAL = re.compile(r"[\\{}%&$#_~^]")
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


@dataclass(frozen=True, slots=True)
class ViewCitation:
    """ "Cite this view" on a filtered list: the citation of the list as built; static/filters.js rewrites it for
    the filters a reader chooses, with the filtered address and the day they chose them."""

    title: str  # the list's own title ("Timeline"), which the script extends with the filters
    site: str
    url: str  # the list's absolute address, to which the script adds the filters
    text: Markup


def view_citation(title: str, site: str, url: str, accessed: date, language: str) -> ViewCitation:
    """`url`: the list's absolute address; `accessed`: the build's day."""
    _ = words(language)
    text = _("“%(title)s”, %(site)s. %(url)s (accessed %(accessed)s).", title=escape(title), site=escape(site),
             url=escape(url), accessed=_.date(PartialDate(accessed, DatePrecision.DAY)))  # fmt: skip
    return ViewCitation(title, site, url, Markup(text))


@dataclass(frozen=True, slots=True)
class Reference:
    """One citable thing, whatever the format."""

    key: str  # the citation key: letters, digits and '-' only
    dataset: bool  # the data downloads (a dataset) rather than an entry (a web page)
    title: str
    author: str | None  # a person as the entry names them; None: the site itself is the author
    site: str  # the site's title, the container the entry appears in
    issued: PartialDate
    issued_words: str  # the date as the page says it, in the reference's language
    url: str
    accessed: date
    language: str  # BCP 47: "en", "uk"
    version: str = ""  # the dataset's version
    abstract: str = ""


def bibtex(reference: Reference) -> str:
    """A BibLaTeX record (@online or @dataset), readable by BibTeX too: year and month beside the EDTF date."""
    fields: list[tuple[str, str]] = [("title", "{" + _bibtex_text(reference.title) + "}")]
    # A person's name as BibTeX splits names ("Olena Petrenko"); the site, braced, as one corporate name.
    fields.append(
        ("author", _bibtex_text(reference.author) if reference.author else "{" + _bibtex_text(reference.site) + "}")
    )
    if not reference.dataset:
        fields.append(("organization", _bibtex_text(reference.site)))
    if reference.issued.qualifier not in (Qualifier.BEFORE, Qualifier.AFTER):
        fields.append(("year", str(reference.issued.start.year)))
        if reference.issued.precision is not DatePrecision.YEAR:
            fields.append(("month", str(reference.issued.start.month)))
    fields.append(("date", reference.issued.edtf))
    if reference.version:
        fields.append(("version", _bibtex_text(reference.version)))
    fields += [
        ("url", reference.url),
        ("urldate", reference.accessed.isoformat()),
        ("langid", _biblatex_language(reference.language)),
    ]
    if reference.issued.qualifier:
        fields.append(("note", _bibtex_text(reference.issued_words)))
    if reference.abstract:
        fields.append(("abstract", _bibtex_text(reference.abstract)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{'dataset' if reference.dataset else 'online'}{{{reference.key},\n{body}\n}}\n"


def ris(reference: Reference) -> str:
    """An RIS record (the format of EndNote, Zotero and Mendeley imports), lines ending CR LF as the format has it."""
    issued = reference.issued
    lines = [("TY", "DATA" if reference.dataset else "ELEC"), ("TI", _one_line(reference.title))]
    if reference.author:
        lines.append(("AU", _one_line(reference.author)))
    lines.append(("T2", _one_line(reference.site)) if not reference.dataset else ("PB", _one_line(reference.site)))
    if issued.qualifier not in (Qualifier.BEFORE, Qualifier.AFTER):
        month = f"{issued.start.month:02d}" if issued.precision is not DatePrecision.YEAR else ""
        day = f"{issued.start.day:02d}" if issued.precision is DatePrecision.DAY else ""
        lines += [("PY", str(issued.start.year)), ("DA", f"{issued.start.year}/{month}/{day}/")]
    if reference.version:
        lines.append(("ET", _one_line(reference.version)))
    lines += [("UR", reference.url), ("Y2", reference.accessed.strftime("%Y/%m/%d")), ("LA", reference.language)]
    if issued.qualifier:
        lines.append(("N1", _one_line(reference.issued_words)))
    if reference.abstract:
        lines.append(("AB", _one_line(reference.abstract)))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def csl_json(reference: Reference) -> str:
    """A CSL-JSON list with the one item, as Zotero, Pandoc and citeproc read it."""
    item: dict[str, object] = {
        "id": reference.key,
        "type": "dataset" if reference.dataset else "webpage",
        "title": reference.title,
        "container-title" if not reference.dataset else "publisher": reference.site,
        "issued": _csl_date(reference.issued, reference.issued_words),
        "URL": reference.url,
        "accessed": {"date-parts": [[reference.accessed.year, reference.accessed.month, reference.accessed.day]]},
        "language": reference.language,
    }
    if reference.author:
        item["author"] = [{"literal": reference.author}]
    if reference.version:
        item["version"] = reference.version
    if reference.issued.qualifier:
        item["note"] = reference.issued_words
    if reference.abstract:
        item["abstract"] = reference.abstract
    # On one line: json's fast encoder works only without indentation, and a reference manager reads either.
    return json.dumps([item], ensure_ascii=False, sort_keys=True) + "\n"


def reference_texts(reference: Reference) -> tuple[tuple[str, str], ...]:
    """(file name, text) of the reference in each format, in the order of CITATION_FILES."""
    spell = {"cite.bib": bibtex, "cite.ris": ris, "cite.json": csl_json}
    return tuple((file, spell[file](reference)) for _, file in CITATION_FILES)


def citation_key(prefix: str, name: str) -> str:
    """A key every reference manager accepts: ASCII letters, digits and '-'."""
    return re.sub(r"[^A-Za-z0-9]+", "-", f"{prefix}-{name}").strip("-")


def _csl_date(issued: PartialDate, words: str) -> dict[str, object]:
    """CSL's date: its parts at the date's precision; "circa" for an approximate or unconfirmed date; a bound
    ("by 3 June 2026") has no parts CSL could hold, so only its words and its EDTF."""
    if issued.qualifier in (Qualifier.BEFORE, Qualifier.AFTER):
        return {"literal": words, "raw": issued.edtf}
    parts = [issued.start.year]
    if issued.precision is not DatePrecision.YEAR:
        parts.append(issued.start.month)
    if issued.precision is DatePrecision.DAY:
        parts.append(issued.start.day)
    value: dict[str, object] = {"date-parts": [parts]}
    if issued.qualifier:
        value["circa"] = True
    return value


def _bibtex_text(text: str) -> str:
    """Text inside a braced BibTeX value: the characters TeX or the parser would read as syntax, escaped."""
    return _BIBTEX_SPECIAL.sub(lambda match: _BIBTEX_ESCAPES.get(match.group(0), "\\" + match.group(0)),
                               _one_line(text))  # fmt: skip


@cache
def _biblatex_language(code: str) -> str:
    """BibLaTeX names languages as babel and polyglossia do: 'english', 'ukrainian'."""
    return (Locale.parse(code).english_name or code).lower()


def _one_line(text: str) -> str:
    return " ".join(text.split())
