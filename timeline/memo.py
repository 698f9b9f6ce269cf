"""Values computed from an object once and kept while the same object comes back.

The preview server keeps the entries it checked between rebuilds, and an edited file becomes a new
entry object. So what is derived from one entry (its card, its line of the data files, its warnings)
is computed again only for the entries an edit touched. Identity is the test: comparing or hashing
whole entries would cost as much as computing the values again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Source = TypeVar("Source")
Value = TypeVar("Value")


class Memo(Generic[Source, Value]):
    """One value per object; whatever else the values depend on must clear() the memo when it changes."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Source, Value]] = {}

    def values(self, sources: Sequence[Source], compute: Callable[[Source], Value]) -> list[Value]:
        """compute(source) for each object, in order, from the last call where it was made for the same object.
        Afterwards only these objects' values are kept."""
        kept = self._kept
        fresh: dict[int, tuple[Source, Value]] = {}
        for source in sources:
            found = kept.get(id(source))
            if found is None or found[0] is not source:  # holding `source` keeps its id from being reused
                found = (source, compute(source))
            fresh[id(source)] = found
        self._kept = fresh
        return [value for _, value in fresh.values()] if len(fresh) == len(sources) else _in_order(fresh, sources)

    def clear(self) -> None:
        self._kept = {}


def _in_order(values: dict[int, tuple[Source, Value]], sources: Sequence[Source]) -> list[Value]:
    """The values in the order of `sources`, where an object comes more than once."""
    return [values[id(source)][1] for source in sources]
