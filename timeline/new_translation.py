"""`build.py new --translate FILE --lang uk`: start a translation beside its original.

The new file repeats the words to translate (title, summary, the author of a note, an amount's scope and
the body) in the original's language, for the translator to write over. Until its title or body differ
from the original's, the build counts the entry as not translated yet and shows it as such.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from timeline.content import read_source
from timeline.errors import UsageError
from timeline.languages import OWN_NAMES
from timeline.new_entry import create_file
from timeline.translations import translation_language


def create_translation(content_dir: Path, original: Path, language: str, languages: tuple[str, ...]) -> Path:
    """Write <original>.<language>.md beside `original` and return its path; raise UsageError for a bad request."""
    if language not in languages[1:]:
        others = ", ".join(languages[1:]) or "none: site.toml lists one language"
        raise UsageError(f"--lang {language}: the site's languages to translate into are {others}")
    try:
        relative = PurePosixPath(original.resolve().relative_to(content_dir.resolve()).as_posix())
    except ValueError:
        raise UsageError(f"{original} is not in the content folder {content_dir}") from None
    if original.suffix != ".md" or not original.is_file():
        raise UsageError(f"{original} is not an entry or agreement file (content/…/name.md)")
    if translation_language(relative) is not None:
        raise UsageError(f"{original} is a translation itself; translate its original")
    source, problems = read_source(content_dir / relative, content_dir)
    if source is None:
        raise UsageError(f"{original} cannot be read: {problems[0].message if problems else 'unknown problem'}")
    path = original.with_name(f"{original.stem}.{language}.md")
    if path.exists():
        raise UsageError(f"{path} already exists; edit it there")
    lines = [
        "---",
        f"# {OWN_NAMES.get(language, language)}: a translation of {original.name}. Date, partners, type, tags,",
        "# agreement, stage, amount and draft come from the original; write the words below in the new language.",
        f"title: {_text(source.fields.get('title'))}",
    ]
    for field in ("summary", "author"):
        if source.fields.get(field):
            lines.append(f"{field}: {_text(source.fields[field])}")
    amount = source.fields.get("amount")
    if isinstance(amount, dict) and amount.get("scope"):
        kept = ", ".join(f"{key}: {_text(value)}" for key, value in amount.items() if key != "scope")
        lines.append(f"amount: {{{kept}, scope: {_text(amount['scope'])}}}  # only the scope is translated")
    lines += ["---", source.body.strip("\n"), ""]
    create_file(path, "\n".join(lines))  # never overwrites a translation, even in a race
    return path


def _text(value: object) -> str:
    return json.dumps(" ".join(str(value or "").split()), ensure_ascii=False)
