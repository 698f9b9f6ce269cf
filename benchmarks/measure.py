"""Wall time and peak memory of a command and every process it starts.

Memory is sampled from /proc every few milliseconds as the sum of the processes' proportional set
sizes (PSS): pages that forked workers share with their parent are counted once, not once per process.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_SAMPLE_SECONDS = 0.01


@dataclass(frozen=True, slots=True)
class Measurement:
    seconds: float
    peak_mb: float  # the most the process tree held at once, in MB (10^6 bytes)
    output: str  # what the command printed (stdout and stderr)


class CommandFailed(RuntimeError):
    pass


def run_measured(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Measurement:
    """Run `command` to the end; raise CommandFailed, with its output, if it exits with an error."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    sampler = _PeakSampler(process.pid)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    sampler.stop()
    text = output.decode(errors="replace")
    if process.returncode != 0:
        raise CommandFailed(f"{' '.join(command)} exited with {process.returncode}:\n{text}")
    return Measurement(seconds, sampler.peak / 1e6, text)


class _PeakSampler(threading.Thread):
    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak, self._stop_event = root, 0, threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_memory(self.root))
            self._stop_event.wait(_SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def tree_memory(root: int) -> int:
    """Bytes held by `root` and all its descendants now (PSS, or RSS where PSS cannot be read)."""
    return sum(_process_memory(pid) for pid in _descendants(root) | {root})


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            parent = _parent_of(int(name))
            if parent is not None:
                children.setdefault(parent, []).append(int(name))
    found, pending = set(), [root]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None  # it has just ended
    return int(stat[stat.rindex(")") + 2 :].split()[1])  # after "pid (name) state": the name may hold spaces


def _process_memory(pid: int) -> int:
    for file, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
        except OSError:
            continue
    return 0
