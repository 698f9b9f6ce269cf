"""Related entries: the ones that share the most partners and tags with an entry, nearest in time first."""

from __future__ import annotations

from bisect import bisect_left
from heapq import nsmallest

from timeline.model import Timeline
from timeline.workers import each_in_workers

RELATED_LIMIT = 5
# Only this many neighbours in time are scored in each shared group, so a tag on thousands of
# entries costs the same as one on fifty: the build stays linear, and nearby events are the relevant ones.
_WINDOW = 40
_PARTNER_WEIGHT = 2  # a shared partner says more than a shared topic
_WORTH_PROCESSES = 2000  # fewer entries are ranked faster than processes start


class RelatedIndex:
    """Timeline positions of every partner's and tag's entries, computed once for all entry pages."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        position = {entry.slug: index for index, entry in enumerate(timeline.entries)}
        self._by_partner = {key: [position[e.slug] for e in group] for key, group in timeline.by_partner.items()}
        self._by_tag = {key: [position[e.slug] for e in group] for key, group in timeline.by_tag.items()}

    def positions(self, index: int) -> tuple[int, ...]:
        """The timeline positions of up to RELATED_LIMIT entries related to the one at `index`, best first."""
        entry = self.timeline.entries[index]
        scores: dict[int, int] = {}
        groups = [(self._by_partner[partner], _PARTNER_WEIGHT) for partner in entry.partners]
        groups += [(self._by_tag[tag], 1) for tag in entry.tags]
        for positions, weight in groups:
            middle = bisect_left(positions, index)
            for other in positions[max(0, middle - _WINDOW) : middle + _WINDOW + 1]:
                scores[other] = scores.get(other, 0) + weight
        scores.pop(index, None)
        # Best score first, then nearest in time, then earliest: tuples compare without a key function.
        ranked = nsmallest(RELATED_LIMIT, [(-score, abs(other - index), other) for other, score in scores.items()])
        return tuple(other for _, _, other in ranked)


class RelatedMemo:
    """Every entry's related positions, computed again only when what they depend on has changed:
    the order of the entries and their partners and tags. Editing a body or a title changes none of it."""

    def __init__(self) -> None:
        self._signature: tuple[list[object], list[object]] | None = None
        self._positions: list[tuple[int, ...]] = []

    def positions(self, timeline: Timeline, jobs: int) -> list[tuple[int, ...]]:
        """For the entry at each position of the timeline, the positions of its related entries."""
        entries = timeline.entries
        signature = ([entry.partners for entry in entries], [entry.tags for entry in entries])
        if signature != self._signature:
            index = RelatedIndex(timeline)
            self._positions = each_in_workers(index.positions, range(len(entries)), jobs, _WORTH_PROCESSES)
            self._signature = signature
        return self._positions
