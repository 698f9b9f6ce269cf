"""The benchmark command runs end to end on a small corpus, so it cannot rot between measurements."""

import json
import re
import sys

from benchmarks.run import main


def test_the_benchmark_measures_every_figure_on_200_entries(tmp_path, capsys):
    results = tmp_path / "results.json"
    assert main(["--sizes", "200", "--runs", "1", "--no-compare", "--work", str(tmp_path / "work"),
                 "--json", str(results)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    [row] = [line for line in printed.splitlines() if line.startswith("| 200 |")]
    # cold, search, warm, one edit, template change, serve edit, serve retitle
    assert len(re.findall(r"\d+\.\d+ s", row)) == 7
    measured = json.loads(results.read_text())
    [size] = measured["sizes"]
    assert size["entries"] == 200
    assert 0 < size["warm"] < size["cold"]  # nothing changed: the site is left as it is
    assert 0 < size["serve_edit"] < 60 and 0 < size["serve_retitle"] < 60
    assert size["cold_peak_mb"] > 20  # the whole process tree, not an empty sample
    assert 0 < measured["check_startup"] < size["cold"]
    assert "check start-up" in printed and "warm = " in printed


def test_peak_memory_counts_the_processes_a_command_starts():
    from benchmarks.measure import run_measured

    child = "import time; held = b'x' * 150_000_000; time.sleep(0.5)"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    measured = run_measured([sys.executable, "-c", parent])
    assert measured.peak_mb > 150  # held by the child, not the command itself


def test_the_preview_rebuild_benchmark_times_every_kind_of_change(tmp_path, capsys):
    from benchmarks.preview_changes import main as preview_main

    assert preview_main(["--entries", "60", "--runs", "1", "--work", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    timed = dict(re.findall(r"^  (\w[\w ]*?) +(\d+\.\d+) s$", printed, flags=re.MULTILINE))
    assert set(timed) == {"body", "title", "date", "tags", "new entry", "deleted entry", "entry template",
                          "base template"}  # fmt: skip
    assert all(0 < float(seconds) < 30 for seconds in timed.values())
