"""One build or preview at a time writes into an output folder; the others wait, or stop with --no-wait."""

import os
import queue
import signal
import socket
import subprocess
import sys
import threading

import pytest

from tests.conftest import CLI_CACHE, ROOT, entry_text, run_cli, site_config, tree_snapshot, write_files
from timeline import pipeline
from timeline.errors import UsageError
from timeline.lock import hold_output
from timeline.marker import MARKER, SiteSummary, read_marker
from timeline.pipeline import build_site
from timeline.staging import write_site


def lines_of(stream, found: queue.Queue) -> None:
    for line in stream:
        found.put(line)


def wait_for_line(found: queue.Queue, text: str, seconds: float = 30) -> str:
    while True:
        line = found.get(timeout=seconds)
        if text in line:
            return line


def without_marker(site) -> dict[str, bytes]:
    return {name: data for name, data in tree_snapshot(site).items() if name != MARKER}


def test_a_second_build_waits_for_the_first_or_stops_with_no_wait(tmp_path, monkeypatch):
    content = write_files(tmp_path / "content", {f"e{n}.md": entry_text(title=f"Entry {n}") for n in range(3)})
    site = tmp_path / "out" / "site"
    rendered, release = threading.Event(), threading.Event()
    render = pipeline.render_site

    def slow_render(*arguments, **keywords):
        made = render(*arguments, **keywords)
        rendered.set()
        assert release.wait(60)
        return made

    monkeypatch.setattr(pipeline, "render_site", slow_render)
    first = threading.Thread(target=build_site, args=(site_config(content, site, search=False),))
    first.start()
    try:
        assert rendered.wait(60)  # the first build is writing its staging folder now
        arguments = ["build", "--no-search", "--content", content, "--out", site]
        refused = run_cli(*arguments, "--no-wait")
        assert refused.returncode == 2
        assert f"{site} is being written by another build or preview (process {os.getpid()})" in refused.stderr
        command = [sys.executable, str(ROOT / "build.py"), *map(str, arguments), "--cache-dir", str(CLI_CACHE)]
        second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        found: queue.Queue = queue.Queue()
        reader = threading.Thread(target=lines_of, args=(second.stderr, found), daemon=True)
        reader.start()
        assert "Waiting for another build or preview" in wait_for_line(found, "Waiting")
    finally:
        release.set()
        first.join()
    assert second.wait(60) == 0
    reader.join()
    second.stdout.close()
    second.stderr.close()
    clean = tmp_path / "clean" / "site"
    build_site(site_config(content, clean, search=False, cache_dir=None))
    assert without_marker(site) == without_marker(clean)  # complete, not a mix of two builds
    assert read_marker(site).inputs is not None
    assert "up to date" in run_cli(*arguments).stdout
    # No staging folder and no lock file are left (the build cache of site_config is beside the site too).
    assert sorted(path.name for path in site.parent.iterdir()) == ["site", "site.cache"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_build_never_publishes_into_a_folder_a_preview_with_drafts_holds_and_a_killed_holder_never_blocks(
    tmp_path,
):
    content = write_files(
        tmp_path / "content",
        {"public.md": entry_text(title="Public"), "secret.md": entry_text(title="Secret", draft="true")},
    )
    site = tmp_path / "site"
    serve = [sys.executable, str(ROOT / "build.py"), "serve", "--drafts", "--no-search", "--jobs", "1",
             "--content", str(content), "--out", str(site), "--port", str(free_port()),
             "--cache-dir", str(CLI_CACHE)]  # fmt: skip
    preview = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        found: queue.Queue = queue.Queue()
        reader = threading.Thread(target=lines_of, args=(preview.stderr, found), daemon=True)
        reader.start()
        wait_for_line(found, "Serving")
        assert (site / "entries" / "secret" / "index.html").is_file()  # the preview shows the draft
        build = ["build", "--no-search", "--content", content, "--out", site, "--no-wait"]
        refused = run_cli(*build)
        assert refused.returncode == 2 and "being written by another build or preview" in refused.stderr
        assert (site / "entries" / "secret" / "index.html").is_file()
    finally:
        preview.send_signal(signal.SIGKILL)  # killed: it cannot release anything itself
        preview.wait()
        reader.join()
        preview.stderr.close()
    built = run_cli(*build)
    assert built.returncode == 0, built.stderr
    assert (site / "entries" / "public" / "index.html").is_file()
    assert not (site / "entries" / "secret").exists()


def test_a_settings_file_inside_the_output_folder_is_refused_not_deleted(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text()})
    site = tmp_path / "site"
    assert run_cli("build", "--no-search", "--content", content, "--out", site).returncode == 0
    settings = site / "site.toml"
    settings.write_bytes((ROOT / "site.toml").read_bytes())
    result = run_cli("build", "--no-search", "--content", content, "--out", site, "--config", settings)
    assert result.returncode == 2 and "overlaps" in result.stderr and str(settings) in result.stderr
    assert settings.read_bytes() == (ROOT / "site.toml").read_bytes()


def test_the_marker_is_never_written_for_a_site_whose_files_were_removed_while_it_was_written(tmp_path):
    site = tmp_path / "site"

    def fill_while_another_program_removes_files(writer):
        for number in range(5):
            writer.add(f"page-{number}/index.html", b"page")
        (writer.staging / "page-0" / "index.html").unlink()  # as a second build removing "leftovers" did
        return SiteSummary("inputs", 5, 5)

    with pytest.raises(UsageError, match=r"removed .* while it was written"):
        write_site(site, fill_while_another_program_removes_files)
    assert not site.exists()
    assert list(tmp_path.iterdir()) == []


def test_workers_left_behind_by_a_killed_build_do_not_keep_the_folder_locked(tmp_path):
    """A build's forked workers get copies of the lock's descriptor; a killed build's orphans must not hold it."""
    site = tmp_path / "site"
    holder = (
        "import multiprocessing, os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from timeline.lock import hold_output\n"
        "with hold_output(Path(sys.argv[1]), None):\n"
        "    worker = multiprocessing.get_context('fork').Process(target=time.sleep, args=(60,))\n"
        "    worker.start()\n"
        "    print(worker.pid, flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )  # fmt: skip
    killed = subprocess.Popen([sys.executable, "-c", holder, str(site)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    orphan = int(killed.stdout.readline())
    try:
        assert killed.wait(timeout=30) == -signal.SIGKILL
        os.kill(orphan, 0)  # the worker outlived the build that forked it
        with hold_output(site, None):  # and yet the folder is free
            pass
    finally:
        os.kill(orphan, signal.SIGKILL)
        killed.stdout.close()
