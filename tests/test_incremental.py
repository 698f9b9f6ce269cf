"""Rebuilding with the preview server's cache gives exactly what a clean build gives."""

import shutil

import pytest

from tests.conftest import FIXTURES, ROOT, entry_text, site_config, tree_snapshot, write_files
from timeline.cache import BuildCache
from timeline.errors import BuildFailed
from timeline.pipeline import build_site


def outcome(content, output, cache=None) -> tuple[dict[str, bytes] | None, list[str]]:
    """The built files, or the errors of a failed build."""
    try:
        build_site(site_config(content, output), cache=cache)
    except BuildFailed as failure:
        return None, [str(error) for error in failure.errors]
    return tree_snapshot(output), []


def edit(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


STEPS = [
    ("edit a body", lambda c: edit(c / "alpha.md", "Body text.", "A new first paragraph.")),
    ("retitle a linked entry", lambda c: edit(c / "beta.md", "title: Beta", "title: Beta, renamed")),
    ("add an entry", lambda c: write_files(c, {"gamma.md": entry_text(title="Gamma", date="2023-05", tags="[uav]")})),
    ("rename a file", lambda c: (c / "gamma.md").rename(c / "2023" / "gamma-moved.md")),
    ("break a date", lambda c: edit(c / "alpha.md", "date: 2024-02-16", "date: Fbruary 2024")),
    ("fix it", lambda c: edit(c / "alpha.md", "date: Fbruary 2024", "date: 2024-02-16")),
    ("link to a missing entry", lambda c: edit(c / "alpha.md", "A new first", "See [[delta]]. A new first")),
    ("create that entry", lambda c: write_files(c, {"delta.md": entry_text(title="Delta", date="2022")})),
    ("relabel a tag", lambda c: edit(c / "tags.yaml", "label: Drones", "label: Unmanned aircraft")),
    ("delete an entry", lambda c: (c / "delta.md").unlink()),
    ("make it a draft", lambda c: edit(c / "beta.md", "type: article", "type: article\ndraft: true")),
]


def test_a_cached_rebuild_after_every_kind_of_change_equals_a_clean_build(tmp_path):
    content = write_files(tmp_path / "content", {
        "tags.yaml": "uav:\n  label: Drones\n  description: Unmanned aircraft.\n",
        "alpha.md": entry_text(title="Alpha", tags="[uav]", body="Body text.\n\nAbout [[beta]]."),
        "beta.md": entry_text(title="Beta", date="2024-03"),
        "2023/placeholder.md": entry_text(title="Placeholder", date="2023"),
    })  # fmt: skip
    cache = BuildCache()
    assert outcome(content, tmp_path / "cached", cache) == outcome(content, tmp_path / "clean-0")
    for number, (name, change) in enumerate(STEPS, start=1):
        change(content)
        cached = outcome(content, tmp_path / "cached", cache)
        clean = outcome(content, tmp_path / f"clean-{number}")
        assert cached == clean, name


def test_the_cache_only_ever_changes_speed_on_the_shipped_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = BuildCache()
    build_site(site_config(content, tmp_path / "cached", search=False), cache=cache)
    edit(content / "2024" / "uk-security-agreement.md", "ten years", "10 years")
    build_site(site_config(content, tmp_path / "cached", search=False), cache=cache)
    build_site(site_config(content, tmp_path / "clean", search=False))
    assert tree_snapshot(tmp_path / "cached") == tree_snapshot(tmp_path / "clean")


def test_unchanged_files_are_shared_with_the_previous_site_not_written_again(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    cache, site = BuildCache(), tmp_path / "site"
    build_site(site_config(content, site, search=False), cache=cache)
    before = {path.relative_to(site): path.stat().st_ino for path in site.rglob("*") if path.is_file()}
    edit(content / "gamma-note.md", "across 2023", "throughout 2023")
    build_site(site_config(content, site, search=False), cache=cache)
    after = {path.relative_to(site): path.stat().st_ino for path in site.rglob("*") if path.is_file()}
    kept = {name for name in before if after.get(name) == before[name]}
    assert "entries/gamma-note/index.html" not in {str(name) for name in kept}
    assert "static/style.css" in {str(name) for name in kept}
    assert len(kept) > len(before) // 2


@pytest.mark.parametrize("broken", ["write", "swap"])
def test_after_a_failed_write_the_next_build_still_equals_a_clean_build(tmp_path, monkeypatch, broken):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    cache, site = BuildCache(), tmp_path / "site"
    build_site(site_config(content, site, search=False), cache=cache)
    before = tree_snapshot(site)
    edit(content / "gamma-note.md", "across 2023", "throughout 2023")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(
        "timeline.output._swap_into_place" if broken == "swap" else "timeline.pipeline.write_site", fail
    )
    with pytest.raises(OSError):
        build_site(site_config(content, site, search=False), cache=cache)
    assert tree_snapshot(site) == before
    monkeypatch.undo()
    build_site(site_config(content, site, search=False), cache=cache)
    build_site(site_config(content, tmp_path / "clean", search=False))
    assert tree_snapshot(site) == tree_snapshot(tmp_path / "clean")
