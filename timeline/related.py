"""Related entries: the ones that share the most partners and tags with an entry, nearest in time first."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from heapq import nsmallest

from timeline.model import Timeline
from timeline.partners import Partner
from timeline.workers import each_in_workers

RELATED_LIMIT = 5
# Only this many neighbours in time are scored in each shared group, so a tag on thousands of
# entries costs the same as one on fifty: the build stays linear, and nearby events are the relevant ones.
_WINDOW = 40
_PARTNER_WEIGHT = 2  # a shared partner says more than a shared topic
_WORTH_PROCESSES = 2000  # fewer entries are ranked faster than processes start

Groups = tuple[tuple[tuple[Partner, ...], tuple[str, ...]], ...]


def related_groups(timeline: Timeline) -> Groups:
    """Each entry's partners and tags, in timeline order: everything the ranking depends on."""
    return tuple((entry.partners, entry.tags) for entry in timeline.entries)


def rank_related(groups: Groups, jobs: int = 1) -> tuple[tuple[int, ...], ...]:
    """For the entry at each position, the positions of up to RELATED_LIMIT related entries, best first."""
    index = _RelatedIndex(groups)
    return tuple(each_in_workers(index.positions, range(len(groups)), jobs, _WORTH_PROCESSES))


class _RelatedIndex:
    """Timeline positions of every partner's and tag's entries, computed once for all entries."""

    def __init__(self, groups: Groups) -> None:
        self.groups = groups
        self._by_partner: dict[Partner, list[int]] = {}
        self._by_tag: dict[str, list[int]] = {}
        for position, (partners, tags) in enumerate(groups):
            for partner in partners:
                self._by_partner.setdefault(partner, []).append(position)
            for tag in tags:
                self._by_tag.setdefault(tag, []).append(position)

    def positions(self, index: int) -> tuple[int, ...]:
        partners, tags = self.groups[index]
        scores: dict[int, int] = {}
        shared: list[tuple[Sequence[int], int]] = [(self._by_partner[partner], _PARTNER_WEIGHT) for partner in partners]
        shared += [(self._by_tag[tag], 1) for tag in tags]
        for positions, weight in shared:
            middle = bisect_left(positions, index)
            for other in positions[max(0, middle - _WINDOW) : middle + _WINDOW + 1]:
                scores[other] = scores.get(other, 0) + weight
        scores.pop(index, None)
        # Best score first, then nearest in time, then earliest: tuples compare without a key function.
        ranked = nsmallest(RELATED_LIMIT, [(-score, abs(other - index), other) for other, score in scores.items()])
        return tuple(other for _, _, other in ranked)
