"""The preview's rebuild renders only what a change touched, yet always writes exactly what a clean build writes."""

import random
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, entry_text, site_config, tree_snapshot, write_files
from timeline.config import load_config
from timeline.errors import BuildFailed
from timeline.marker import MARKER
from timeline.pipeline import build_site
from timeline.preview.indexer import BackgroundIndexer
from timeline.preview.rebuild import Preview
from timeline.render import render_files


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def preview(content: Path, site: Path, **overrides) -> Preview:
    """A preview as `serve` runs it, with its cache in memory only."""
    overrides.setdefault("search", False)
    return Preview(lambda: site_config(content, site, cache_dir=None, **overrides), 1, None)


def outcome(build, output: Path) -> tuple[dict[str, bytes] | None, list[str]]:
    """The built files, or the errors of a failed build."""
    try:
        build()
    except BuildFailed as failure:
        return None, [str(error) for error in failure.errors]
    return tree_snapshot(output), []


def clean(content: Path, output: Path, **overrides) -> tuple[dict[str, bytes] | None, list[str]]:
    overrides.setdefault("search", False)
    return outcome(lambda: build_site(site_config(content, output, **overrides)), output)


def previewed(tmp_path: Path) -> tuple[Path, Preview, Path]:
    """A copy of the minimal site's content, built once by a preview."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    site = tmp_path / "site"
    kept = preview(content, site)
    kept.rebuild()
    return content, kept, site


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


def test_a_rebuild_after_every_kind_of_change_equals_a_clean_build(tmp_path):
    content = write_files(tmp_path / "content", {
        "tags.yaml": "uav:\n  label: Drones\n  description: Unmanned aircraft.\n",
        "alpha.md": entry_text(title="Alpha", tags="[uav]", body="Body text.\n\nAbout [[beta]]."),
        "beta.md": entry_text(title="Beta", date="2024-03"),
        "2023/placeholder.md": entry_text(title="Placeholder", date="2023"),
    })  # fmt: skip
    kept = preview(content, tmp_path / "previewed")
    assert outcome(kept.rebuild, tmp_path / "previewed") == clean(content, tmp_path / "clean-0")
    for number, (name, change) in enumerate(STEPS, start=1):
        change(content)
        assert outcome(kept.rebuild, tmp_path / "previewed") == clean(content, tmp_path / f"clean-{number}"), name


def test_the_preview_only_ever_changes_speed_on_the_shipped_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    kept = preview(content, tmp_path / "previewed")
    kept.rebuild()
    entry = content / "2024" / "uk-security-agreement.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("title: ", "title: Edited, ", 1) + "\nMore.\n")
    kept.rebuild()
    assert tree_snapshot(tmp_path / "previewed") == clean(content, tmp_path / "clean")[0]


def inodes(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_ino for path in site.rglob("*") if path.is_file()}


def test_an_edit_to_one_entry_body_replaces_only_its_page_and_the_feed(tmp_path):
    content, kept, site = previewed(tmp_path)
    before = inodes(site)
    edit(content / "2024" / "alpha-agreement.md", "More text", "Further text")  # not in its summary
    assert kept.rebuild().files_written == 4
    after = inodes(site)
    replaced = {name for name in after if after[name] != before[name]}
    # The feed carries whole entries; the Ukrainian pages show the entry in English until it is translated.
    pages = {"entries/alpha-agreement/index.html", "feed.xml"}
    assert replaced == {*pages, *(f"uk/{page}" for page in pages), MARKER}


def test_an_edit_to_a_translation_replaces_only_its_language_s_pages(tmp_path):
    content, kept, site = previewed(tmp_path)
    translation = content / "2024" / "alpha-agreement.uk.md"
    translation.write_text("---\ntitle: Угоду альфа підписано\n---\nПерший абзац.\n\nЩе текст.\n", encoding="utf-8")
    kept.rebuild()
    assert "Угоду альфа підписано" in (site / "uk" / "entries" / "alpha-agreement" / "index.html").read_text()
    before = inodes(site)
    edit(translation, "Ще текст", "Інший текст")  # not in its summary
    kept.rebuild()
    after = inodes(site)
    replaced = {name for name in after if after[name] != before[name]} - {MARKER}
    assert replaced == {"uk/entries/alpha-agreement/index.html", "uk/feed.xml"}
    assert tree_snapshot(site) == clean(content, tmp_path / "clean")[0]


def test_a_template_change_replaces_exactly_the_pages_that_use_it(tmp_path):
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    shutil.copytree(ROOT / "templates", templates)
    kept = preview(content, tmp_path / "site", templates_dir=templates)
    kept.rebuild()
    before = inodes(tmp_path / "site")
    edit(templates / "entry.html", "</article>", "<!-- changed --></article>")
    kept.rebuild()
    after = inodes(tmp_path / "site")
    replaced = {name for name in after if after[name] != before[name]} - {MARKER}
    pages = {name for name in after if name.startswith(("entries/", "uk/entries/")) and name.endswith(".html")}
    assert replaced == pages


def test_a_settings_change_reaches_every_page(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    settings = tmp_path / "site.toml"
    settings.write_text((ROOT / "site.toml").read_text(encoding="utf-8"), encoding="utf-8")

    def configured(output: Path):
        config = load_config(settings).with_overrides(content_dir=content, output_dir=output, search=False)
        return replace(config, cache_dir=None)

    kept = Preview(lambda: configured(tmp_path / "site"), 1, None)
    kept.rebuild()
    edit(settings, 'title = "', 'title = "Renamed: ')
    kept.rebuild()
    build_site(replace(configured(tmp_path / "clean"), cache_dir=tmp_path / "clean.cache"))
    assert tree_snapshot(tmp_path / "site") == tree_snapshot(tmp_path / "clean")
    english = [
        page for page in (tmp_path / "site").rglob("*.html") if page.relative_to(tmp_path / "site").parts[0] != "uk"
    ]
    assert english and all("Renamed: " in page.read_text() for page in english)


def test_a_build_after_the_preview_patched_the_site_finds_it_up_to_date(tmp_path):
    content, kept, site = previewed(tmp_path)
    edit(content / "gamma-note.md", "across 2023", "throughout 2023")
    assert kept.rebuild().files_written > 0
    assert build_site(site_config(content, site, search=False)).up_to_date


def test_a_new_build_after_a_preview_renders_only_what_changed_since(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    config = site_config(content, tmp_path / "site", search=False, cache_dir=tmp_path / "cache")
    kept = Preview(lambda: config, 1, None)
    kept.rebuild()
    kept.save_cache()  # as `serve` does when it stops
    edit(content / "gamma-note.md", "across 2023", "throughout 2023")
    rendered = []
    real_render = render_files
    monkeypatch.setattr(
        "timeline.pipeline.render_files", lambda files, *rest: rendered.extend(files) or real_render(files, *rest)
    )
    build_site(config)
    # The entry, the lists that show its summary, the feed and the data: not the other entries' pages.
    changed = {
        "entries/gamma-note/index.html",
        "index.html",
        "feed.xml",
        "partners/eu/index.html",
        "data/entries.json",
        "data/entries.csv",
        "entries/gamma-note/cite.bib",  # the reference's abstract is the summary
        "entries/gamma-note/cite.ris",
        "entries/gamma-note/cite.json",
    }  # in both languages: the note is not translated, so the Ukrainian pages show its English words
    assert {file.output for file in rendered} == {*changed, *(f"uk/{name}" for name in changed)}
    assert tree_snapshot(tmp_path / "site") == clean(content, tmp_path / "clean")[0]


def test_a_patched_preview_brings_its_search_index_up_to_date_in_the_background(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    site = tmp_path / "site"
    reports: list[str] = []
    indexer = BackgroundIndexer(reports.append)
    kept = Preview(lambda: site_config(content, site, cache_dir=None), 1, indexer)
    kept.rebuild()
    edit(content / "gamma-note.md", "across 2023", "throughout 2023 with drones")
    kept.rebuild()
    build_site(site_config(content, tmp_path / "clean"))
    clean_index = tree_snapshot(tmp_path / "clean" / "pagefind")
    deadline = time.monotonic() + 60
    while tree_snapshot(site / "pagefind") != clean_index and time.monotonic() < deadline:
        time.sleep(0.1)
    assert tree_snapshot(site / "pagefind") == clean_index and reports == []
    assert {name: data for name, data in tree_snapshot(site).items() if name != MARKER} == {
        name: data for name, data in tree_snapshot(tmp_path / "clean").items() if name != MARKER
    }


def test_after_a_broken_edit_is_fixed_the_preview_still_patches_what_changed(tmp_path):
    content, kept, site = previewed(tmp_path)
    edit(content / "gamma-note.md", "date: 2023", "date: Fbruary 2023")
    with pytest.raises(BuildFailed):
        kept.rebuild()
    edit(content / "gamma-note.md", "date: Fbruary 2023", "date: 2022")
    assert kept.rebuild().files_written > 0
    assert tree_snapshot(site) == clean(content, tmp_path / "clean")[0]


@pytest.mark.parametrize("broken", ["render", "move"])
def test_after_a_failed_patch_the_next_rebuild_still_equals_a_clean_build(tmp_path, monkeypatch, broken):
    content, kept, site = previewed(tmp_path)
    before = tree_snapshot(site)
    edit(content / "gamma-note.md", "across 2023", "throughout 2023")
    calls = []

    def fail(*args, **kwargs):
        calls.append(args)
        if broken == "render" or len(calls) == 3:  # "move": the marker and one page are replaced, then the disk fills
            raise OSError("disk full")
        return os_replace(*args, **kwargs)

    import os

    os_replace = os.replace
    monkeypatch.setattr("timeline.preview.rebuild.render_files" if broken == "render" else "os.replace", fail)
    with pytest.raises(OSError):
        kept.rebuild()
    monkeypatch.undo()
    if broken == "render":
        assert tree_snapshot(site) == before
    else:
        assert b"inputs: none" in (site / MARKER).read_bytes()  # half patched: never taken for a complete site
    kept.rebuild()
    assert tree_snapshot(site) == clean(content, tmp_path / "clean")[0]


# --- random series of changes, settings, static files and templates included ---

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


def random_change(rng: random.Random, project: Path, number: int) -> str:
    """One change an editor, a designer or a maintainer might make; returns what it was."""
    content, templates, settings = project / "content", project / "templates", project / "site.toml"
    entries = sorted(content.rglob("*.md"))
    target = rng.choice(entries)
    text = target.read_text(encoding="utf-8")
    choice = rng.choice(["body", "title", "date", "tags", "partners", "add", "rename", "delete", "draft",
                         "vocabulary", "entry template", "base template", "stylesheet", "title setting",
                         "domain setting", "description setting", "translate", "translate"])  # fmt: skip
    if choice == "translate":  # a new translation, or a change to one (of an entry, or of a translation's own words)
        original = target.with_name(target.name.replace(".uk.md", ".md"))
        title = f"Запис {number}" if rng.random() < 0.8 else "Entry"
        body = rng.choice(["Текст українською.", f"Інший текст {number}. [[entry-{rng.randint(0, 20)}]]"])
        write_files(original.parent, {original.name.replace(".md", ".uk.md"): f"---\ntitle: {title}\n---\n{body}\n"})
    elif choice == "add" or len(entries) < 4:
        write_files(content, {f"{rng.choice(['', '2023/'])}entry-{number}.md": random_entry(rng, number)})
    elif choice in ("body", "title", "date", "tags", "partners"):
        field = {"body": "Another paragraph", "title": "title: Entry", "date": "date: 20", "tags": "tags: [",
                 "partners": "countries: ["}[choice]  # fmt: skip
        replacement = {"body": "A changed paragraph", "title": "title: Changed entry", "date": "date: 2019-0",
                       "tags": "tags: [training, ", "partners": "countries: [LT, "}[choice]  # fmt: skip
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
    elif choice == "stylesheet":
        (templates / "static" / "style.css").write_text(f"/* {number} */\n", encoding="utf-8")
    elif choice == "title setting":
        edit(settings, 'title = "', f'title = "{number} ')
    elif choice == "description setting":
        edit(settings, 'description = "', f'description = "Edition {number}. ')
    else:
        lines = [line for line in settings.read_text(encoding="utf-8").splitlines() if not line.startswith("cname")]
        domain = [f'cname = "timeline{number}.example.org"'] if rng.random() < 0.7 else []
        settings.write_text("\n".join(domain + lines) + "\n", encoding="utf-8")  # before the [uk] table
    return f"{choice} {target.name}"


@pytest.mark.parametrize("seed", [1, 2])
def test_the_preview_rebuilds_only_what_changed_yet_always_equals_a_clean_build(tmp_path, monkeypatch, seed):
    """Random series of edits, renames, deletions, settings, stylesheet and template changes, on lists several
    pages long."""
    monkeypatch.setattr("timeline.plan.INDEX_PAGE_SIZE", 4)
    monkeypatch.setattr("timeline.views.INDEX_PAGE_SIZE", 4)
    monkeypatch.setattr("timeline.plan.LIST_PAGE_SIZE", 3)
    rng = random.Random(seed)
    project = tmp_path / "project"
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copy(ROOT / "site.toml", project / "site.toml")
    write_files(project / "content", {f"entry-{number}.md": random_entry(rng, number) for number in range(14)})

    def configured(output: Path, cache_dir: Path | None):
        config = load_config(project / "site.toml").with_overrides(
            content_dir=project / "content", templates_dir=project / "templates", output_dir=output, search=False
        )
        return replace(config, cache_dir=cache_dir)

    kept = Preview(lambda: configured(tmp_path / "previewed", None), 1, None)
    for number in range(26):
        change = random_change(rng, project, 100 + number) if number else "none"
        previewed = outcome(kept.rebuild, tmp_path / "previewed")
        output, cache = tmp_path / f"clean-{number}", tmp_path / f"cache-{number}"
        expected = outcome(lambda output=output, cache=cache: build_site(configured(output, cache)), output)
        assert previewed == expected, f"step {number}: {change}"


def test_a_value_added_to_a_page_needs_no_change_to_caching(tmp_path, monkeypatch):
    """The walkthrough of docs/architecture.md: show each entry's author on its card. The view and the
    template change; the preview, untouched, stays equal to a clean build as authors are edited."""
    from dataclasses import dataclass

    from timeline import plan, views

    @dataclass(frozen=True, slots=True)
    class CardWithAuthor(views.EntryCard):
        author: str | None = None

    def entry_card(entry, tags, language):
        card = views.entry_card(entry, tags, language)
        return CardWithAuthor(*[getattr(card, name) for name in views.EntryCard.__slots__], author=entry.author)

    monkeypatch.setattr(plan, "entry_card", entry_card)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    edit(
        templates / "_cards.html",
        "{{ partner_list(card.partners) }}",
        '{{ partner_list(card.partners) }}{% if card.author %}<p class="card-author">{{ card.author }}</p>{% endif %}',
    )
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    kept = preview(content, tmp_path / "previewed", templates_dir=templates)
    kept.rebuild()
    edit(content / "gamma-note.md", "author: ", "author: Dr ")
    kept.rebuild()
    assert tree_snapshot(tmp_path / "previewed") == clean(content, tmp_path / "clean", templates_dir=templates)[0]
    assert '<p class="card-author">Dr ' in (tmp_path / "previewed" / "index.html").read_text(encoding="utf-8")


def test_an_edited_agreement_or_step_reaches_its_page_its_steps_and_the_data(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "agreements" / "content", content)
    kept = preview(content, tmp_path / "previewed")
    kept.rebuild()
    edit(content / "agreements" / "drone-deal.md", "title: Drone co-production agreement", "title: Drone accord")
    kept.rebuild()
    assert (
        "Drone accord</a>: proposed"
        in (tmp_path / "previewed" / "entries" / "drone-proposal" / "index.html").read_text()
    )
    edit(content / "2026" / "drone-talks.md", "stage: negotiating", "stage: signed")
    kept.rebuild()
    assert tree_snapshot(tmp_path / "previewed") == clean(content, tmp_path / "clean")[0]
    assert (
        "drone-deal,Drone accord,co-production,IT,signed"
        in (tmp_path / "previewed" / "data" / "agreements.csv").read_text()
    )
