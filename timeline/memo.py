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

    def values(self, sources: Sequence[Source], compute: Callable[[list[Source]], list[Value]]) -> list[Value]:
        """The value of each object, in order: kept from the last call for the same object, or computed by
        `compute`, which is given every object without one at once (so it may share them over processes).
        Afterwards only these objects' values are kept."""
        kept = self._kept
        missing = [source for source in sources if (found := kept.get(id(source))) is None or found[0] is not source]
        fresh = {id(source): (source, value) for source, value in zip(missing, compute(missing), strict=True)}
        # holding each `source` keeps its id from being reused
        self._kept = {id(source): fresh.get(id(source)) or kept[id(source)] for source in sources}
        return [self._kept[id(source)][1] for source in sources]

    def clear(self) -> None:
        self._kept = {}
