import os
from pathlib import Path

import pytest

from tests.conftest import entry_text, write_files
from timeline.content import MAX_FILE_BYTES, discover_files, read_source


def read(tmp_path: Path, text: str | bytes):
    write_files(tmp_path, {"entry.md": text})
    return read_source(tmp_path / "entry.md", tmp_path)


def test_discovery_finds_markdown_at_any_depth_in_a_stable_order(tmp_path):
    write_files(tmp_path, {"b.md": "x", "a/z.md": "x", "a/b/c.md": "x", "notes.txt": "x", "image.png": b"\x89PNG"})
    write_files(tmp_path, {".hidden.md": "x", ".git/config.md": "x"})
    paths, problems = discover_files(tmp_path)
    assert [path.relative_to(tmp_path).as_posix() for path in paths] == ["a/b/c.md", "a/z.md", "b.md"]
    assert problems == []


def test_symlinks_are_not_followed_and_are_reported(tmp_path):
    outside = write_files(tmp_path / "outside", {"secret.md": entry_text(), "inner/deep.md": entry_text()})
    content = write_files(tmp_path / "content", {"real.md": entry_text()})
    os.symlink(outside / "secret.md", content / "linked.md")
    os.symlink(outside / "inner", content / "linked-folder")
    paths, problems = discover_files(content)
    assert [path.name for path in paths] == ["real.md"]
    assert [(problem.path.name, problem.warning) for problem in problems] == [
        ("linked-folder", True),
        ("linked.md", True),
    ]


def test_fields_come_with_the_line_of_their_key(tmp_path):
    source, problems = read(tmp_path, "---\ntitle: T\n\ndate: 2024\ncountries:\n  - IT\n  - FR\n---\nBody\n")
    assert problems == []
    assert source.field_lines == {"title": 2, "date": 4, "countries": 5}
    assert source.item_lines == {"countries": (6, 7)}
    assert source.body == "Body\n"
    assert source.body_line == 9


def test_leading_blank_lines_shift_every_line_number(tmp_path):
    source, _ = read(tmp_path, "\n\n---\ntitle: T\n---\n")
    assert source.field_lines == {"title": 4}


def test_bom_and_crlf_line_endings_read_like_plain_utf8(tmp_path):
    plain, _ = read(tmp_path, entry_text(title="Café"))
    bom, problems = read(tmp_path, b"\xef\xbb\xbf" + entry_text(title="Café").replace("\n", "\r\n").encode())
    assert problems == []
    assert (bom.fields, bom.field_lines, bom.body) == (plain.fields, plain.field_lines, plain.body)


def test_yaml_one_point_one_surprises_are_switched_off(tmp_path):
    text = "---\ncountries: [NO, IT]\ndate: 2024-02-16\ndraft: yes\non: x\ntitle: 3.10\nauthor: 012\n"
    text += "slug: 0x10\nsummary:\n---\n"
    source, _ = read(tmp_path, text)
    assert source.fields == {
        "countries": ["NO", "IT"], "date": "2024-02-16", "draft": "yes", "on": "x",
        "title": "3.10", "author": "012", "slug": "0x10", "summary": None,
    }  # fmt: skip


def test_a_repeated_field_is_an_error_and_the_rest_is_still_read(tmp_path):
    source, problems = read(tmp_path, "---\ntitle: a\ncountries: [IT, Itlay]\ntitle: b\n---\n")
    assert [(problem.line, problem.message, problem.warning) for problem in problems] == [
        (4, "field 'title' is given twice (also on line 2); keep one", False)
    ]
    assert source.fields["countries"] == ["IT", "Itlay"]


def test_odd_field_names_are_ignored_with_a_warning_and_merge_keys_work(tmp_path):
    source, problems = read(tmp_path, "---\n~: x\nbase: &b {author: A}\n<<: *b\ntitle: T\n---\n")
    assert [(problem.line, problem.warning) for problem in problems] == [(2, True)]
    assert source.fields == {"base": {"author": "A"}, "author": "A", "title": "T"}


def test_invisible_control_characters_are_removed_and_word_line_breaks_kept(tmp_path):
    source, problems = read(tmp_path, '---\ntitle: "a\\u0001b"\n---\nLine one\x0bline two\x01.\n')
    assert problems == []
    assert source.body == "Line one\nline two.\n"
    assert source.fields["title"] == "a\x01b"  # YAML escapes are removed where text is used: see test_entries


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("Just text\n", 1, "no front matter"),
        ("\n\n# Title\n", 3, "no front matter"),
        ("---\ntitle: x\n", 1, "not closed"),
        ("---\ntitle: x\ndate: [2024\n---\n", 3, "not valid YAML"),
        ("---\ntitle: x\n  date: 2024\n---\n", 3, "not valid YAML"),
        ("---\n[1, 2]: x\n---\n", 2, "unhashable key"),
        ('---\ntitle: "unterminated\ndate: 2024\n\n---\n', 2, "unexpected end of stream"),
        ("---\n- a\n---\n", 2, "must be 'key: value' lines"),
        ("---\n---\n", 2, "front matter is empty"),
        (b"---\ntitle: \xe9\n---\n", 2, "not valid UTF-8"),
        (b"---\n\ntitle: x\x00\n---\n", 3, "NUL byte"),
        ("---\ntitle: x\n---\n".encode("utf-16"), 1, "UTF-16"),
    ],
)
def test_unreadable_files_report_the_line_and_the_fix(tmp_path, text, line, fragment):
    source, problems = read(tmp_path, text)
    assert source is None
    assert [(problem.line, fragment in problem.message) for problem in problems] == [(line, True)]


def test_files_over_the_size_limit_are_refused_without_being_parsed(tmp_path):
    source, problems = read(tmp_path, entry_text(body="x" * MAX_FILE_BYTES))
    assert source is None
    assert "limited to" in problems[0].message
