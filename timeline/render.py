"""The one Jinja environment: pages in, bytes out; template mistakes become errors with a line."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import jinja2

from timeline.errors import ContentError
from timeline.views import Page


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


def render_pages(
    pages: Iterable[Page],
    environment: jinja2.Environment,
    templates_dir: Path,
    add: Callable[[str, bytes], None],
    broken: Mapping[str, ContentError],
) -> dict[str, ContentError]:
    """Render pages and hand each to `add`; returns a problem for each template that failed, once however
    many pages use it. Pages of `broken` templates (see syntax_problems) are left out."""
    problems = dict(broken)
    for page in pages:
        if page.template in problems:
            continue
        try:
            html = environment.get_template(page.template).render(page.context)
        except Exception as error:  # a template can fail in any way ({{ 1/0 }}); report it with its line
            problems[page.template] = _template_problem(error, page, templates_dir)
            continue
        add(page.output, html.encode("utf-8"))
    return problems


def check_templates(templates_dir: Path) -> list[ContentError]:
    """Every template's syntax errors, with file and line, without rendering anything."""
    return list(syntax_problems(make_environment(templates_dir), templates_dir).values())


def syntax_problems(environment: jinja2.Environment, templates_dir: Path) -> dict[str, ContentError]:
    """Compile every template, used or not, so a mistake shows before a page needs it."""
    problems = {}
    for name in environment.list_templates(extensions=("html", "xml")):
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
