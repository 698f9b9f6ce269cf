"""How long an edit takes to reach the page `build.py serve` serves: from the save to the new text."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_POLL_SECONDS = 0.005
_FIRST_BUILD_TIMEOUT = 900  # the first build of a large corpus takes a while
_EDIT_TIMEOUT = 120


def append_paragraph(text: str, marker: str) -> str:
    """An edit to an entry's body, which no other page shows."""
    return f"{text}\n{marker}\n"


def retitle(text: str, marker: str) -> str:
    """An edit to an entry's title, which lists, its neighbours and related entries show too."""
    return re.sub(r"^title: .*$", f"title: {marker}", text, count=1, flags=re.MULTILINE)


def serve_edit_latencies(
    content: Path,
    templates: Path,
    output: Path,
    entry: Path,
    edits: int,
    changes: Sequence[Callable[[str, str], str]] = (append_paragraph,),
) -> list[list[float]]:
    """Start the preview server; for each of `changes`, edit `entry` `edits` times with it, and time each
    edit until the entry's page shows it. Returns the times of each kind of change."""
    port = _free_port()
    settings = Path(__file__).with_name("site.toml")  # English only, as the benchmark builds the corpus
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--config", str(settings), "--content", str(content),
               "--templates", str(templates), "--out", str(output), "--port", str(port), "--no-search", "--quiet",
               "--cache-dir", str(output.with_name(f"{output.name}.cache"))]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/entries/{entry.stem}/"
    try:
        _wait_for(url, lambda page: True, _FIRST_BUILD_TIMEOUT, server)
        time.sleep(1)  # let the file watcher settle after the first build
        latencies: list[list[float]] = []
        for change in changes:
            latencies.append([])
            for number in range(edits):
                marker = f"Served edit {number} {time.time_ns()}."
                text = change(entry.read_text(encoding="utf-8"), marker)
                started = time.perf_counter()
                entry.write_text(text, encoding="utf-8")
                _wait_for(url, lambda page, marker=marker: marker in page, _EDIT_TIMEOUT, server)
                latencies[-1].append(time.perf_counter() - started)
                time.sleep(0.5)  # a quiet moment between edits, as between an editor's saves
        return latencies
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr:
            server.stderr.close()


def _wait_for(url: str, shows: Callable[[str], bool], timeout: float, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            errors = server.stderr.read().decode(errors="replace") if server.stderr else ""
            raise RuntimeError(f"the preview server stopped: {errors}")
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # answered once a rebuild is done
                if shows(response.read().decode("utf-8", errors="replace")):
                    return
        except (urllib.error.URLError, OSError):
            pass  # not serving yet
        time.sleep(_POLL_SECONDS)
    raise TimeoutError(f"{url} did not show the change within {timeout} s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
