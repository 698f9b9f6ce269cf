"""How numbers read on the site and in the terminal."""

from __future__ import annotations


def count_label(number: int, singular: str, plural: str | None = None) -> str:
    """'1 entry', '1,234 entries'; the plural is the singular plus 's' unless given."""
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"
