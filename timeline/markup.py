"""Markdown bodies to safe HTML, and plain text for summaries."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from html.parser import HTMLParser

import markdown
import nh3

from timeline.content import remove_invisible_characters

SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# The ids the site's pages give their own elements (every literal id="…" in templates/, which a test checks).
# A body's heading or raw HTML with one of them ('## Main' is id="main") would make the page invalid and its
# links jump to the wrong place: such an id is renamed, as a repeated one is.
TEMPLATE_IDS = frozenset({
    "agreements-caption", "agreements-heading", "agreements-table", "amounts-caption", "amounts-heading",
    "cite-heading", "corrections-heading", "filter-download", "filter-empty", "filter-status", "filters",
    "lifecycle-heading", "main", "maps-heading", "page-words", "rates-heading", "related-heading", "search-form",
    "search-query", "search-results", "search-status", "site-search-input", "sources-heading", "steps-heading",
    "tags-heading", "timeline", "view-citation",
})  # fmt: skip
# Anchors need their ids: headings (toc) and footnotes (extra).
_ID_TAGS = ("h2", "h3", "h4", "h5", "h6", "li", "sup", "a")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_LEVEL_ONE_HEADING = re.compile(r"^(#[ \t]|#$|=+[ \t]*$)", re.MULTILINE)  # '# Title' or a '====' underline
# [[slug]] or [[slug|text]]: one run of characters between the brackets, split and trimmed in Python. A pattern
# with several quantifiers over spaces would backtrack for minutes on '[[' and a long run of spaces; this one
# stops at the first bracket or line end, so finding every link takes time linear in the text.
_ENTRY_LINK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
# In sanitised HTML every '<' starts a tag (text has &lt;) and attribute values are in double quotes.
_ID_ATTRIBUTE = re.compile(r'(<[a-zA-Z][^<>]*?\sid=")([^"]*)(")')
_IMAGE_SOURCE = re.compile(r'<img\s[^<>]*?\bsrc="([^"]*)"[^<>]*>')
_REMOTE = re.compile(r"(?i)(https?:)?//")


def expand_entry_links(
    text: str, titles: Mapping[str, str], to_entries: str = "../"
) -> tuple[str, list[tuple[str, int]]]:
    """Turn [[slug]] and [[slug|text]] into Markdown links to entry pages (`to_entries` is where they are
    from the page the text is on: entry pages are siblings, "../").

    Returns the new text and every (slug, 0-based line) linked; a slug missing from `titles` is left
    as written for the caller to report.
    """
    found: list[tuple[str, int]] = []
    lines = _LineCounter(text)

    def replace(match: re.Match[str]) -> str:
        parts = _link_parts(match)
        if parts is None:
            return match.group(0)
        slug, label = parts
        found.append((slug, lines.line_of(match.start())))
        if slug not in titles:
            return match.group(0)
        shown = label if label is not None else _MARKDOWN_SPECIAL.sub(r"\\\1", titles[slug])
        return f"[{shown}]({to_entries}{slug}/)"

    return _ENTRY_LINK.sub(replace, text), found


def linked_slugs(text: str) -> tuple[str, ...]:
    """The slugs of every [[slug]] and [[slug|text]] link in `text`, in order."""
    return tuple(parts[0] for match in _ENTRY_LINK.finditer(text) if (parts := _link_parts(match)) is not None)


def _link_parts(match: re.Match[str]) -> tuple[str, str | None] | None:
    """The slug and the label (None without '|') of one [[...]]; None when it names no slug."""
    slug, bar, label = match.group(1).partition("|")
    slug, label = slug.strip(), label.strip()
    if not slug or (bar and not label):
        return None
    return slug, label if bar else None


class _LineCounter:
    """0-based line numbers of offsets taken in increasing order, counting each newline once."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 0

    def line_of(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def render_markdown(text: str) -> str:
    """Markdown to HTML with raw HTML sanitised: no scripts, handlers or javascript: URLs survive."""
    converter = _converter(shift_headings=bool(_LEVEL_ONE_HEADING.search(text)))
    try:
        rendered = converter.convert(text)
    finally:
        converter.reset()
    cleaned = nh3.clean(
        rendered,
        tags=_allowed_tags(),
        attributes=_allowed_attributes(),
        url_schemes=set(SAFE_URL_SCHEMES),
        link_rel="noopener noreferrer",
    )
    return _without_taken_ids(cleaned)


def remote_images(body_html: str) -> list[str]:
    """The addresses of images on other sites, which the pages' security policy blocks."""
    return [html.unescape(source) for source in _IMAGE_SOURCE.findall(body_html) if _REMOTE.match(source)]


def without_remote_images(body_html: str) -> str:
    """The HTML without images on other sites: a feed reader would fetch them for every reader (the feed has no
    security policy), telling that site who reads the feed."""
    return _IMAGE_SOURCE.sub(lambda match: "" if _REMOTE.match(match.group(1)) else match.group(0), body_html)


def _without_taken_ids(body_html: str) -> str:
    """Ids renamed where the page already has them (TEMPLATE_IDS) or the body used them before: main-2."""
    if " id=" not in body_html:
        return body_html
    taken = set(TEMPLATE_IDS)
    given = set(match.group(2) for match in _ID_ATTRIBUTE.finditer(body_html))

    def rename(match: re.Match[str]) -> str:
        wanted = match.group(2)
        if wanted not in taken:
            taken.add(wanted)
            return match.group(0)
        number = 2
        while f"{wanted}-{number}" in taken or f"{wanted}-{number}" in given:
            number += 1
        taken.add(f"{wanted}-{number}")
        return f"{match.group(1)}{wanted}-{number}{match.group(3)}"

    return _ID_ATTRIBUTE.sub(rename, body_html)


def first_paragraph_text(body_html: str) -> str:
    """The first paragraph with words in it (a lead image has none), as one line of plain text."""
    for match in _PARAGRAPH.finditer(body_html):
        text = remove_invisible_characters(plain_text(match.group(1)))  # it is a summary: see one_line
        if text:
            return text
    return ""


def plain_text(fragment: str) -> str:
    """Text content of an HTML fragment, whitespace collapsed."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    return " ".join(html.unescape("".join(collector.parts)).split())


class _TextCollector(HTMLParser):
    """Collects text, leaving out superscripts: footnote markers would read as 'agreement1'."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.superscript_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.superscript_depth += tag == "sup"

    def handle_endtag(self, tag: str) -> None:
        self.superscript_depth -= tag == "sup" and self.superscript_depth > 0

    def handle_data(self, data: str) -> None:
        if not self.superscript_depth:
            self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        self.parts.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.parts.append(f"&#{name};")


@lru_cache(maxsize=2)
def _converter(shift_headings: bool) -> markdown.Markdown:
    # One instance per setting, reset between documents: building one costs far more than a conversion.
    # The page title is the only h1, so a body that uses '#' headings has all its headings moved down one.
    return markdown.Markdown(
        extensions=["extra", "sane_lists", "toc"],
        extension_configs={"toc": {"baselevel": 2 if shift_headings else 1, "permalink": False}},
        output_format="html",
    )


@lru_cache(maxsize=1)
def _allowed_tags() -> set[str]:
    # <bdo dir="rtl"> shows text in reverse, as the U+202E character does (removed in content.py)
    return set(nh3.ALLOWED_TAGS) - {"bdo"}


@lru_cache(maxsize=1)
def _allowed_attributes() -> dict[str, set[str]]:
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag in _ID_TAGS:
        attributes.setdefault(tag, set()).add("id")
    return attributes
