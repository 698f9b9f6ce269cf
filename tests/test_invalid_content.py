"""Each folder under fixtures/invalid/ is a broken site; check must print exactly its expected_errors.txt."""

import pytest

from tests.conftest import FIXTURES
from timeline.cli import main

CASES = sorted(path.name for path in (FIXTURES / "invalid").iterdir() if path.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_invalid_content_reports_exactly_the_expected_errors(case, monkeypatch, capsys):
    folder = FIXTURES / "invalid" / case
    monkeypatch.chdir(folder)
    assert main(["check", "--content", "content", "--no-cache"]) == 1
    assert capsys.readouterr().err == (folder / "expected_errors.txt").read_text(encoding="utf-8")


def test_the_cases_cover_every_kind_of_error():
    assert len(CASES) >= 15
