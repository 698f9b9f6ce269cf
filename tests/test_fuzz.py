"""Property-based fuzzing: whatever a file holds, reading and checking it ends in content errors, never a crash."""

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import site_config
from timeline.content import read_source
from timeline.entries import KNOWN_FIELDS, SiteContext, parse_entry
from timeline.errors import BuildFailed
from timeline.pipeline import check_site

# A bounded profile: enough variety to find a crash, quick enough for every CI run.
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                HealthCheck.function_scoped_fixture])  # fmt: skip

text = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), text, st.dates(),
                    st.datetimes(), st.binary(max_size=20))  # fmt: skip
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=3),
                      max_leaves=12)  # fmt: skip
keys = st.one_of(st.sampled_from(KNOWN_FIELDS), text)
front_matter = st.dictionaries(keys, values, max_size=10)


def check_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzzed.md"
    path.write_bytes(data)
    source, problems = read_source(path, tmp_path)
    assert all(problem.path == path for problem in problems)
    if source is not None:
        entry, problems = parse_entry(source, SiteContext({"some-entry": "Some entry"}))
        assert all(problem.path == path and problem.line >= 1 for problem in problems)
        assert entry is not None or any(not problem.warning for problem in problems)


@FUZZ
@given(fields=front_matter, body=text)
def test_any_front_matter_gives_an_entry_or_content_errors(tmp_path, fields, body):
    block = yaml.dump(fields, allow_unicode=True, default_flow_style=False, sort_keys=False)
    check_file(tmp_path, f"---\n{block}---\n{body}\n".encode())


@FUZZ
@given(data=st.binary(max_size=400))
def test_any_bytes_give_content_errors_not_exceptions(tmp_path, data):
    check_file(tmp_path, data)
    check_file(tmp_path, b"---\n" + data + b"\n---\nBody\n")


@FUZZ
@given(lines=st.lists(st.sampled_from(["---", "title: x", "date: 2024", "countries: [IT]", "type: article",
                                         "tags: [a, b", "- item", "  nested: {", "&anchor x", "*alias", "? key",
                                         "!!python/object:os.system x", "%YAML 1.1", "...", "\t", ""]),
                      max_size=12))  # fmt: skip
def test_yaml_like_fragments_never_break_the_reader(tmp_path, lines):
    check_file(tmp_path, "\n".join(lines).encode())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.binary(max_size=200), min_size=1, max_size=4))
def test_check_of_a_folder_of_anything_reports_or_passes(tmp_path, files):
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    for old in content.glob("*.md"):
        old.unlink()
    for number, data in enumerate(files):
        (content / f"f{number}.md").write_bytes(b"---\ntitle: t\n" + data)
    try:
        check_site(site_config(content, tmp_path / "site"))
    except BuildFailed as failure:
        assert all(error.path.parent == content for error in failure.errors)
