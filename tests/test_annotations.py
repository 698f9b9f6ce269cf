"""Errors where editors look: annotations on a pull request's lines in GitHub Actions, and a pre-commit hook."""

import re
import shlex
import shutil
import subprocess
import sys

import yaml

from tests.conftest import FIXTURES, ROOT, entry_text, run_cli, write_files
from timeline.annotations import escape_data, escape_property


def broken_content(tmp_path):
    """An error on line 3 and a warning on line 7, in a file whose name needs escaping in a property."""
    return write_files(tmp_path / "content", {
        "2024/ok.md": entry_text(title="Fine"),
        "2024/odd,name.md": entry_text(title="Odd", date="Fbruary 2024", sumary="'100% sure'"),
    })  # fmt: skip


def annotations(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("::")]


def test_in_github_actions_check_also_prints_each_problem_as_an_annotation_on_its_line(tmp_path):
    content = broken_content(tmp_path)
    result = run_cli("check", "--content", "content", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    error, warning = annotations(result.stdout)
    assert error == (
        "::error file=content/2024/odd%2Cname.md,line=3::date 'Fbruary 2024' is not a date we understand; "
        "write it as 2024-02-16, 2024-02, 2024, '16 February 2024' or 'February 2024'"
    )
    assert warning.startswith(
        "::warning file=content/2024/odd%2Cname.md,line=7::unknown field 'sumary' is ignored (did you mean "
    )
    # The terminal's lines stay as they were.
    assert "content/2024/odd,name.md:3: date 'Fbruary 2024'" in result.stderr
    assert (content / "2024" / "odd,name.md").is_file()


def test_under_strict_a_warning_is_an_error_annotation_and_build_annotates_too(tmp_path):
    broken_content(tmp_path)
    result = run_cli("build", "--content", "content", "--out", "site", "--strict", "--annotations", "github",
                     cwd=tmp_path)  # fmt: skip
    assert result.returncode == 1
    kinds = [re.match(r"::(\w+) file=([^,]+),line=(\d+)::", line).groups() for line in annotations(result.stdout)]
    assert kinds == [("error", "content/2024/odd%2Cname.md", "3"), ("error", "content/2024/odd%2Cname.md", "7")]


def test_outside_github_actions_or_when_turned_off_there_are_no_annotations(tmp_path):
    broken_content(tmp_path)
    outside = run_cli("check", "--content", "content", cwd=tmp_path)
    turned_off = run_cli("check", "--content", "content", "--annotations", "none", cwd=tmp_path,
                         env={"GITHUB_ACTIONS": "true"})  # fmt: skip
    assert outside.returncode == turned_off.returncode == 1
    assert annotations(outside.stdout) == annotations(turned_off.stdout) == []
    assert outside.stderr == turned_off.stderr


def test_a_usage_error_is_annotated_too(tmp_path):
    result = run_cli("check", "--content", "missing", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 2
    assert annotations(result.stdout) == ["::error::content folder missing does not exist"]


def test_annotation_text_is_escaped_as_github_documents():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("content/a:b,c%.md\n") == "content/a%3Ab%2Cc%25.md%0A"


# --- the pre-commit hook ---


def test_the_pre_commit_hook_runs_check_strict_and_stops_a_commit_with_a_warning(tmp_path):
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"], hook["language"], hook["pass_filenames"]} == {"timeline-check", "system", False}
    files = re.compile(hook["files"])
    assert all(files.search(name) for name in ("content/2024/x.md", "content/tags.yaml", "templates/base.html",
                                               "site.toml"))  # fmt: skip
    assert not any(files.search(name) for name in ("README.md", "docs/editing.md", "tests/test_cli.py"))

    # A clone of the project, with its .venv, as pre-commit runs the hook in: at the clone's root.
    project = tmp_path / "project"
    for folder in ("timeline", "templates", "locales"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("build.py", "site.toml"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(FIXTURES / "minimal" / "content", project / "content")
    python = write_files(project, {".venv/bin/python": f'#!/bin/sh\nexec "{sys.executable}" "$@"\n'})
    (python / ".venv" / "bin" / "python").chmod(0o755)

    def commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(shlex.split(hook["entry"]), cwd=project, capture_output=True, text=True, timeout=120)

    assert commit().returncode == 0
    write_files(project / "content", {"2024/new.md": entry_text(title="New", sumary="A typo.")})
    stopped = commit()
    assert stopped.returncode == 1
    assert "content/2024/new.md:7: unknown field 'sumary'" in stopped.stderr
