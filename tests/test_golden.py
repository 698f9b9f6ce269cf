"""Every fixture site, built, is compared byte for byte with its reviewed copy in tests/golden/.

A change to what the site shows, its layout or its data shows up as a diff of those files, to be reviewed
like code. After an intended change: `pytest tests/test_golden.py --update-golden`, then read the diff.
"""

import difflib
import shutil
from dataclasses import replace

import pytest

from tests.conftest import FIXTURES, GOLDEN, site_config, tree_snapshot
from timeline.marker import MARKER
from timeline.pipeline import build_site

# The marker records the program's own fingerprint, which changes with any edit to the code: not layout.
NOT_COMPARED = {MARKER}
# Each fixture's address and languages: a site in one language is exactly as before there were two.
SITES = {
    "minimal": ("https://example.org/", ("en",)),
    "edge": ("https://example.github.io/repo/", ("en",)),
    "agreements": ("https://example.org/", ("en",)),
    "bilingual": ("https://example.org/", ("en", "uk")),
}


@pytest.mark.parametrize("name", sorted(SITES))
def test_the_fixture_site_is_built_exactly_as_reviewed(tmp_path, request, name):
    output = tmp_path / "site"
    base_url, languages = SITES[name]
    config = site_config(FIXTURES / name / "content", output, base_url=base_url, search=False)
    build_site(replace(config, languages=languages, language=languages[0]))
    built = {path: data for path, data in tree_snapshot(output).items() if path not in NOT_COMPARED}
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        shutil.rmtree(golden, ignore_errors=True)
        for path, data in built.items():
            (golden / path).parent.mkdir(parents=True, exist_ok=True)
            (golden / path).write_bytes(data)
    expected = tree_snapshot(golden) if golden.is_dir() else {}
    assert sorted(built) == sorted(expected), "files added or removed: run with --update-golden and review"
    changed = [path for path in built if built[path] != expected[path]]
    assert not changed, (
        f"{len(changed)} files differ from tests/golden/{name}/ (review, then --update-golden):\n"
        + "".join(
            difflib.unified_diff(
                expected[changed[0]].decode(errors="replace").splitlines(keepends=True),
                built[changed[0]].decode(errors="replace").splitlines(keepends=True),
                f"golden/{changed[0]}",
                f"built/{changed[0]}",
            )
        )[:4000]
    )
