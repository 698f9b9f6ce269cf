"""Templates and rendering: the one Jinja environment, pages in, bytes out; template mistakes as errors with a line.

The templates are read once per build into `Templates`, and rendering uses exactly what was read, so the
digest of a template (with every template it includes, imports or extends) is the digest of what pages
are rendered with. A file's digest, `made_from`, joins that with the digest of its context: two builds
that give a file the same digest give it the same bytes.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import jinja2
from jinja2 import meta

from timeline.content import list_files, read_bytes
from timeline.digest import Digests
from timeline.errors import ContentError
from timeline.languages import SOURCE_LANGUAGE, words
from timeline.views import Asset, Page, SiteFile

TEMPLATE_EXTENSIONS = ("html", "xml")  # the rest of templates/ (static/) is copied, not rendered


@dataclass(frozen=True, slots=True)
class Templates:
    """The templates as read: an environment that renders exactly these sources, and what they are."""

    environment: jinja2.Environment
    folder: Path  # for messages: templates/entry.html:12
    digests: Mapping[str, bytes]  # template -> digest of it and every template it uses, however indirectly
    problems: Mapping[str, ContentError]  # template -> its syntax error


def read_templates(folder: Path) -> Mapping[str, str]:
    """Every template's text by name; an unreadable one as "": rendering it will say so. Symbolic links are not
    followed (content.list_files; pipeline.read_content warns about them)."""
    sources: dict[str, str] = {}
    for name in list_files(folder)[0]:
        if name.rpartition(".")[2] in TEMPLATE_EXTENSIONS:
            try:
                sources[name] = read_bytes(folder / name).decode("utf-8")
            except (OSError, UnicodeDecodeError):
                sources[name] = ""
    return MappingProxyType(sources)


def load_templates(folder: Path, sources: Mapping[str, str]) -> Templates:
    """Compile every template, used or not, so that a mistake shows before a page needs it."""
    # StrictUndefined: a misspelt variable fails the build instead of printing nothing.
    environment = jinja2.Environment(
        loader=_SourcesLoader(folder, dict(sources)),
        extensions=["jinja2.ext.i18n"],
        autoescape=jinja2.select_autoescape(TEMPLATE_EXTENSIONS),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    # _("…") in a template is in the language of the page being rendered: its context's `lang`.
    environment.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    problems = {}
    for name in sources:
        try:
            environment.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            problems[name] = _syntax_problem(error, name, folder)
    return Templates(environment, folder, _closure_digests(environment, sources), problems)


def made_from(file: SiteFile, templates: Templates, digests: Digests) -> bytes:
    """The digest of everything a file is made from: its template (with those it uses) and its context,
    or its bytes. A file whose digest is unchanged need not be made again."""
    if isinstance(file, Asset):
        return digests.of(file.content)
    return digests.of((templates.digests.get(file.template, b"missing"), file))


def render_files(
    files: Iterable[SiteFile], templates: Templates, add: Callable[[str, bytes], None]
) -> dict[str, ContentError]:
    """Render files and hand each to `add`; a problem for each template that failed, once however many pages
    use it, those with syntax errors (whose pages are left out) included."""
    problems = dict(templates.problems)
    for file in files:
        if isinstance(file, Asset):
            add(file.output, file.content)
            continue
        if file.template in problems:
            continue
        try:
            html = templates.environment.get_template(file.template).render(file.context)
        except Exception as error:  # a template can fail in any way ({{ 1/0 }}); report it with its line
            problems[file.template] = _template_problem(error, file, templates.folder)
            continue
        add(file.output, html.encode("utf-8"))
    return problems


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str) -> str:
    return words(context.get("lang") or SOURCE_LANGUAGE).translations.gettext(message)


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, number: int) -> str:
    return words(context.get("lang") or SOURCE_LANGUAGE).translations.ngettext(singular, plural, number)


class _SourcesLoader(jinja2.BaseLoader):
    """Templates from the texts read at the start of the build, named after their files for tracebacks."""

    def __init__(self, folder: Path, sources: dict[str, str]) -> None:
        self.folder, self.sources = folder, sources

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if template not in self.sources:
            raise jinja2.TemplateNotFound(template)
        return self.sources[template], str(self.folder.resolve() / template), lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.sources)


def _closure_digests(environment: jinja2.Environment, sources: Mapping[str, str]) -> dict[str, bytes]:
    own = {name: hashlib.sha256(source.encode()).hexdigest() for name, source in sources.items()}
    used = {name: _used_by(environment, source) for name, source in sources.items()}
    every = frozenset(sources)
    digests = {}
    for name in sources:
        closure = "".join(f"{other}\0{own.get(other, 'missing')}\0" for other in sorted(_closure(name, used, every)))
        digests[name] = hashlib.blake2b(closure.encode(), digest_size=16).digest()
    return digests


def _used_by(environment: jinja2.Environment, source: str) -> frozenset[str] | None:
    """The templates one includes, imports or extends; None when a name is computed at render time."""
    try:
        found = list(meta.find_referenced_templates(environment.parse(source)))
    except jinja2.TemplateSyntaxError:
        return None  # rendering it fails anyway; depend on everything so that a fix is noticed
    return None if None in found else frozenset(str(other) for other in found)


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


def _syntax_problem(error: jinja2.TemplateSyntaxError, template: str, folder: Path) -> ContentError:
    """The template the mistake is in (it may be one that `template` includes) and its line."""
    return ContentError(folder / (error.name or template), error.lineno or 1, f"template error: {error.message}")


def _template_problem(error: Exception, page: Page, folder: Path) -> ContentError:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return _syntax_problem(error, page.template, folder)
    if isinstance(error, jinja2.TemplateNotFound):
        return ContentError(folder / page.template, 1, f"template not found: {error.name}")
    path, line = _failing_template_line(error, folder, page.template)
    return ContentError(path, line, f"template error while rendering {page.output}: {error}")


def _failing_template_line(error: Exception, folder: Path, fallback: str) -> tuple[Path, int]:
    """Jinja puts template frames into the traceback: the innermost one is the template's fault."""
    root = folder.resolve()
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        frame_path = Path(frame.filename)
        if frame_path.is_relative_to(root) and frame.lineno:
            return folder / frame_path.relative_to(root), frame.lineno
    return folder / fallback, 1
