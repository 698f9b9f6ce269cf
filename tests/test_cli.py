import os
import re
import shutil

import pytest

from tests.conftest import FIXTURES, ROOT, entry_text, run_cli, tree_snapshot, write_files

PROBLEM_LINE = re.compile(r"^[^:\n]+:\d+: (warning: )?\S")


def test_plain_build_py_builds_content_into_site(tmp_path):
    project = tmp_path / "project"
    for folder in ("timeline", "templates", "locales"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(FIXTURES / "minimal" / "content", project / "content")
    for name in ("build.py", "site.toml"):
        shutil.copy(ROOT / name, project / name)
    result = run_cli(cwd=project, script=project / "build.py")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"Built 3 entries into 36 pages in \d+\.\d\d s -> site\n", result.stdout)  # 18 per language
    assert (project / "site" / "entries" / "alpha-agreement" / "index.html").is_file()
    assert run_cli("build", cwd=project, script=project / "build.py").returncode == 0


def test_build_with_every_option(tmp_path):
    result = run_cli("build", "--content", FIXTURES / "edge" / "content", "--out", tmp_path / "out",
                     "--base-url", "https://example.github.io/repo", "--drafts")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "entries" / "draft" / "index.html").is_file()
    assert "https://example.github.io/repo/feed.xml" in (tmp_path / "out" / "feed.xml").read_text()


def test_content_errors_exit_1_listing_every_error_then_a_count(tmp_path):
    content = write_files(tmp_path / "content", {
        "a.md": entry_text(date="Mrach 2024", countries="[Itlay]"),
        "b/c.md": "no front matter\n",
        "ok.md": entry_text(sumary="typo"),
    })  # fmt: skip
    result = run_cli("build", "--content", content, "--out", tmp_path / "site", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "content/a.md:3: date 'Mrach 2024' is not a date we understand; write it as 2024-02-16, 2024-02, 2024, "
        "'16 February 2024' or 'February 2024'",
        "content/a.md:4: unknown country 'Itlay' (did you mean Italy?); use a country name, an ISO 3166 code "
        "such as IT or ITA, or one of EU, NATO, G7",
        "content/b/c.md:1: no front matter: the file must start with a '---' line",
        "content/ok.md:7: warning: unknown field 'sumary' is ignored (did you mean 'summary'?); known fields: "
        "title, date, countries, type, summary, tags, sources, author, slug, draft, updated, agreement, stage, amount, "
        "corrections",
        "3 errors in 2 files; site was not changed.",
    ]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_check_validates_and_writes_nothing(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text(), "b.md": entry_text(title="B", sumary="x")})
    before = tree_snapshot(tmp_path)
    result = run_cli("check", "--content", content, cwd=tmp_path)
    assert result.returncode == 0
    # Not yet translated into the site's second language: a count to work through, not a warning.
    assert result.stdout == "Content in content is valid with 1 warning.\n2 entries not translated into uk yet.\n"
    assert PROBLEM_LINE.match(result.stderr)
    assert tree_snapshot(tmp_path) == before


def test_strict_turns_warnings_into_errors(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text(sumary="x")})
    result = run_cli("check", "--strict", "--content", content, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("content/a.md:7: unknown field 'sumary'")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--no-such-flag"], "unrecognized arguments"),
        (["build", "--base-url", "example.org"], "must be an absolute http(s) address"),
        (["build", "--base-url", "http://[::1/"], "must be an absolute http(s) address"),
        (["check", "--content", "does-not-exist"], "does not exist"),
        (["publish"], "unrecognized arguments"),
        (["build", "--jobs", "0"], "must be 1 or more"),
    ],
)
def test_usage_errors_exit_2(tmp_path, arguments, message):
    result = run_cli(*arguments, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_output_folder_of_other_files_is_refused_with_exit_2(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text()})
    precious = write_files(tmp_path / "documents", {"thesis.txt": "years of work"})
    result = run_cli("build", "--content", content, "--out", precious)
    assert result.returncode == 2
    assert "refusing to replace it" in result.stderr
    assert (precious / "thesis.txt").read_text() == "years of work"
    (tmp_path / "a-file").write_text("x")
    assert run_cli("build", "--content", content, "--out", tmp_path / "a-file").returncode == 2
    assert run_cli("build", "--content", content, "--out", content).returncode == 2


def test_a_broken_settings_file_is_a_usage_error(tmp_path):
    (tmp_path / "site.toml").write_text(
        'title = "T"\ndescription = "D"\nlanguage = "en"\nbase_url = "https://x.org/"\ntitel = "x"\n'
    )
    result = run_cli("check", "--config", tmp_path / "site.toml", "--content", FIXTURES / "minimal" / "content")
    assert result.returncode == 2
    assert "unknown setting 'titel' (did you mean 'title'?)" in result.stderr


