"""Shared helpers: small content folders on the fly, builds of the fixture sites, the CLI as a user runs it."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from timeline.config import SiteConfig, load_config
from timeline.dates import DatePrecision, PartialDate
from timeline.model import Entry, EntryKind
from timeline.partners import resolve_partner
from timeline.pipeline import build_site

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"


def entry_text(body: str = "Body text.", **fields: str) -> str:
    """A content file; fields are written as given (YAML), defaults make it valid."""
    values = {"title": "An entry", "date": "2024-02-16", "countries": "[IT]", "type": "article",
              "sources": "[https://example.org/source]", **fields}  # fmt: skip
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def make_entry(
    slug: str,
    day: str,
    *,
    partners: tuple[str, ...] = ("IT",),
    kind: str = "article",
    title: str | None = None,
    precision: str = "day",
) -> Entry:
    """An Entry built directly, for tests of what comes after parsing."""
    return Entry(
        slug=slug, kind=EntryKind(kind), title=title or slug,
        date=PartialDate(date.fromisoformat(day), DatePrecision(precision)),
        partners=tuple(resolve_partner(partner) for partner in partners),
        summary="", body_html="", tags=(), sources=(), author=None, updated=None, draft=False, links=(),
        path=Path(f"content/{slug}.md"),
    )  # fmt: skip


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return folder


def site_config(content_dir: Path, output_dir: Path, **overrides: object) -> SiteConfig:
    """The shipped settings for a build of content_dir into output_dir, with a build cache of that output's own
    (beside it, never the project's), so that a build into a new folder is a clean build; no git history
    unless asked for (history=True)."""
    cache_dir = overrides.pop("cache_dir", output_dir.with_name(f"{output_dir.name}.cache"))
    # The fixtures live in this project's own repository: without this, their pages would show its history.
    overrides.setdefault("history", False)
    config = load_config().with_overrides(content_dir=content_dir, output_dir=output_dir, **overrides)
    return replace(config, cache_dir=cache_dir)


# The build cache of the commands the tests run: shared (it is keyed by content), never the project's own.
CLI_CACHE = Path(tempfile.mkdtemp(prefix="timeline-tests-cache-"))


def run_cli(
    *arguments: str | Path, cwd: Path = ROOT, script: Path = ROOT / "build.py"
) -> subprocess.CompletedProcess[str]:
    """build.py in a child process, exactly as an editor or CI runs it (with the tests' own build cache)."""
    words = [str(argument) for argument in arguments]
    if (not words or words[0] not in ("new", "-h", "--help")) and not {"--cache-dir", "--no-cache"} & set(words):
        words += ["--cache-dir", str(CLI_CACHE)]
    command = [sys.executable, str(script), *words]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes, for before/after comparisons."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.fixture
def make_content(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    def make(files: dict[str, str | bytes]) -> Path:
        return write_files(tmp_path / "content", files)

    return make


@pytest.fixture(scope="session")
def built_minimal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal fixture site, built once for every test that only reads it."""
    output = tmp_path_factory.mktemp("minimal") / "site"
    build_site(site_config(FIXTURES / "minimal" / "content", output, base_url="https://example.org/"))
    return output


@pytest.fixture(scope="session")
def built_edge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("edge") / "site"
    build_site(site_config(FIXTURES / "edge" / "content", output, base_url="https://example.github.io/repo/"))
    return output


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write the built fixture sites into tests/golden/ instead of comparing with them",
    )
