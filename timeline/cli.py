"""Command line: `build` (the default) and `check`; exit 0 ok, 1 content errors, 2 usage errors."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from timeline.config import DEFAULT_CONFIG_FILE, SiteConfig, load_config
from timeline.errors import BuildFailed, ContentError, UsageError
from timeline.pipeline import build_site, check_site

EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "check")


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] not in (*COMMANDS, "-h", "--help"):
        arguments.insert(0, "build")  # `python build.py` and `python build.py --out x` mean build
    options = _parser().parse_args(arguments)
    try:
        config = _config(options)
        if options.command == "check":
            return _check(config)
        return _build(config)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        # Content is read before anything is written, so this is the output folder refusing writes.
        print(f"error: cannot write the site: {error.strerror or error} ({error.filename or ''})", file=sys.stderr)
        return EXIT_USAGE
    except BuildFailed as failure:
        _report_failure(failure, options.command, config)
        return EXIT_CONTENT_ERRORS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the partnerships timeline from Markdown files into a static site."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{build,check}")
    build = commands.add_parser("build", help="build content/ into site/ (the default)")
    check = commands.add_parser("check", help="validate the content and write nothing")
    for command in (build, check):
        command.add_argument("--content", type=Path, help="content folder (default: content/)")
        command.add_argument("--config", type=Path, default=DEFAULT_CONFIG_FILE, help="settings file (site.toml)")
        command.add_argument("--drafts", action="store_true", help="include entries marked 'draft: true'")
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--out", type=Path, help="output folder (default: site/)")
    build.add_argument("--base-url", help="address the site is published at, e.g. https://example.github.io/repo/")
    build.add_argument("--no-search", action="store_true", help="leave out the full-text search index")
    return parser


def _config(options: argparse.Namespace) -> SiteConfig:
    config = load_config(options.config).with_overrides(
        content_dir=options.content,
        output_dir=getattr(options, "out", None),
        base_url=getattr(options, "base_url", None),
        include_drafts=options.drafts or None,
        strict=options.strict or None,
        search=False if getattr(options, "no_search", False) else None,
    )
    if not config.content_dir.is_dir():
        problem = "is not a folder" if config.content_dir.exists() else "does not exist"
        raise UsageError(f"content folder {_shown(config.content_dir)} {problem}")
    return config


def _build(config: SiteConfig) -> int:
    shown_output = _shown(config.output_dir)  # before the build: with --out . the swap replaces the current folder
    report = build_site(config)
    _print_problems(report.warnings)
    warnings = f" ({_count(len(report.warnings), 'warning')})" if report.warnings else ""
    print(
        f"Built {_count(report.entries, 'entry', 'entries')} into {_count(report.pages, 'page')} "
        f"in {report.seconds:.2f} s{warnings} -> {shown_output}"
    )
    return EXIT_OK


def _check(config: SiteConfig) -> int:
    warnings = check_site(config)
    _print_problems(warnings)
    suffix = f" with {_count(len(warnings), 'warning')}" if warnings else ""
    print(f"Content in {_shown(config.content_dir)} is valid{suffix}.")
    return EXIT_OK


def _report_failure(failure: BuildFailed, command: str, config: SiteConfig) -> None:
    _print_problems([*failure.warnings, *failure.errors])
    files = len({str(error.path) for error in failure.errors})
    outcome = "nothing was written" if command == "check" else f"{_shown(config.output_dir)} was not changed"
    summary = f"{_count(len(failure.errors), 'error')} in {_count(files, 'file')}; {outcome}."
    print(summary, file=sys.stderr)


def _print_problems(problems: list[ContentError] | tuple[ContentError, ...]) -> None:
    for problem in sorted(problems, key=ContentError.sort_key):
        print(replace(problem, path=Path(_shown(problem.path))), file=sys.stderr)


def _shown(path: Path) -> str:
    """Paths as the user would type them: relative to where they stand, when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):  # elsewhere, or the current folder itself was just replaced
        return str(path)


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
