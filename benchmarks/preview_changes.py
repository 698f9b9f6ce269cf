"""How long the preview server's rebuild takes for each kind of change an editor makes.

The server's own rebuild (timeline.preview.rebuild.Preview, with what it keeps) is timed, in this process, after each
change to one entry of a corpus: its body, its title, its date, its tags, then a new entry and its
deletion, and after a change to the entry template and to the base template (which every page uses).
The watcher and the browser's reload come on top (benchmarks.serve_edit measures them too).

    python -m benchmarks.preview_changes [--entries 10000] [--runs 3] [--work DIR]
"""

from __future__ import annotations

import argparse
import gc
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from benchmarks.corpus import write_corpus
from timeline.config import load_config
from timeline.preview.rebuild import Preview
from timeline.workers import available_cores

ROOT = Path(__file__).resolve().parent.parent


def _field(name: str, value: str) -> Callable[[str], str]:
    return lambda text: re.sub(rf"^{name}: .*$", f"{name}: {value}", text, count=1, flags=re.MULTILINE)


CHANGES: dict[str, Callable[[str, int], str]] = {
    "body": lambda text, run: f"{text}\nA paragraph added in run {run}.\n",
    "title": lambda text, run: _field("title", f"A title changed in run {run}")(text),
    "date": lambda text, run: _field("date", f"2019-0{run % 9 + 1}-15")(text),
    "tags": lambda text, run: _field("tags", ["[uav]", "[training]", "[air-defense]"][run % 3])(text),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each change; medians are reported")
    parser.add_argument("--work", type=Path, help="folder for the corpus and the site (default: a temporary one)")
    options = parser.parse_args(argv)
    work = options.work or Path(tempfile.mkdtemp(prefix="timeline-preview-"))
    content = write_corpus(work / f"corpus-{options.entries}", options.entries)
    templates = work / "templates"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(ROOT / "templates", templates)
    config = load_config(Path(__file__).with_name("site.toml")).with_overrides(
        content_dir=content, templates_dir=templates, output_dir=work / "site", search=False
    )
    config = replace(config, cache_dir=None)  # the preview's memory only: no disk cache from earlier runs
    jobs = available_cores()
    preview = Preview(lambda: config, jobs, None)
    preview.rebuild()
    gc.collect()
    gc.freeze()  # as the server does after a whole build

    def rebuild(changed: Path) -> float:
        started = time.perf_counter()
        preview.rebuild({str(changed)})
        return time.perf_counter() - started

    entry = sorted(content.rglob("*.md"))[options.entries // 2]  # mid-timeline: lists shift on both sides
    original = entry.read_text(encoding="utf-8")
    kinds = [*CHANGES, "new entry", "deleted entry", "entry template", "base template"]
    timings: dict[str, list[float]] = {name: [] for name in kinds}
    for run in range(options.runs):
        for name, change in CHANGES.items():
            entry.write_text(change(entry.read_text(encoding="utf-8"), run), encoding="utf-8")
            timings[name].append(rebuild(entry))
        added = entry.with_name(f"added-{run}.md")
        added.write_text(original.replace("title: ", "title: Added ", 1), encoding="utf-8")
        timings["new entry"].append(rebuild(added))
        added.unlink()
        timings["deleted entry"].append(rebuild(added))
        for name, template in (("entry template", "entry.html"), ("base template", "base.html")):
            with (templates / template).open("a", encoding="utf-8") as file:
                file.write(f"{{# changed in run {run} #}}\n")  # a comment: the pages are made again, unchanged
            timings[name].append(rebuild(templates / template))
    print(f"{options.entries:,} entries, {jobs} cores, median of {options.runs} runs of the preview's rebuild:")
    for name, seconds in timings.items():
        print(f"  {name:14} {statistics.median(seconds):.3f} s")
    if options.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
