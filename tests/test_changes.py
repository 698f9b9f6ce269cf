"""What changed, and when: corrections on entry pages, the changes page and its feed, "Last changed" from git
(and nothing where there is no full history), archived copies of sources."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import feedparser
import pytest

from tests.conftest import entry_text, site_config, write_files
from timeline.errors import BuildFailed
from timeline.pipeline import build_site

CORRECTED = entry_text(
    title="Italy signs", date="2024-02-24",
    corrections="\n  - {date: 2024-03-02, note: 'The amount was in euros, not dollars.'}"
                "\n  - date: 2024-03-10\n    note: The signing was in Kyiv.",
    sources="\n  - title: Ministry\n    url: https://example.org/a\n    archived: https://web.archive.org/web/2024/https://example.org/a",
)  # fmt: skip


def build(content: Path, output: Path, **overrides: object) -> Path:
    build_site(site_config(content, output, search=False, **overrides))
    return output


def test_corrections_are_shown_on_the_entry_page_oldest_first(make_content, tmp_path):
    site = build(make_content({"italy.md": CORRECTED}), tmp_path / "site")
    page = (site / "entries" / "italy" / "index.html").read_text(encoding="utf-8")
    section = page.split('<section class="corrections"', 1)[1].split("</section>", 1)[0]
    assert '<h2 id="corrections-heading">Corrections</h2>' in section
    assert section.index("2 March 2024") < section.index("10 March 2024")
    assert (
        '<time datetime="2024-03-02">2 March 2024</time>: <span>The amount was in euros, not dollars.</span>' in section
    )


def test_the_changes_page_lists_entries_added_corrected_and_updated_newest_first_with_a_feed(make_content, tmp_path):
    content = make_content({
        "italy.md": CORRECTED,
        "poland.md": entry_text(title="Poland signs", countries="[PL]", updated="2024-04-01"),
    })  # fmt: skip
    site = build(content, tmp_path / "site")
    page = (site / "changes" / "index.html").read_text(encoding="utf-8")
    order = [page.index(text) for text in ("1 April 2024", "10 March 2024", "2 March 2024", "24 February 2024",
                                           "16 February 2024")]  # fmt: skip
    assert order == sorted(order)
    assert 'Updated:</span> <a href="../entries/poland/">Poland signs</a>' in page
    # Without git, an entry is added on its own date.
    assert page.split("24 February 2024", 1)[1].count('Added:</span> <a href="../entries/italy/">Italy signs</a>') == 1
    assert (
        'Corrected:</span> <a href="../entries/italy/">Italy signs</a> — <span>The signing was in Kyiv.</span>' in page
    )
    assert "listed as added on their own dates" in page  # no git here: the page says what it lists
    feed = feedparser.parse((site / "changes.xml").read_bytes())
    assert not feed.bozo and feed.feed.title == "Ukraine's Defence Partnerships: changes"
    assert [entry.title for entry in feed.entries] == [
        "Updated: Poland signs", "Corrected: Italy signs", "Corrected: Italy signs", "Added: Italy signs",
        "Added: Poland signs"]  # fmt: skip
    assert feed.entries[1].summary == "The signing was in Kyiv."
    assert feed.entries[1].link == "http://127.0.0.1:8000/entries/italy/"
    assert len({entry.id for entry in feed.entries}) == 5
    uk = (site / "uk" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "Виправлено:" in uk and '<span lang="en">The signing was in Kyiv.</span>' in uk


def test_each_date_has_one_section_whatever_the_precision_of_the_dates_around_it(make_content, tmp_path):
    """ "1 June 2024" and "June 2024" begin on the same day: their changes must not split each other's section."""
    content = make_content({
        "a.md": entry_text(title="A", date="2024-06-01"), "b.md": entry_text(title="B", date="2024-06"),
        "c.md": entry_text(title="C", date="2024-06-01"), "d.md": entry_text(title="D", date="2024-06"),
    })  # fmt: skip
    page = (build(content, tmp_path / "site") / "changes" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h2 id="day-\d+"><time datetime="[^"]+">([^<]+)</time></h2>', page)
    assert sorted(headings) == sorted(set(headings)) == ["1 June 2024", "June 2024"]


