"""Command line: build (the default), check, serve and new; exit 0 ok, 1 content errors, 2 usage errors."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from timeline.annotations import CHOICES, annotations_wanted, github_annotation, github_message
from timeline.config import DEFAULT_CONFIG_FILE, SiteConfig, build_date, load_config
from timeline.errors import BuildFailed, ContentError, UsageError
from timeline.lock import hold_output
from timeline.pipeline import build_site, check_site, protected_inputs
from timeline.staging import check_output_dir
from timeline.wording import count_label
from timeline.workers import available_cores

EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "check", "serve", "new")


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] not in (*COMMANDS, "-h", "--help"):
        arguments.insert(0, "build")  # `python build.py` and `python build.py --out x` mean build
    options = _parser().parse_args(arguments)
    config: SiteConfig | None = None
    try:
        if options.command == "new":
            return _new(options)
        config = _config(options)
        _warn_if_slow_yaml(options)
        return {"check": _check, "serve": _serve, "build": _build}[options.command](config, options)
    except UsageError as error:
        _print_usage_error(str(error), options)
        return EXIT_USAGE
    except OSError as error:  # the file system refused: an unwritable --out, a full disk
        place = f" ({error.filename})" if error.filename else ""
        _print_usage_error(f"{error.strerror or error}{place}", options)
        return EXIT_USAGE
    except BuildFailed as failure:
        _report_failure(failure, options, config)
        return EXIT_CONTENT_ERRORS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the partnerships timeline from Markdown files into a static site."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{build,check,serve,new}")
    build = commands.add_parser("build", help="build content/ into site/ (the default)")
    check = commands.add_parser("check", help="validate the content and write nothing")
    serve = commands.add_parser("serve", help="build, serve with live reload, rebuild on every change")
    new = commands.add_parser(
        "new", help="start a new entry file under content/<year>/, or a translation of one (--translate)"
    )
    for command in (build, check, serve):
        command.add_argument("--content", type=Path, help="content folder (default: content/)")
        command.add_argument("--config", type=Path, default=DEFAULT_CONFIG_FILE, help="settings file (site.toml)")
        command.add_argument("--templates", type=Path, help="templates folder (default: templates/)")
        command.add_argument("--drafts", action="store_true", help="include entries marked 'draft: true'")
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
        command.add_argument("--quiet", action="store_true", help="print errors only")
        command.add_argument(
            "--jobs", type=_positive, default=available_cores(), help="processes to use (default: one per core)"
        )
        command.add_argument("--cache-dir", type=Path, help="the build cache's folder (default: .cache/)")
    for command in (build, check):
        command.add_argument(
            "--no-cache",
            action="store_true",
            help="use no cache: check and make everything anew, and do not keep a site that is up to date",
        )
        command.add_argument(
            "--annotations",
            choices=CHOICES,
            default="auto",
            help="also print problems as GitHub workflow annotations (auto: inside GitHub Actions)",
        )
    for command in (build, serve):
        command.add_argument("--out", type=Path, help="output folder (default: site/)")
        command.add_argument("--no-search", action="store_true", help="leave out the full-text search index")
        command.add_argument(
            "--no-wait",
            action="store_true",
            help="if another build or preview is writing the output folder, stop (exit 2) instead of waiting",
        )
    build.add_argument("--base-url", help="address the site is published at, e.g. https://example.github.io/repo/")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)"
    )
    serve.add_argument("--port", type=_port, default=8000, help="port, 1 to 65535 (default: 8000)")
    new.add_argument("title", nargs="?", help="the entry's title; its file name is made from it")
    new.add_argument("--date", help="2024-02-16, 2024-02, 2024 or 'February 2024' (default: today)")
    new.add_argument("--countries", help="partners, comma-separated: IT,FR or 'Italy, France' (required)")
    new.add_argument("--type", default="article", choices=("article", "note"), help="default: article")
    new.add_argument("--tags", help="comma-separated tags from content/tags.yaml")
    new.add_argument("--content", type=Path, help="content folder (default: content/)")
    new.add_argument("--config", type=Path, default=DEFAULT_CONFIG_FILE, help="settings file (site.toml)")
    new.add_argument("--translate", type=Path, metavar="FILE", help="start a translation of this entry or agreement")
    new.add_argument("--lang", help="the language of the translation, e.g. uk (with --translate)")
    return parser


def _config(options: argparse.Namespace) -> SiteConfig:
    base_url = getattr(options, "base_url", None)
    if options.command == "serve":
        host = f"[{options.host}]" if ":" in options.host else options.host  # an IPv6 address
        base_url = f"http://{host}:{options.port}/"
    config = load_config(options.config).with_overrides(
        content_dir=options.content,
        templates_dir=options.templates,
        output_dir=getattr(options, "out", None),
        base_url=base_url,
        include_drafts=getattr(options, "drafts", False) or None,
        strict=getattr(options, "strict", False) or None,
        search=False if getattr(options, "no_search", False) else None,
        cache_dir=options.cache_dir,
    )
    if getattr(options, "no_cache", False):
        config = replace(config, cache_dir=None)
    if not config.content_dir.is_dir():
        problem = "is not a folder" if config.content_dir.exists() else "does not exist"
        raise UsageError(f"content folder {_shown(config.content_dir)} {problem}")
    return config


def _build(config: SiteConfig, options: argparse.Namespace) -> int:
    shown_output = _shown(config.output_dir)  # before the build: with --out . the swap replaces the current folder
    progress = _Progress(enabled=sys.stderr.isatty() and not options.quiet)
    report = build_site(config, progress=progress, jobs=options.jobs, waiting=_waiting(options))
    progress.done()
    if report.up_to_date and not options.quiet:
        print(
            f"{shown_output} is up to date: {count_label(report.entries, 'entry', 'entries')} in "
            f"{count_label(report.pages, 'page')}, nothing changed since it was built ({report.seconds:.2f} s)"
        )
    elif not options.quiet:
        _print_problems(report.warnings, options)
        warnings = f" ({count_label(len(report.warnings), 'warning')})" if report.warnings else ""
        print(
            f"Built {count_label(report.entries, 'entry', 'entries')} into {count_label(report.pages, 'page')} "
            f"in {report.seconds:.2f} s{warnings} -> {shown_output}"
        )
    return EXIT_OK


def _check(config: SiteConfig, options: argparse.Namespace) -> int:
    report = check_site(config, jobs=options.jobs)
    if not options.quiet:
        _print_problems(report.warnings, options)
        suffix = f" with {count_label(len(report.warnings), 'warning')}" if report.warnings else ""
        print(f"Content in {_shown(config.content_dir)} is valid{suffix}.")
        for language, missing in report.untranslated.items():  # a count to work through, not a problem
            print(f"{count_label(missing, 'entry', 'entries')} not translated into {language} yet.")
    return EXIT_OK


def _serve(config: SiteConfig, options: argparse.Namespace) -> int:
    from timeline.preview import serve  # tornado and watchfiles load only for the preview

    address = (options.host, options.port)
    check_output_dir(config.output_dir, protected=protected_inputs(config))
    # Held as long as the preview runs: a build into the same folder would put the preview's drafts online.
    with hold_output(config.output_dir, _waiting(options)):
        return serve(lambda: _config(options), options.config, address, options.jobs, options.quiet, _described)


def _new(options: argparse.Namespace) -> int:
    config = load_config(options.config).with_overrides(content_dir=options.content)
    if options.translate is not None:
        from timeline.new_translation import create_translation

        if options.title or options.countries or options.date or options.tags:
            raise UsageError("new --translate FILE --lang CODE takes no title, date, countries or tags")
        if not options.lang:
            raise UsageError(f"--translate needs --lang, one of: {', '.join(config.languages[1:]) or 'none'}")
        path = create_translation(config.content_dir, options.translate, options.lang, config.languages)
        print(_shown(path))
        return EXIT_OK
    from timeline.new_entry import NewEntry, create_entry

    if not options.title or not options.countries:
        raise UsageError("new needs a title and --countries, e.g. new 'Italy signs' --countries IT")
    request = NewEntry(options.title, options.date, options.countries, options.type, options.tags)
    path = create_entry(config.content_dir, request, build_date())
    print(_shown(path))
    return EXIT_OK


def _waiting(options: argparse.Namespace) -> Callable[[str], None] | None:
    """What to do while another process writes the output folder: say so and wait, or (--no-wait) stop."""
    if options.no_wait:
        return None
    return (lambda message: None) if options.quiet else (lambda message: print(message, file=sys.stderr, flush=True))


def _warn_if_slow_yaml(options: argparse.Namespace) -> None:
    import yaml

    if not yaml.__with_libyaml__ and not options.quiet:
        print(
            "warning: PyYAML is installed without libyaml, so front matter is read several times slower; "
            "reinstall it from a wheel: pip install --force-reinstall --only-binary PyYAML PyYAML",
            file=sys.stderr,
        )


def _report_failure(failure: BuildFailed, options: argparse.Namespace, config: SiteConfig | None) -> None:
    shown = failure.errors if options.quiet else [*failure.warnings, *failure.errors]
    _print_problems(shown, options)
    files = len({str(error.path) for error in failure.errors})
    if options.command == "check" or config is None:
        outcome = "nothing was written"
    else:
        outcome = f"{_shown(config.output_dir)} was not changed"
    print(f"{count_label(len(failure.errors), 'error')} in {count_label(files, 'file')}; {outcome}.", file=sys.stderr)


def _print_problems(problems: list[ContentError] | tuple[ContentError, ...], options: argparse.Namespace) -> None:
    """On stderr as `path:line: message`; in GitHub Actions also on stdout, where the runner reads annotations."""
    ordered = sorted(problems, key=ContentError.sort_key)
    for problem in ordered:
        print(_described(problem), file=sys.stderr)
    if _annotating(options):
        for problem in ordered:
            print(github_annotation(problem, _shown(problem.path)))


def _print_usage_error(message: str, options: argparse.Namespace) -> None:
    print(f"error: {message}", file=sys.stderr)
    if _annotating(options):
        print(github_message(message))


def _annotating(options: argparse.Namespace) -> bool:
    return annotations_wanted(getattr(options, "annotations", "none"), os.environ)


def _described(problem: ContentError) -> str:
    """`path:line: message` with the path as the user would type it."""
    return str(replace(problem, path=Path(_shown(problem.path))))


class _Progress:
    """On a terminal, a build that takes longer than a second says what it is doing."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()
        self.shown = False

    def __call__(self, stage: str) -> None:
        if self.enabled and time.perf_counter() - self.started > 1.0:
            print(f"\r\033[K{stage}…", end="", file=sys.stderr, flush=True)
            self.shown = True

    def done(self) -> None:
        if self.shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _port(text: str) -> int:
    # Checked here: the socket library would quietly take 70000 as 70000 - 65536, and 0 as any free port.
    number = int(text) if text.strip().isdigit() else -1
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port: use a number from 1 to 65535, e.g. 8000")
    return number


def _shown(path: Path) -> str:
    """Paths as the user would type them: relative to where they stand, when possible."""
    try:
        # abspath, not resolve: a symbolic link is named as itself, not as the file it points to
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):  # elsewhere, or the current folder itself was just replaced
        return str(path)
