"""`build.py new` writes a complete entry that passes check, and refuses bad values the way the build does."""

import re
import shutil

import pytest

from tests.conftest import FIXTURES, run_cli, write_files


@pytest.fixture
def content(tmp_path):
    shutil.copytree(FIXTURES / "minimal" / "content", tmp_path / "content")
    (tmp_path / "content" / "tags.yaml").write_text(
        "uav:\n  label: Drones\n  description: Drones.\nsecurity-guarantees:\n  label: S\n  description: S.\n"
        "co-production:\n  label: C\n  description: C.\n", encoding="utf-8"
    )  # fmt: skip
    return tmp_path / "content"


def new(content, *arguments):
    return run_cli("new", *arguments, "--content", content, cwd=content.parent)


def test_new_writes_an_entry_under_its_year_that_check_accepts(content):
    result = new(content, "Italy and Ukraine: a new drone deal", "--date", "2025-03-04", "--countries", "italy, FRA",
                 "--tags", "uav, co-production")  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = content.parent / result.stdout.strip()
    assert path == content / "2025" / "italy-and-ukraine-a-new-drone-deal.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        '---\ntitle: "Italy and Ukraine: a new drone deal"\ndate: 2025-03-04\ncountries: ["IT", "FR"]\n'
    )
    assert "type: article\ntags: [uav, co-production]\n" in text
    check = run_cli("check", "--content", content)
    assert check.returncode == 0, check.stderr


def test_new_defaults_to_today_and_keeps_a_coarser_date_as_given(content):
    today = new(content, "Today's entry", "--countries", "PL")
    assert today.returncode == 0
    assert re.search(r"^date: \d{4}-\d\d-\d\d$", (content.parent / today.stdout.strip()).read_text(), re.MULTILINE)
    month = new(content, "A month entry", "--countries", "PL", "--date", "February 2024", "--type", "note")
    text = (content.parent / month.stdout.strip()).read_text()
    assert 'date: "2024-02"' in text and "type: note" in text and 'author: ""' in text
    assert run_cli("check", "--content", content).returncode == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["T", "--countries", "Itlay"], "unknown country 'Itlay' (did you mean Italy?)"),
        (["T", "--countries", "IT", "--date", "Mrach 2024"], "--date 'Mrach 2024' is not a date we understand"),
        (["T", "--countries", "IT", "--tags", "drones"], "unknown tag 'drones'"),
        (["T", "--countries", " , "], "--countries needs at least one partner"),
        (["日本", "--countries", "IT"], "gives no file name"),
        (["Alpha agreement", "--countries", "IT"], "already has the address entries/alpha-agreement/"),
    ],
)
def test_new_refuses_bad_values_with_the_builds_messages(content, arguments, message):
    before = sorted(path.name for path in content.rglob("*"))
    result = new(content, *arguments)
    assert result.returncode == 2
    assert message in result.stderr
    assert sorted(path.name for path in content.rglob("*")) == before


def test_new_never_overwrites(content):
    assert new(content, "Once only", "--countries", "IT", "--date", "2024-01-01").returncode == 0
    path = content / "2024" / "once-only.md"
    path.write_text(path.read_text() + "\nThe editor's words.\n")
    again = new(content, "Once only", "--countries", "IT", "--date", "2024-01-01")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert path.read_text().endswith("The editor's words.\n")


def test_new_needs_countries(tmp_path):
    write_files(tmp_path / "content", {})
    result = run_cli("new", "Title", "--content", tmp_path / "content")
    assert result.returncode == 2 and "--countries" in result.stderr


def test_new_respects_addresses_set_with_an_explicit_slug(content):
    (content / "2024" / "odd-name.md").write_text(
        "---\ntitle: x\ndate: 2024\ncountries: [IT]\ntype: article\nslug: special-deal\n---\nx\n", encoding="utf-8"
    )  # fmt: skip
    result = new(content, "Special deal", "--countries", "IT")
    assert result.returncode == 2 and "odd-name.md already has the address entries/special-deal/" in result.stderr
