"""Work spread over the machine's cores by forked processes, which inherit the build's state.

Forking shares the content model with the workers without copying or pickling it: only the
results travel back. Where fork is unavailable, or one core is all there is, the work runs here.
Work that must end in time (`each_in_time`) always runs in processes of its own, which are stopped
when an item takes too long.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from timeline import linux

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
        # A killed build's workers end with it instead of waiting for work for ever.
        with multiprocessing.get_context("fork").Pool(jobs, initializer=linux.end_with_parent) as pool:
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
    `limit` seconds of processor time, or ends its process, gives Unfinished and the others carry on.

    A library stuck in C code cannot be interrupted by the process running it, and a signal reaches only a
    main thread; a process can always be stopped, from any thread. Processor time, not the clock, so that a
    busy machine does not fail a file; the clock stops one that is stuck without working (at `_STUCK` times
    the limit). An exception in a task is raised here.
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
            soonest = min(worker.next_look for worker in workers.values())
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
                if worker.overran():
                    results[worker.share.popleft()] = Unfinished(overran=True)
                    del workers[connection]
                    worker.stop(pending)
    finally:
        _timed = None
        for worker in workers.values():
            worker.stop(pending)
    return [results[index] for index in range(len(items))]


_STUCK = 6  # times the limit on the clock after which an item is stopped however little processor time it used


class _TimedWorker:
    """One forked process working through shares of item positions, sending each result as it is done."""

    def __init__(self, share: list[int], limit: float) -> None:
        self.limit = limit
        self.connection, child = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("fork").Process(
            target=_serve_timed, args=(child, os.getpid()), daemon=True
        )
        self.process.start()
        child.close()  # the parent's copy: the pipe ends when the process does
        self.share: deque[int] = deque()
        self.processor_time = 0.0  # the process's processor time when its current item started
        self.give(share)

    def give(self, share: list[int]) -> None:
        self.share.extend(share)
        self._start_item()
        self.connection.send(share)

    def receive(self, results: dict[int, Any]) -> bool:
        """Take one result; False when the process ended without sending it."""
        try:
            index, finished, value, self.processor_time = self.connection.recv()
        except (EOFError, OSError):
            return False
        if not finished:
            raise value
        results[index] = value
        self.share.popleft()
        self._start_item()  # the next one starts now
        return True

    def overran(self) -> bool:
        """Whether the current item has had its time; if not, `next_look` says when to look again."""
        now = time.monotonic()
        if now < self.next_look:
            return False
        if now >= self.started + _STUCK * self.limit:
            return True
        used = _processor_time(self.process.pid) if self.process.pid else None
        if used is None:  # it cannot be told: the clock decides
            return True
        left = self.limit - (used - self.processor_time)
        self.next_look = now + max(left, 0.05)
        return left <= 0

    def stop(self, pending: deque[list[int]]) -> None:
        """End the process (at once: it may be stuck) and hand back the items it did not do."""
        if self.share:
            pending.appendleft(list(self.share))
            self.share.clear()
        self.process.kill()
        self.process.join()
        self.connection.close()

    def _start_item(self) -> None:
        self.started = time.monotonic()
        self.next_look = self.started + self.limit


def _processor_time(pid: int) -> float | None:
    """A process's processor time in seconds (user and system), from Linux's /proc; None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            fields = file.read().rpartition(b")")[2].split()  # after the command's name, which may hold spaces
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _serve_timed(connection: Connection, parent: int) -> None:
    assert _timed is not None, "a timed worker runs only inside each_in_time"
    task, items = _timed
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops its workers
    # A killed build must not leave its workers behind: they would hold the output folder's lock (inherited
    # with the fork) and wait for work forever, as each holds its siblings' pipes open.
    linux.end_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        return
    while True:
        try:
            share = connection.recv()
        except EOFError:  # the parent is gone
            return
        for index in share:
            try:
                connection.send((index, True, task(items[index]), time.process_time()))
            except Exception as error:  # raised again in the parent, as if the task had run there
                try:
                    connection.send((index, False, error, time.process_time()))
                except Exception:  # the exception itself cannot be sent
                    failure = RuntimeError(f"{type(error).__name__}: {error}")
                    connection.send((index, False, failure, time.process_time()))
