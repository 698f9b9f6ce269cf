"""Rebuilding with the preview server's cache gives exactly what a clean build gives."""

import os
import random
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, entry_text, site_config, tree_snapshot, write_files
from timeline.cache import BuildCache
from timeline.errors import BuildFailed
from timeline.output import MARKER
from timeline.pipeline import build_site
from timeline.search import BackgroundIndexer


def outcome(content, output, cache=None) -> tuple[dict[str, bytes] | None, list[str]]:
    """The built files, or the errors of a failed build."""
    try:
        build_site(site_config(content, output), cache=cache)
    except BuildFailed as failure:
        return None, [str(error) for error in failure.errors]
    return tree_snapshot(output), []


def previewed(tmp_path: Path) -> tuple[Path, BuildCache, Path]:
    """A copy of the minimal site's content, built once with a cache kept, as the preview server builds."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    cache, site = BuildCache(), tmp_path / "site"
    build_site(site_config(content, site, search=False), cache=cache)
    return content, cache, site


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
    content, cache, site = previewed(tmp_path)
    before = {path.relative_to(site): path.stat().st_ino for path in site.rglob("*") if path.is_file()}
    edit(content / "gamma-note.md", "across 2023", "throughout 2023")
    build_site(site_config(content, site, search=False), cache=cache)
    after = {path.relative_to(site): path.stat().st_ino for path in site.rglob("*") if path.is_file()}
    kept = {name for name in before if after.get(name) == before[name]}
    assert "entries/gamma-note/index.html" not in {str(name) for name in kept}
    assert "static/style.css" in {str(name) for name in kept}
    assert len(kept) > len(before) // 2


@pytest.mark.parametrize("broken", ["render", "move", "swap"])
def test_after_a_failed_write_the_next_build_still_equals_a_clean_build(tmp_path, monkeypatch, broken):
    content, cache, site = previewed(tmp_path)
    before = tree_snapshot(site)
    edit(content / "gamma-note.md", "across 2023", "throughout 2023")
    calls = []

    def fail(*args, **kwargs):
        calls.append(args)
        if broken != "move" or len(calls) == 3:  # "move": the marker and one page are replaced, then the disk fills
            raise OSError("disk full")
        return os_replace(*args, **kwargs)

    os_replace = os.replace
    where = {
        "render": "timeline.pipeline.render_files",
        "move": "os.replace",
        "swap": "timeline.output.swap_into_place",
    }
    monkeypatch.setattr(where[broken], fail)
    with pytest.raises(OSError):  # "swap": a build with a fresh cache writes the whole site
        build_site(site_config(content, site, search=False), cache=BuildCache() if broken == "swap" else cache)
    monkeypatch.undo()
    if broken != "move":
        assert tree_snapshot(site) == before
    else:
        assert b"inputs: none" in (site / MARKER).read_bytes()  # half patched: never taken for a complete site
    build_site(site_config(content, site, search=False), cache=cache)
    build_site(site_config(content, tmp_path / "clean", search=False))
    assert tree_snapshot(site) == tree_snapshot(tmp_path / "clean")


PARTNERS = ["IT", "FR", "PL", "DE", "GB"]
TAGS = ["uav", "air-defense", "training"]


def random_entry(rng: random.Random, number: int) -> str:
    partners = ", ".join(rng.sample(PARTNERS, rng.randint(1, 2)))
    tags = ", ".join(rng.sample(TAGS, rng.randint(0, 2)))
    day = f"20{rng.randint(20, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    links = f" See [[entry-{rng.randint(0, number)}]]." if rng.random() < 0.3 else ""
    body = f"Paragraph {rng.random()}.{links}\n\nAnother paragraph {number}."
    return entry_text(title=f"Entry {number} {rng.randint(0, 9)}", date=day, countries=f"[{partners}]",
                      tags=f"[{tags}]", body=body)  # fmt: skip


def random_change(rng: random.Random, content: Path, templates: Path, number: int) -> str:
    """One change an editor or a designer might make; returns what it was."""
    entries = sorted(content.rglob("*.md"))
    target = rng.choice(entries)
    text = target.read_text(encoding="utf-8")
    choice = rng.choice(["body", "title", "date", "tags", "partners", "add", "rename", "delete", "draft",
                         "vocabulary", "entry template", "base template", "stylesheet"])  # fmt: skip
    if choice == "add" or len(entries) < 4:
        write_files(content, {f"{rng.choice(['', '2023/'])}entry-{number}.md": random_entry(rng, number)})
    elif choice in ("body", "title", "date", "tags", "partners"):
        field = {"body": "Another paragraph", "title": "title: Entry", "date": "date: 20", "tags": "tags: [",
                 "partners": "countries: ["}[choice]  # fmt: skip
        replacement = {"body": "A changed paragraph", "title": "title: Changed entry", "date": "date: 2019-0",
                       "tags": "tags: [training, ", "partners": "countries: [UA, "}[choice]  # fmt: skip
        replacement = replacement.replace("UA, ", "LT, ")  # a partner Ukraine can have
        target.write_text(text.replace(field, replacement, 1), encoding="utf-8")
    elif choice == "rename":
        target.rename(target.with_name(f"renamed-{number}.md"))
    elif choice == "delete":
        target.unlink()
    elif choice == "draft":
        target.write_text(text.replace("type: article", "type: article\ndraft: true", 1), encoding="utf-8")
    elif choice == "vocabulary":
        label = rng.choice(["Drones", "Unmanned aircraft", "UAV"])
        write_files(content, {"tags.yaml": f"uav:\n  label: {label}\n  description: Drones.\n"})
    elif choice == "entry template":
        edit(templates / "entry.html", "</article>", f"<!-- {number} --></article>")
    elif choice == "base template":
        edit(templates / "base.html", "</body>", f"<!-- {number} --></body>")
    else:
        (templates / "static" / "style.css").write_text(f"/* {number} */\n", encoding="utf-8", errors="strict")
    return f"{choice} {target.name}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_preview_rebuilds_only_what_changed_yet_always_equals_a_clean_build(tmp_path, monkeypatch, seed):
    """Random series of edits, renames, deletions and template changes, on lists several pages long."""
    monkeypatch.setattr("timeline.pages.INDEX_PAGE_SIZE", 4)
    monkeypatch.setattr("timeline.views.INDEX_PAGE_SIZE", 4)
    monkeypatch.setattr("timeline.pages.LIST_PAGE_SIZE", 3)
    rng = random.Random(seed)
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    write_files(content, {f"entry-{number}.md": random_entry(rng, number) for number in range(14)})
    cache = BuildCache()

    def outcome_with(config_output: Path, kept: BuildCache | None) -> tuple[dict[str, bytes] | None, list[str]]:
        config = site_config(content, config_output, templates_dir=templates, search=False)
        try:
            build_site(config, cache=kept)
        except BuildFailed as failure:
            return None, [str(error) for error in failure.errors]
        return tree_snapshot(config_output), []

    assert outcome_with(tmp_path / "cached", cache) == outcome_with(tmp_path / "clean-0", None)
    for number in range(1, 26):
        change = random_change(rng, content, templates, 100 + number)
        cached = outcome_with(tmp_path / "cached", cache)
        assert cached == outcome_with(tmp_path / f"clean-{number}", None), f"step {number}: {change}"


def inodes(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_ino for path in site.rglob("*") if path.is_file()}


def test_an_edit_to_one_entry_body_replaces_only_its_page_and_the_feed(tmp_path):
    content, cache, site = previewed(tmp_path)
    before = inodes(site)
    edit(content / "2024" / "alpha-agreement.md", "More text", "Further text")  # not in its summary
    report = build_site(site_config(content, site, search=False), cache=cache)
    after = inodes(site)
    assert report.patched and after.keys() == before.keys()
    replaced = {name for name in after if after[name] != before[name]}
    assert replaced == {"entries/alpha-agreement/index.html", "feed.xml", MARKER}  # the feed carries whole entries


def test_a_template_change_replaces_exactly_the_pages_that_use_it(tmp_path):
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    shutil.copytree(ROOT / "templates", templates)
    cache, site = BuildCache(), tmp_path / "site"
    config = site_config(content, site, templates_dir=templates, search=False)
    build_site(config, cache=cache)
    before = inodes(site)
    edit(templates / "entry.html", "</article>", "<!-- changed --></article>")
    build_site(config, cache=cache)
    after = inodes(site)
    replaced = {name for name in after if after[name] != before[name]} - {MARKER}
    assert replaced and all(name.startswith("entries/") for name in replaced)
    assert replaced == {name for name in after if name.startswith("entries/")}


def test_a_build_after_the_preview_patched_the_site_finds_it_up_to_date(tmp_path):
    content, cache, site = previewed(tmp_path)
    edit(content / "gamma-note.md", "across 2023", "throughout 2023")
    assert build_site(site_config(content, site, search=False), cache=cache).patched
    assert build_site(site_config(content, site, search=False)).up_to_date


def test_a_patched_preview_brings_its_search_index_up_to_date_in_the_background(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    cache, site = BuildCache(), tmp_path / "site"
    build_site(site_config(content, site), cache=cache, search_later=True)
    edit(content / "gamma-note.md", "across 2023", "throughout 2023 with drones")
    report = build_site(site_config(content, site), cache=cache, search_later=True)
    assert report.patched and report.search_pending
    assert b"inputs: none" in (site / MARKER).read_bytes()  # not complete until it is indexed
    build_site(site_config(content, tmp_path / "clean"))
    clean_index = tree_snapshot(tmp_path / "clean" / "pagefind")
    assert tree_snapshot(site / "pagefind") != clean_index
    reports = []
    BackgroundIndexer(reports.append).request(site)
    deadline = time.monotonic() + 60
    while tree_snapshot(site / "pagefind") != clean_index and time.monotonic() < deadline:
        time.sleep(0.1)
    assert tree_snapshot(site / "pagefind") == clean_index and reports == []
    assert {name: data for name, data in tree_snapshot(site).items() if name != MARKER} == {
        name: data for name, data in tree_snapshot(tmp_path / "clean").items() if name != MARKER
    }


def test_after_a_broken_edit_is_fixed_the_preview_still_patches_only_what_changed(tmp_path):
    content, cache, site = previewed(tmp_path)
    edit(content / "gamma-note.md", "date: 2023", "date: Fbruary 2023")
    with pytest.raises(BuildFailed):
        build_site(site_config(content, site, search=False), cache=cache)
    edit(content / "gamma-note.md", "date: Fbruary 2023", "date: 2022")
    assert build_site(site_config(content, site, search=False), cache=cache).patched
    build_site(site_config(content, tmp_path / "clean", search=False))
    assert tree_snapshot(site) == tree_snapshot(tmp_path / "clean")
