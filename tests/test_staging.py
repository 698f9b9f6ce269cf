import os

import pytest

from tests.conftest import tree_snapshot, write_files
from timeline.errors import UsageError
from timeline.marker import MARKER, SiteSummary
from timeline.staging import check_output_dir, write_site


def publish(files: dict[str, bytes], site):
    def fill(writer):
        for name, content in files.items():
            writer.add(name, content)
        return SiteSummary(None, 0, 0)

    return write_site(site, fill)


def test_a_new_site_replaces_the_old_one_completely(tmp_path):
    site = tmp_path / "site"
    publish({"index.html": b"old", "gone/index.html": b"stale"}, site)
    publish({"index.html": b"new", "entries/a/index.html": b"a"}, site)
    assert tree_snapshot(site) == {
        "index.html": b"new",
        "entries/a/index.html": b"a",
        MARKER: (site / MARKER).read_bytes(),
    }


def test_nothing_is_left_beside_the_site(tmp_path):
    publish({"index.html": b"1"}, tmp_path / "site")
    publish({"index.html": b"2"}, tmp_path / "site")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_staging_folders_left_by_a_killed_build_are_cleaned_up(tmp_path):
    leftover = write_files(tmp_path / ".site.building-abc123", {"index.html": "half"})
    publish({"index.html": b"new"}, tmp_path / "site")
    assert not leftover.exists()


def test_a_write_that_fails_midway_leaves_the_previous_site_as_it_was(tmp_path, monkeypatch):
    site = tmp_path / "site"
    publish({"index.html": b"old", "entries/a/index.html": b"a"}, site)
    before = tree_snapshot(site)

    def failing_swap(staging, output_dir):
        raise OSError("disk full")

    monkeypatch.setattr("timeline.staging.swap_into_place", failing_swap)
    with pytest.raises(OSError):
        publish({"index.html": b"new"}, site)
    assert tree_snapshot(site) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_published_files_are_readable_by_everyone(tmp_path):
    publish({"index.html": b"x"}, tmp_path / "site")
    assert (tmp_path / "site").stat().st_mode & 0o755 == 0o755
    assert (tmp_path / "site" / "index.html").stat().st_mode & 0o444 == 0o444


@pytest.mark.parametrize("name", ["../escape.html", "/etc/passwd", "a/../../b", "a\\..\\b", ""])
def test_paths_outside_the_site_are_refused_before_anything_is_written(tmp_path, name):
    with pytest.raises(ValueError, match="outside the site"):
        publish({"index.html": b"x", name: b"evil"}, tmp_path / "site")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_of_someone_elses_files_is_never_replaced(tmp_path):
    documents = write_files(tmp_path / "documents", {"thesis.docx": "precious"})
    with pytest.raises(UsageError, match="did not build"):
        check_output_dir(documents, protected=())


def test_an_empty_folder_a_missing_one_or_our_own_build_may_be_replaced(tmp_path):
    (tmp_path / "empty").mkdir()
    check_output_dir(tmp_path / "empty", protected=())
    check_output_dir(tmp_path / "missing", protected=())
    publish({"index.html": b"x"}, tmp_path / "ours")
    check_output_dir(tmp_path / "ours", protected=())


def test_the_output_may_not_overlap_the_content(tmp_path):
    content = write_files(tmp_path / "project" / "content", {"a.md": "x"})
    for output in (content, tmp_path / "project", content / "site"):
        with pytest.raises(UsageError, match="overlaps"):
            check_output_dir(output, protected=(content,))


def test_a_file_is_not_an_output_folder(tmp_path):
    (tmp_path / "site").write_text("x")
    with pytest.raises(UsageError, match="is a file"):
        check_output_dir(tmp_path / "site", protected=())


def test_the_swap_is_atomic_on_linux(tmp_path):
    from timeline.linux import exchange

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "from-a").write_text("a")
    if os.uname().sysname != "Linux":
        pytest.skip("renameat2 is Linux-only; other systems use two renames")
    assert exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "b" / "from-a").exists()


def test_without_an_atomic_exchange_an_interrupted_swap_never_loses_the_old_site(tmp_path, monkeypatch):
    site = tmp_path / "site[1]"  # a name with glob characters
    publish({"index.html": b"old"}, site)
    monkeypatch.setattr("timeline.linux.exchange", lambda first, second: False)

    def killed_between_renames(staging, output_dir):
        output_dir.rename(output_dir.with_name(f".{output_dir.name}.building-old"))
        raise KeyboardInterrupt  # the process ends here, before the new site is renamed into place

    monkeypatch.setattr("timeline.staging.swap_into_place", killed_between_renames)
    with pytest.raises(KeyboardInterrupt):
        publish({"index.html": b"new"}, site)
    assert not site.exists()

    def failing_swap(staging, output_dir):
        raise OSError("disk full")

    monkeypatch.setattr("timeline.staging.swap_into_place", failing_swap)
    with pytest.raises(OSError):
        publish({"index.html": b"never"}, site)  # the next build puts the old site back before anything else
    assert (site / "index.html").read_bytes() == b"old"
    monkeypatch.undo()
    publish({"index.html": b"newer"}, site)
    assert (site / "index.html").read_bytes() == b"newer"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site[1]"]
    publish({"index.html": b"x"}, tmp_path / "other")
    assert (tmp_path / "site[1]").exists()  # another site's leftovers pattern does not touch this one
