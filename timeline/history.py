"""The content's history from git: when each file last changed, and what was added, changed or removed each day.

One `git log` over the content folder reads it all (a process per file would be slow on a large site).
Without git, outside a repository, or in a shallow clone (whose history is cut short, so that every file
would seem added on the day of its newest commit), there is no history and pages say nothing about it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from types import MappingProxyType

_TIMEOUT = 60  # seconds; a repository so large that its log takes longer is read without history
_RECORD = "\x1e"  # starts each commit in the log's output


class ChangeKind(Enum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class FileChange:
    """What a day's commits did to one file, all of them taken together."""

    day: date  # the commits' day, in UTC
    kind: ChangeKind
    path: str  # relative to the content folder, with '/'


@dataclass(frozen=True, slots=True)
class History:
    changes: tuple[FileChange, ...]  # newest day first; within a day, by path
    last_changed: Mapping[str, date]  # path -> the day of the last commit that changed it
    key: str  # the last commit that changed the content, for the build's fingerprint; "" without history

    def last_change(self, path: str) -> date | None:
        return self.last_changed.get(path)


NO_HISTORY = History((), MappingProxyType({}), "")


def read_history(content_dir: Path) -> History:
    """The history of the files under content_dir, from the git repository it is in; NO_HISTORY without one."""
    state = _git(content_dir, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    if state is None or state.split() != ["true", "false"]:
        return NO_HISTORY
    log = _git(content_dir, "log", "--reverse", f"--format={_RECORD}%H %ct", "--name-status", "--no-renames",
               "--relative", "--", ".")  # fmt: skip
    if log is None:
        return NO_HISTORY
    return parse_log(log)


def parse_log(log: str) -> History:
    """`log`: `git log --reverse --format=<RS>%H %ct --name-status --no-renames`, oldest commit first."""
    last_changed: dict[str, date] = {}
    newest = ""
    by_day: dict[tuple[date, str], ChangeKind | None] = {}
    for record in log.split(_RECORD)[1:]:
        header, *lines = record.strip("\n").split("\n")
        newest, stamp = header.split()
        day = datetime.fromtimestamp(int(stamp), tz=UTC).date()
        for line in lines:
            status, _, path = line.partition("\t")
            if not path or status[:1] not in "AMD":
                continue
            kind = {"A": ChangeKind.ADDED, "M": ChangeKind.CHANGED, "D": ChangeKind.REMOVED}[status[:1]]
            key = (day, path)
            by_day[key] = _combined(by_day[key], kind) if key in by_day else kind
            if kind is ChangeKind.REMOVED:
                last_changed.pop(path, None)
            else:
                last_changed[path] = day
    changes = sorted(
        (FileChange(day, kind, path) for (day, path), kind in by_day.items() if kind is not None),
        key=lambda change: (-change.day.toordinal(), change.path),
    )
    return History(tuple(changes), MappingProxyType(last_changed), newest)


def _combined(before: ChangeKind | None, after: ChangeKind) -> ChangeKind | None:
    """One day's two changes to a file as one: added then changed is added; added then removed is nothing."""
    if before is ChangeKind.ADDED:
        return None if after is ChangeKind.REMOVED else ChangeKind.ADDED
    if before is ChangeKind.REMOVED and after is ChangeKind.ADDED:
        return ChangeKind.CHANGED
    return after  # after nothing (added and removed earlier that day), a change, or a removal


def _git(folder: Path, *arguments: str) -> str | None:
    """git's output in `folder`, or None if git is missing or fails."""
    git = shutil.which("git")
    if git is None or not folder.is_dir():
        return None
    try:
        done = subprocess.run(
            [git, "-c", "core.quotePath=false", *arguments], cwd=folder, capture_output=True, timeout=_TIMEOUT,
            check=False, env={**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"},
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="surrogateescape")
