"""Work spread over the machine's cores by forked processes, which inherit the build's state.

Forking shares the content model with the workers without copying or pickling it: only the
results travel back. Where fork is unavailable, or one core is all there is, the work runs here.
Work that must end in time (`each_in_time`) always runs in processes of its own, which are stopped
when an item takes too long.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# The work of the current map_in_workers call, for the forked workers to find (set only during the call).
_current: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
_SHARES_PER_WORKER = 4  # several smaller shares even out the workers' loads
# The work of the current each_in_time call, for its forked workers to find.
_timed: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


@dataclass(frozen=True, slots=True)
class Unfinished:
    """What each_in_time gives for an item whose task did not finish."""

    overran: bool  # True: stopped after the time limit; False: its process ended without an answer (a crash)


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


def each_in_time(
    task: Callable[[Item], Result], items: Sequence[Item], jobs: int, limit: float
) -> list[Result | Unfinished]:
    """[task(item) for item in items] in up to `jobs` forked processes, where an item that takes longer than
    `limit` seconds, or ends its process, gives Unfinished and the others carry on.

    A library stuck in C code cannot be interrupted by the process running it, and a signal reaches only a
    main thread; a process can always be stopped, from any thread. An exception in a task is raised here.
    """
    global _timed
    if not items:
        return []
    if "fork" not in multiprocessing.get_all_start_methods():
        return [task(item) for item in items]  # nowhere to run it apart: no limit
    _timed = (task, items)
    results: dict[int, Result | Unfinished] = {}
    pending = deque(list(share) for share in shares(range(len(items)), jobs))
    workers: dict[Connection, _TimedWorker] = {}
    try:
        while pending or workers:
            while pending and len(workers) < jobs:
                worker = _TimedWorker(pending.popleft(), limit)
                workers[worker.connection] = worker
            soonest = min(worker.deadline for worker in workers.values())
            for connection in wait(list(workers), timeout=max(0.0, soonest - time.monotonic())):
                worker = workers[connection]
                if not worker.receive(results):  # its process ended without an answer
                    results[worker.share.popleft()] = Unfinished(overran=False)
                elif worker.share:
                    continue
                elif pending:
                    worker.give(pending.popleft())
                    continue
                del workers[connection]
                worker.stop(pending)
            for connection, worker in list(workers.items()):
                if time.monotonic() >= worker.deadline:
                    results[worker.share.popleft()] = Unfinished(overran=True)
                    del workers[connection]
                    worker.stop(pending)
    finally:
        _timed = None
        for worker in workers.values():
            worker.stop(pending)
    return [results[index] for index in range(len(items))]


class _TimedWorker:
    """One forked process working through shares of item positions, sending each result as it is done."""

    def __init__(self, share: list[int], limit: float) -> None:
        self.limit = limit
        self.connection, child = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("fork").Process(target=_serve_timed, args=(child,), daemon=True)
        self.process.start()
        child.close()  # the parent's copy: the pipe ends when the process does
        self.share: deque[int] = deque()
        self.give(share)

    def give(self, share: list[int]) -> None:
        self.share.extend(share)
        self.deadline = time.monotonic() + self.limit
        self.connection.send(share)

    def receive(self, results: dict[int, Any]) -> bool:
        """Take one result; False when the process ended without sending it."""
        try:
            index, finished, value = self.connection.recv()
        except (EOFError, OSError):
            return False
        if not finished:
            raise value
        results[index] = value
        self.share.popleft()
        self.deadline = time.monotonic() + self.limit  # the next item starts now
        return True

    def stop(self, pending: deque[list[int]]) -> None:
        """End the process (at once: it may be stuck) and hand back the items it did not do."""
        if self.share:
            pending.appendleft(list(self.share))
            self.share.clear()
        self.process.kill()
        self.process.join()
        self.connection.close()


def _serve_timed(connection: Connection) -> None:
    assert _timed is not None, "a timed worker runs only inside each_in_time"
    task, items = _timed
    while True:
        for index in connection.recv():
            try:
                connection.send((index, True, task(items[index])))
            except Exception as error:  # raised again in the parent, as if the task had run there
                try:
                    connection.send((index, False, error))
                except Exception:  # the exception itself cannot be sent
                    connection.send((index, False, RuntimeError(f"{type(error).__name__}: {error}")))