def test_help_describes_both_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "build" in result.stdout and "check" in result.stdout


def test_an_output_folder_that_cannot_be_written_is_a_usage_error(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text()})
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run_cli("build", "--content", content, "--out", locked / "site")
        if os.geteuid() == 0:  # root writes anyway; a file in the way of the parent folder still fails
            (tmp_path / "blocker").write_text("x")
            result = run_cli("build", "--content", content, "--out", tmp_path / "blocker" / "site")
    finally:
        locked.chmod(0o700)
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot ")
    assert "Traceback" not in result.stderr


def test_the_current_folder_can_be_the_output(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text()})
    (tmp_path / "out").mkdir()
    result = run_cli("build", "--content", content, "--out", ".", cwd=tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "entries" / "a" / "index.html").is_file()
    assert run_cli("build", "--content", content, "--out", ".", cwd=tmp_path / "out").returncode == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["content", "out"]


def test_a_symlinked_output_folder_is_filled_and_stays_a_link(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text()})
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    for _ in range(2):
        assert run_cli("build", "--content", content, "--out", tmp_path / "link").returncode == 0
    assert (tmp_path / "link").is_symlink()
    assert (tmp_path / "real" / "index.html").is_file()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["content", "link", "real"]


def test_a_cname_setting_writes_cname_into_the_site(tmp_path):
    settings = 'cname = "Timeline.Example.org"\n' + (ROOT / "site.toml").read_text(encoding="utf-8")
    (tmp_path / "site.toml").write_text(settings, encoding="utf-8")
    result = run_cli("build", "--config", tmp_path / "site.toml", "--content", FIXTURES / "minimal" / "content",
                     "--out", tmp_path / "site")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "CNAME").read_text() == "timeline.example.org\n"
    (tmp_path / "site.toml").write_text(settings.replace("Timeline.Example.org", "https://x.org/"), encoding="utf-8")
    result = run_cli("check", "--config", tmp_path / "site.toml", "--content", FIXTURES / "minimal" / "content")
    assert result.returncode == 2 and "cname must be a domain name" in result.stderr


def test_quiet_prints_only_errors(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text(sumary="typo")})
    result = run_cli("build", "--quiet", "--no-search", "--content", content, "--out", tmp_path / "site")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    write_files(content, {"b.md": entry_text(title="B", date="Mrach 2024", sumary="typo")})
    result = run_cli("build", "--quiet", "--content", content, "--out", tmp_path / "site", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "content/b.md:3: date 'Mrach 2024' is not a date we understand; write it as 2024-02-16, 2024-02, 2024, "
        "'16 February 2024' or 'February 2024'",
        "1 error in 1 file; site was not changed.",
    ]


def test_output_is_plain_when_not_on_a_terminal(tmp_path):
    result = run_cli("build", "--content", FIXTURES / "edge" / "content", "--out", tmp_path / "site")
    assert "\r" not in result.stderr + result.stdout and "\033" not in result.stderr + result.stdout
    assert re.fullmatch(r"Built 15 entries into \d+ pages in \d+\.\d\d s \(\d+ warnings\) -> .*\n", result.stdout)


def test_check_reports_template_syntax_errors_with_their_line(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "tag.html").write_text("{% extends 'base.html' %}\n{% block main %}{% if %}{% endblock %}\n")
    result = run_cli("check", "--templates", templates, "--content", FIXTURES / "minimal" / "content", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("templates/tag.html:2: template error: ")


def test_a_yaml_without_libyaml_is_named_as_the_reason_for_slow_reading(tmp_path, monkeypatch, capsys):
    import yaml

    from timeline.cli import main

    content = write_files(tmp_path / "content", {"a.md": entry_text()})
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert main(["check", "--content", str(content), "--no-cache"]) == 0
    assert "PyYAML is installed without libyaml" in capsys.readouterr().err
    monkeypatch.setattr(yaml, "__with_libyaml__", True)
    assert main(["check", "--content", str(content), "--no-cache"]) == 0
    assert "libyaml" not in capsys.readouterr().err


def test_the_readme_documents_every_option_of_every_command():
    import argparse

    from timeline.cli import _parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [commands] = [action for action in _parser()._actions if isinstance(action, argparse._SubParsersAction)]
    options = {
        option
        for name, command in commands.choices.items()
        for action in command._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    assert len(options) > 10
    assert sorted(option for option in options if option not in readme) == []
