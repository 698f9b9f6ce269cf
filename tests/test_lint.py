from datetime import date

import pytest

from tests.conftest import entry_text, write_files
from timeline.checks import check_files
from timeline.content import read_file

TODAY = date(2026, 11, 23)


def warnings_for(tmp_path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    write_files(tmp_path, files)
    problems = check_files([read_file(tmp_path / name, tmp_path)[0] for name in files], None, TODAY).problems
    assert all(problem.warning for problem in problems)
    return sorted((problem.path.name, problem.line, problem.message) for problem in problems)


def test_a_publishable_entry_has_no_warnings(tmp_path):
    assert warnings_for(tmp_path, {"a.md": entry_text(summary="One sentence about the U.S. and the EU in 2024.")}) == []


def test_an_article_needs_an_https_source_but_a_note_does_not(tmp_path):
    assert warnings_for(tmp_path, {
        "a.md": entry_text(sources="[http://example.org/plain]"),
        "b.md": entry_text(title="B", sources=None),
        "note.md": entry_text(title="N", type="note", sources=None),
    }) == [
        ("a.md", 6, "an article needs at least one https source under 'sources'"),
        ("b.md", 5, "an article needs at least one https source under 'sources'"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ("First sentence. Second one.", "summary has 2 sentences; keep it to one"),
        ("It rose by 5%. Then it fell! And again?", "summary has 3 sentences; keep it to one"),
        ("x" * 301, "summary is 301 characters; keep it to 300"),
    ],
)
def test_summaries_are_one_sentence_of_at_most_300_characters(tmp_path, summary, message):
    assert warnings_for(tmp_path, {"a.md": entry_text(summary=f'"{summary}"')}) == [("a.md", 7, message)]


def test_a_summary_taken_from_the_body_is_checked_at_the_body(tmp_path):
    assert warnings_for(tmp_path, {"a.md": entry_text(body="First. Second.")}) == [
        ("a.md", 8, "the first paragraph, used as the summary, has 2 sentences; keep it to one")
    ]


def test_no_two_entries_share_a_title(tmp_path):
    found = warnings_for(tmp_path, {"a.md": entry_text(title="Same title"), "b.md": entry_text(title="same  TITLE")})
    assert found == [("b.md", 2, f"title 'same TITLE' is also used by {tmp_path}/a.md; readers cannot tell them apart")]


def test_only_drafts_may_be_dated_after_today(tmp_path):
    assert warnings_for(tmp_path, {
        "later.md": entry_text(date="2026-11-24"),
        "next-month.md": entry_text(title="M", date="2026-12"),
        "planned.md": entry_text(title="P", date="2027", draft="true"),
        "today.md": entry_text(title="T", date="2026-11-23"),
    }) == [
        ("later.md", 3, "dated 24 November 2026, after today (2026-11-23); correct the date or add 'draft: true'"),
        ("next-month.md", 3, "dated December 2026, after today (2026-11-23); correct the date or add 'draft: true'"),
    ]  # fmt: skip


def test_an_update_before_the_entrys_own_date_is_flagged(tmp_path):
    assert warnings_for(tmp_path, {"a.md": entry_text(updated="2023-01-01")}) == [
        ("a.md", 7, "updated 1 January 2023, before the entry's own date (16 February 2024); check both")
    ]
