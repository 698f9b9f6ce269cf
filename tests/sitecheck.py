"""A small crawler for built sites: every internal href/src must point at a file that exists."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def parse_page(path: Path) -> _LinkCollector:
    collector = _LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """'page -> link' for every internal link that does not resolve to a file (or to an id on it)."""
    problems = []
    pages = sorted(site.rglob("*.html"))
    ids = {page: parse_page(page).ids for page in pages}
    for page in pages:
        page_url = "/" + page.relative_to(site).as_posix()
        for link in parse_page(page).links:
            target = _resolve(site, page_url, link, base_path)
            if target is None:
                continue
            file, fragment = target
            if not file.is_file() or (fragment and file in ids and fragment not in ids[file]):
                problems.append(f"{page.relative_to(site)} -> {link}")
    return problems


def _resolve(site: Path, page_url: str, link: str, base_path: str) -> tuple[Path, str] | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return site / page_url.lstrip("/"), parts.fragment
    if parts.path.startswith("/"):
        if not parts.path.startswith(base_path):
            return site / "__outside_base_path__", ""
        path = "/" + parts.path[len(base_path) :]
    else:
        path = str(PurePosixPath(page_url).parent / parts.path) + ("/" if parts.path.endswith("/") else "")
    normalised = _normalise(unquote(path))
    if normalised.endswith("/"):
        normalised += "index.html"
    return site / normalised.lstrip("/"), parts.fragment


def _normalise(path: str) -> str:
    stack: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if stack:
                stack.pop()
        elif segment not in ("", "."):
            stack.append(segment)
    return "/" + "/".join(stack) + ("/" if path.endswith("/") else "")
