"""The one Jinja environment: pages in, bytes out; template mistakes become errors with a line."""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import jinja2
from jinja2 import meta

from timeline.config import SiteConfig
from timeline.errors import ContentError
from timeline.pages import PlannedFile
from timeline.views import Page

TEMPLATE_EXTENSIONS = ("html", "xml")  # the rest of templates/ (static/) is copied, not rendered


def make_environment(templates_dir: Path) -> jinja2.Environment:
    # StrictUndefined: a misspelt variable fails the build instead of printing nothing.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(("html", "xml")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_files(
    files: Iterable[PlannedFile],
    config: SiteConfig,
    environment: jinja2.Environment,
    add: Callable[[str, bytes], None],
    broken: Mapping[str, ContentError],
) -> dict[str, ContentError]:
    """Make and render planned files and hand each to `add`; returns a problem for each template that failed,
    once however many pages use it. Pages of `broken` templates (see syntax_problems) are left out."""
    problems = dict(broken)
    for planned in files:
        if planned.template is None:
            add(planned.output, planned.made(config))  # type: ignore[arg-type]  # no template: bytes
            continue
        if planned.template in problems:
            continue
        page = planned.made(config)
        assert isinstance(page, Page)
        try:
            html = environment.get_template(page.template).render(page.context)
        except Exception as error:  # a template can fail in any way ({{ 1/0 }}); report it with its line
            problems[page.template] = _template_problem(error, page, config.templates_dir)
            continue
        add(page.output, html.encode("utf-8"))
    return problems


class Templates:
    """The templates folder: a Jinja environment, and for each template a digest of it together with every
    template it includes, imports or extends, so that a change to one marks exactly the pages that use it.

    The preview server keeps one between rebuilds: templates are compiled again only after one changed.
    """

    def __init__(self) -> None:
        self._environment: jinja2.Environment | None = None
        self._folder: Path | None = None
        self._own: dict[str, str] = {}  # name -> sha256 of its source, when the environment was made
        self._references: dict[str, tuple[str, frozenset[str] | None]] = {}  # name -> (source digest, names)

    def load(self, templates_dir: Path) -> tuple[jinja2.Environment, dict[str, str]]:
        """The environment and the digests, as the templates are now."""
        sources = _template_sources(templates_dir)
        own = {name: hashlib.sha256(source.encode()).hexdigest() for name, source in sources.items()}
        if self._environment is None or self._folder != templates_dir or own != self._own:
            # A fresh environment: Jinja's own reloading goes by modification times, which a copy may keep.
            self._environment, self._folder, self._own = make_environment(templates_dir), templates_dir, own
        environment = self._environment
        used = {name: self._used_by(environment, name, sources[name], own[name]) for name in sources}
        every = frozenset(sources)
        digests = {}
        for name in sources:
            closure = "".join(
                f"{other}\0{own.get(other, 'missing')}\0" for other in sorted(_closure(name, used, every))
            )
            digests[name] = hashlib.sha256(closure.encode()).hexdigest()
        return environment, digests

    def _used_by(self, environment: jinja2.Environment, name: str, source: str, digest: str) -> frozenset[str] | None:
        known = self._references.get(name)
        if known is not None and known[0] == digest:
            return known[1]
        try:
            found = list(meta.find_referenced_templates(environment.parse(source)))
        except jinja2.TemplateSyntaxError:
            found = [None]  # rendering it fails anyway; depend on everything so a fix is noticed
        names = None if None in found else frozenset(str(other) for other in found)
        self._references[name] = (digest, names)
        return names


def _template_sources(templates_dir: Path) -> dict[str, str]:
    """Every template's text by name, as Jinja lists them; an unreadable one as "": rendering it will say so."""
    sources = {}
    for name in jinja2.FileSystemLoader(templates_dir).list_templates():
        if name.rpartition(".")[2] in TEMPLATE_EXTENSIONS:
            try:
                sources[name] = (templates_dir / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                sources[name] = ""
    return sources


def _closure(name: str, used: Mapping[str, frozenset[str] | None], every: frozenset[str]) -> set[str]:
    """`name` and every template it uses, however indirectly; a name computed at render time could be any."""
    seen, pending = set(), [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in used:  # else there is no such template, and rendering will say so
            references = used[current]
            pending += every if references is None else references
    return seen


def check_templates(templates_dir: Path) -> list[ContentError]:
    """Every template's syntax errors, with file and line, without rendering anything."""
    return list(syntax_problems(make_environment(templates_dir), templates_dir).values())


def syntax_problems(environment: jinja2.Environment, templates_dir: Path) -> dict[str, ContentError]:
    """Compile every template, used or not, so a mistake shows before a page needs it."""
    problems = {}
    for name in environment.list_templates(extensions=TEMPLATE_EXTENSIONS):
        try:
            environment.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            problems[name] = _syntax_problem(error, name, templates_dir)
    return problems


def _syntax_problem(error: jinja2.TemplateSyntaxError, template: str, templates_dir: Path) -> ContentError:
    """The template the mistake is in (it may be one that `template` includes) and its line."""
    return ContentError(templates_dir / (error.name or template), error.lineno or 1, f"template error: {error.message}")


def _template_problem(error: Exception, page: Page, templates_dir: Path) -> ContentError:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return _syntax_problem(error, page.template, templates_dir)
    if isinstance(error, jinja2.TemplateNotFound):
        return ContentError(templates_dir / page.template, 1, f"template not found: {error.name}")
    path, line = _failing_template_line(error, templates_dir, page.template)
    return ContentError(path, line, f"template error while rendering {page.output}: {error}")


def _failing_template_line(error: Exception, templates_dir: Path, fallback: str) -> tuple[Path, int]:
    """Jinja puts template frames into the traceback: the innermost one is the template's fault."""
    root = templates_dir.resolve()
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        frame_path = Path(frame.filename)
        if frame_path.is_relative_to(root) and frame.lineno:
            return templates_dir / frame_path.relative_to(root), frame.lineno
    return templates_dir / fallback, 1
