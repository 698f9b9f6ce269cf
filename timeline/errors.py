"""Problems found in content, and the exceptions that carry them to the CLI."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ContentError:
    """One problem in one file, reported as `path:line: message`."""

    path: Path  # the file as the editor knows it, e.g. content/2024/uk-agreement.md
    line: int  # 1-based; the offending field's line, or 1 when unknown
    message: str  # says what is wrong and how to fix it
    warning: bool = False  # warnings fail the build only under --strict

    def __str__(self) -> str:
        # Always one line, so editors' tools and CI logs can rely on `path:line: message`.
        label = "warning: " if self.warning else ""
        path = str(self.path).replace("\n", "\\n")
        return f"{path}:{self.line}: {label}{' '.join(self.message.split())}"

    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.path), self.line, self.message)

    def as_error(self) -> ContentError:
        """The same problem, counted as an error (for --strict)."""
        return ContentError(self.path, self.line, self.message, warning=False)


def sorted_problems(problems: list[ContentError]) -> list[ContentError]:
    return sorted(set(problems), key=ContentError.sort_key)


class BuildFailed(Exception):
    """Content or templates are broken; nothing was written."""

    def __init__(self, errors: list[ContentError], warnings: list[ContentError] | None = None):
        super().__init__(f"{len(errors)} errors")
        self.errors = sorted_problems(errors)
        self.warnings = sorted_problems(warnings or [])


class UsageError(Exception):
    """The command line or the configuration cannot be used (exit code 2)."""


def describe_value(value: object) -> str:
    """Name a front-matter value for a message: 'a list', 'empty', "'2024'"."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def odd_letters(text: str) -> str:
    """For a "did you mean" message, the letters of `text` from another script than most of its letters, each
    named: '; it has U+0406 CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I among Latin letters' for 'Іtaly'
    with a Cyrillic І. Such a text looks right and is not; '' when every letter is of one script."""
    scripts = [(char, unicodedata.name(char, "UNKNOWN").split(" ")[0]) for char in text if char.isalpha()]
    counts = Counter(script for _, script in scripts)
    if len(counts) < 2:
        return ""
    main = max(counts, key=lambda script: (counts[script], script == "LATIN"))
    odd = dict.fromkeys(char for char, script in scripts if script != main)
    named = ", ".join(f"U+{ord(char):04X} {unicodedata.name(char, '(unnamed)')}" for char in odd)
    return f"; it has {named} among {main.capitalize()} letters"
