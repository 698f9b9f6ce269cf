"""Problems as GitHub Actions workflow commands, so that a pull request shows each on the line that causes it.

GitHub reads `::error file=…,line=…::message` (and `::warning …`) from a step's output and attaches it to
that line of the pull request's diff. The format and its escapes are GitHub's (actions/toolkit's
command.ts): in the message `%`, CR and LF; in a property, `:` and `,` as well.
"""

from __future__ import annotations

from collections.abc import Mapping

from timeline.errors import ContentError

CHOICES = ("auto", "github", "none")  # auto: github inside GitHub Actions, none elsewhere


def annotations_wanted(choice: str, environment: Mapping[str, str]) -> bool:
    """Whether to print annotations: asked for, or `auto` in a GitHub Actions job (which sets GITHUB_ACTIONS)."""
    return choice == "github" or (choice == "auto" and environment.get("GITHUB_ACTIONS") == "true")


def github_annotation(problem: ContentError, shown_path: str) -> str:
    """One problem as a workflow command; `shown_path` is its file relative to the repository's root."""
    kind = "warning" if problem.warning else "error"
    return f"::{kind} file={escape_property(shown_path)},line={problem.line}::{escape_data(problem.message)}"


def github_message(message: str) -> str:
    """A problem that belongs to no file (a bad option, a broken site.toml) as a workflow command."""
    return f"::error::{escape_data(message)}"


def escape_data(text: str) -> str:
    # `%` first: the escapes themselves start with it.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
