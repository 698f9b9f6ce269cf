from tests.conftest import entry_text, site_config, write_files
from timeline.errors import BuildFailed
from timeline.pipeline import build_site
from timeline.vocabulary import read_vocabulary

VOCABULARY = """\
uav:
  label: Drones
  description: Unmanned aircraft and the coalitions around them.
air-defense:
  label: Air defence
  description: Systems against missiles and aircraft.
"""


def build_failure(content, tmp_path):
    try:
        build_site(site_config(content, tmp_path / "site"))
    except BuildFailed as failure:
        return [str(error) for error in failure.errors]
    return []


def test_with_a_vocabulary_an_unknown_tag_is_an_error_with_a_suggestion(tmp_path):
    content = write_files(
        tmp_path / "content", {"tags.yaml": VOCABULARY, "a.md": entry_text(tags="[uav, air defence, drones]")}
    )
    assert build_failure(content, tmp_path) == [
        f"{content}/a.md:7: unknown tag 'air defence' (did you mean 'air-defense'?); the tags are listed in tags.yaml",
        f"{content}/a.md:7: unknown tag 'drones' (did you mean 'uav'?); the tags are listed in tags.yaml",
    ]


def test_without_a_vocabulary_any_tag_is_accepted(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text(tags="[anything, at-all]")})
    assert build_failure(content, tmp_path) == []


def test_tag_pages_and_cards_show_the_label_and_description(tmp_path):
    content = write_files(tmp_path / "content", {"tags.yaml": VOCABULARY, "a.md": entry_text(tags="[air-defense]")})
    build_site(site_config(content, tmp_path / "site"))
    tag_page = (tmp_path / "site" / "tags" / "air-defense" / "index.html").read_text()
    assert "<h1>Air defence</h1>" in tag_page
    assert "Systems against missiles and aircraft." in tag_page
    assert (
        '<a href="../../tags/air-defense/" data-pagefind-filter="tag:Air defence">Air defence</a>'
        in (tmp_path / "site" / "entries" / "a" / "index.html").read_text()
    )
    index = (tmp_path / "site" / "tags" / "index.html").read_text()
    assert "Air defence" in index and "Systems against missiles and aircraft." in index and "Drones" not in index


def test_mistakes_in_the_vocabulary_are_reported_with_their_lines(tmp_path):
    text = "uav:\n  label: Drones\nBad Tag:\n  label: x\n  description: y\nnaval: Ships\n"
    text += "air:\n  label: ''\n  description: d\n  colour: red\n"
    write_files(tmp_path, {"tags.yaml": text})
    vocabulary, problems = read_vocabulary(tmp_path)
    assert sorted(vocabulary) == []
    assert [(problem.line, problem.message, problem.warning) for problem in problems] == [
        (1, "tag 'uav' needs a non-empty 'description'", False),
        (3, "tag 'Bad Tag' must be lower-case letters, digits, '-' and '_'", False),
        (6, "tag 'naval' needs 'label' and 'description' beneath it, not 'Ships'", False),
        (7, "tag 'air' needs a non-empty 'label'", False),
        (7, "tag 'air' has unknown keys colour; ignored", True),
    ]
