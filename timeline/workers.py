"""Work spread over the machine's cores by forked processes, which inherit the build's state.

Forking shares the content model with the workers without copying or pickling it: only the
results travel back. Where fork is unavailable, or one core is all there is, the work runs here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# The work of the current map_in_workers call, for the forked workers to find (set only during the call).
_current: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
_SHARES_PER_WORKER = 4  # several smaller shares even out the workers' loads


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not all the machine has
    except AttributeError:
        return os.cpu_count() or 1


def map_in_workers(task: Callable[[Item], Result], items: Sequence[Item], jobs: int) -> list[Result]:
    """[task(item) for item in items], in up to `jobs` processes; results in the order of `items`.

    An exception in a worker is raised here, as if the task had run in this process.
    """
    global _current
    jobs = min(jobs, len(items))
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [task(item) for item in items]
    _current = (task, items)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(_run, range(len(items)), chunksize=1)
    finally:
        _current = None


def each_in_workers(task: Callable[[Item], Result], items: Sequence[Item], jobs: int, worth: int) -> list[Result]:
    """[task(item) for item in items], shared over up to `jobs` processes when there are at least `worth`
    items (fewer are done here, faster than processes start)."""
    if len(items) < worth:
        return [task(item) for item in items]
    done = map_in_workers(lambda share: [task(item) for item in share], shares(items, jobs), jobs)
    return [result for batch in done for result in batch]


def shares(items: Sequence[Item], jobs: int) -> list[Sequence[Item]]:
    """`items` cut into consecutive runs of equal length, none empty, a few for each of `jobs` workers."""
    size = max(1, -(-len(items) // max(1, jobs * _SHARES_PER_WORKER)))
    return [items[start : start + size] for start in range(0, len(items), size)]


def _run(index: int) -> Any:
    assert _current is not None, "a worker runs only inside map_in_workers"
    task, items = _current
    return task(items[index])
