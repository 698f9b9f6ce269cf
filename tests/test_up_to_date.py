"""A build with nothing new to make says so and leaves the site alone; any change to what it reads rebuilds."""

import shutil

import pytest

from tests.conftest import FIXTURES, ROOT, entry_text, run_cli, site_config, tree_snapshot, write_files
from timeline.errors import BuildFailed
from timeline.pipeline import build_site


@pytest.fixture
def project(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    return content, templates, tmp_path / "site"


def build(content, templates, site, **overrides):
    return build_site(site_config(content, site, templates_dir=templates, search=False, **overrides))


def inodes(site):
    return {path: path.stat().st_ino for path in site.rglob("*")}


def test_a_second_build_of_the_same_inputs_touches_nothing(project):
    content, templates, site = project
    first = build(content, templates, site)
    before = inodes(site)
    second = build(content, templates, site)
    assert second.up_to_date and not first.up_to_date
    assert (second.entries, second.pages, second.files) == (first.entries, first.pages, first.files)
    assert inodes(site) == before  # not even the folder was swapped


CHANGES = {
    "an edited entry": lambda c, t, s: (c / "gamma-note.md").write_text(entry_text(title="Gamma, edited")),
    "a new entry": lambda c, t, s: write_files(c, {"2023/new.md": entry_text(title="New")}),
    "a deleted entry": lambda c, t, s: (c / "gamma-note.md").unlink(),
    "an edited template": lambda c, t, s: (t / "entry.html").write_text((t / "entry.html").read_text() + "\n"),
    "an edited stylesheet": lambda c, t, s: (t / "static" / "style.css").write_text("body { color: red }\n"),
    "a file deleted from the site": lambda c, t, s: (s / "tags" / "index.html").unlink(),
    "a file edited in the site": lambda c, t, s: (s / "index.html").write_text("defaced"),
    "a file added to the site": lambda c, t, s: (s / "stray.html").write_text("stray"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_the_inputs_or_the_site_makes_the_next_build_equal_a_clean_one(project, tmp_path, change):
    content, templates, site = project
    build(content, templates, site)
    CHANGES[change](content, templates, site)
    report = build(content, templates, site)
    assert not report.up_to_date
    build(content, templates, tmp_path / "clean")
    assert tree_snapshot(site) == tree_snapshot(tmp_path / "clean")


def test_other_settings_mean_another_site(project):
    content, templates, site = project
    build(content, templates, site)
    assert not build(content, templates, site, title="Another title").up_to_date
    assert not build(content, templates, site, include_drafts=True).up_to_date


def test_a_build_with_warnings_is_never_skipped_so_the_warnings_are_shown_again(project):
    content, templates, site = project
    write_files(content, {"odd.md": entry_text(title="Odd", colour="blue")})  # an unknown field: a warning
    assert build(content, templates, site).warnings
    again = build(content, templates, site)
    assert not again.up_to_date and again.warnings


def test_a_failed_build_is_not_mistaken_for_an_up_to_date_site(project):
    content, templates, site = project
    build(content, templates, site)
    (content / "gamma-note.md").write_text(entry_text(date="Fbruary 2024"))
    with pytest.raises(BuildFailed):
        build(content, templates, site)
    with pytest.raises(BuildFailed):
        build(content, templates, site)


def test_the_cli_says_up_to_date_and_no_cache_builds_everything_anew(project):
    content, templates, site = project
    arguments = ("build", "--content", content, "--templates", templates, "--out", site, "--no-search")
    assert "Built 3 entries" in run_cli(*arguments).stdout
    assert "is up to date: 3 entries in" in run_cli(*arguments).stdout
    before = inodes(site)
    result = run_cli(*arguments, "--no-cache")
    assert "Built 3 entries" in result.stdout
    after = inodes(site)
    files = [path for path in before if path.is_file()]
    assert all(after[path] != before[path] for path in files)  # every file written anew, none linked


def test_building_with_several_processes_gives_the_same_site_as_with_one(tmp_path):
    build_site(site_config(ROOT / "content", tmp_path / "one", search=False), jobs=1)
    build_site(site_config(ROOT / "content", tmp_path / "three", search=False), jobs=3)
    assert tree_snapshot(tmp_path / "one") == tree_snapshot(tmp_path / "three")


def test_template_errors_are_the_same_with_several_processes(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "tag.html").write_text("{{ 1 / 0 }}\n")
    (templates / "partner.html").write_text("{% for x in %}\n")
    found, config = [], site_config(ROOT / "content", tmp_path / "site", templates_dir=templates, search=False)
    for jobs in (1, 3):
        with pytest.raises(BuildFailed) as failure:
            build_site(config, jobs=jobs)
        found.append(sorted((error.path.name, error.line, error.message) for error in failure.value.errors))
    assert found[0] == found[1]
    assert [name for name, _, _ in found[0]] == ["partner.html", "tag.html"]
    assert not (tmp_path / "site").exists()


def test_an_edited_translation_is_a_change_of_the_program(tmp_path, monkeypatch):
    """The interface's words live in locales/, outside timeline/: editing one must not leave a site 'up to date'."""
    import timeline.fingerprint as fingerprint

    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    monkeypatch.setattr(fingerprint, "LOCALES", locales)
    fingerprint.program_fingerprint.cache_clear()
    before = fingerprint.program_fingerprint()
    catalog = locales / "uk" / "LC_MESSAGES" / "messages.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('msgstr "Хроніка"', 'msgstr "Літопис"'), "utf-8")
    fingerprint.program_fingerprint.cache_clear()
    assert fingerprint.program_fingerprint() != before
    fingerprint.program_fingerprint.cache_clear()