def test_a_translation_translates_the_notes_and_keeps_the_dates(make_content, tmp_path):
    translated = ("---\ntitle: Італія підписує\ncorrections:\n  - {date: 2024-03-02, note: Сума була в євро.}\n"
                  "  - {date: 2024-03-10, note: Підписання відбулося в Києві.}\n---\nТекст.\n")  # fmt: skip
    site = build(make_content({"italy.md": CORRECTED, "italy.uk.md": translated}), tmp_path / "site")
    page = (site / "uk" / "entries" / "italy" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="corrections-heading">Виправлення</h2>' in page
    assert "2 березня 2024</time>: <span>Сума була в євро.</span>" in page
    wrong = translated.replace("2024-03-10", "2024-03-11")
    with pytest.raises(BuildFailed) as failure:
        build(make_content({"italy.md": CORRECTED, "italy.uk.md": wrong}), tmp_path / "other")
    assert any("italy.uk.md:3:" in str(error) and "same dates" in str(error) for error in failure.value.errors)


@pytest.mark.parametrize(
    ("value", "line", "message"),
    [
        ("corrections: Fixed the amount.", 7, "'corrections' must be a list of {date, note}"),
        ("corrections:\n  - {date: 2024-03-02}", 8, "each correction needs a 'date' and a 'note'"),
        ("corrections:\n  - {date: soon, note: Fixed.}", 8, "correction date 'soon' has no four-digit year"),
        (
            "corrections:" + "\n  - {date: 2024-03-02, note: Fixed.}" * 101,
            7,
            "lists 101 items; at most 100 are allowed",
        ),
    ],
)
def test_a_malformed_correction_is_an_error_at_its_line(make_content, tmp_path, value, line, message):
    text = entry_text(title="Italy signs").replace("---\nBody", f"{value}\n---\nBody")
    with pytest.raises(BuildFailed) as failure:
        build(make_content({"italy.md": text}), tmp_path / "site")
    (error,) = failure.value.errors
    assert str(error).startswith(f"{tmp_path / 'content' / 'italy.md'}:{line}: ") and message in str(error)


def test_a_source_may_name_its_archived_copy(make_content, tmp_path):
    site = build(make_content({"italy.md": CORRECTED}), tmp_path / "site")
    page = (site / "entries" / "italy" / "index.html").read_text(encoding="utf-8")
    source = '<a href="https://example.org/a" rel="noopener noreferrer">Ministry</a> '
    source += '<span class="host">example.org</span>'
    archived = '<a href="https://web.archive.org/web/2024/https://example.org/a" rel="noopener noreferrer">'
    assert f"{source} ({archived}archived copy</a>)" in page
    bad = CORRECTED.replace("archived: https://web.archive.org/web/2024/https://example.org/a", "archived: ftp://x")
    with pytest.raises(BuildFailed) as failure:
        build(make_content({"italy.md": bad}), tmp_path / "other")
    assert any("archived copy 'ftp://x' is not an http(s) URL" in str(error) for error in failure.value.errors)


# --- the content's git history ---------------------------------------------------------------------------


def git(folder: Path, *arguments: str, day: str = "2026-01-10") -> None:
    stamp = f"{day}T12:00:00+00:00"
    environment = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_CONFIG_NOSYSTEM": "1",
                   "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
                   "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}  # fmt: skip
    subprocess.run(["git", *arguments], cwd=folder, env=environment, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A project in git: three entries on 10 January; on 20 February one edited, one removed, one added."""
    project = tmp_path / "project"
    content = write_files(project / "content", {
        "kept.md": entry_text(title="Kept as it was"),
        "edited.md": entry_text(title="Edited later", countries="[PL]"),
        "2024/removed.md": entry_text(title="Removed later", countries="[FR]"),
    })  # fmt: skip
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "First entries")
    (content / "edited.md").write_text(entry_text(title="Edited later", countries="[PL]", summary="New words."))
    (content / "2024" / "removed.md").unlink()
    write_files(content, {"added.md": entry_text(title="Added later", countries="[DE]")})
    git(project, "add", "-A", day="2026-02-20")
    git(project, "commit", "-q", "-m", "Edit, remove, add", day="2026-02-20")
    return project


def entry_facts(site: Path, slug: str, prefix: str = "") -> str:
    page = (site / prefix / "entries" / slug / "index.html").read_text(encoding="utf-8")
    return page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]


def test_entry_pages_show_when_their_file_last_changed_in_git(repository, tmp_path):
    site = build(repository / "content", tmp_path / "site", history=True)
    assert '<dt>Last changed</dt>\n      <dd><time datetime="2026-01-10">10 January 2026</time>' in entry_facts(
        site, "kept"
    )
    assert '<time datetime="2026-02-20">20 February 2026</time>' in entry_facts(site, "edited")
    assert "2 лютого" not in entry_facts(site, "edited", "uk/")
    assert '<time datetime="2026-02-20">20 лютого 2026</time>' in entry_facts(site, "edited", "uk/")


def test_the_changes_page_lists_what_git_saw_added_changed_and_removed_per_day(repository, tmp_path):
    site = build(repository / "content", tmp_path / "site", history=True)
    page = (site / "changes" / "index.html").read_text(encoding="utf-8")
    february, january = page.split("20 February 2026", 1)[1].split("10 January 2026", 1)
    assert 'Added:</span> <a href="../entries/added/">Added later</a>' in february
    assert 'Changed:</span> <a href="../entries/edited/">Edited later</a>' in february
    assert "Removed:</span> <code>2024/removed.md</code>" in february
    assert 'Added:</span> <a href="../entries/kept/">Kept as it was</a>' in january
    assert "Added later" not in january and "listed as added on their own dates" not in page


def test_without_git_or_with_a_shallow_clone_nothing_is_said_and_the_build_works(repository, tmp_path):
    plain = tmp_path / "plain"
    subprocess.run(["cp", "-r", str(repository / "content"), str(plain)], check=True)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repository}", str(shallow))
    for content in (plain, shallow / "content"):
        site = build(content, tmp_path / f"site-{content.parent.name}", history=True)
        assert "Last changed" not in entry_facts(site, "kept")
        page = (site / "changes" / "index.html").read_text(encoding="utf-8")
        assert "Removed:" not in page and "listed as added on their own dates" in page


def test_a_commit_of_unchanged_files_is_a_change_of_the_site(repository, tmp_path):
    """The history is an input: committing an edit that was already built must show its new date."""
    content, site = repository / "content", tmp_path / "site"
    (content / "kept.md").write_text(entry_text(title="Kept as it was", summary="Edited, not committed."))
    build(content, site, history=True, cache_dir=tmp_path / "cache")
    assert "10 January 2026" in entry_facts(site, "kept")
    git(repository, "commit", "-q", "-am", "Commit the edit", day="2026-03-05")
    report = build_site(site_config(content, site, search=False, history=True, cache_dir=tmp_path / "cache"))
    assert not report.up_to_date and "5 March 2026" in entry_facts(site, "kept")
