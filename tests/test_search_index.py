"""The search index is part of the build, and repeatable byte for byte."""

import gzip
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, site_config, tree_snapshot
from timeline.errors import BuildFailed
from timeline.pipeline import build_site
from timeline.search import index_site
from timeline.search_order import _decode, _unpack, make_filters_repeatable


def test_the_build_writes_a_search_index_of_the_entry_pages(tmp_path):
    build_site(site_config(FIXTURES / "edge" / "content", tmp_path / "site"))
    bundle = tmp_path / "site" / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    for language in ("en", "uk"):  # one index per language, one fragment per published entry in each
        assert len(list((bundle / "fragment").glob(f"{language}_*.pf_fragment"))) == 15


def test_no_search_leaves_the_index_out(tmp_path):
    build_site(site_config(FIXTURES / "minimal" / "content", tmp_path / "site", search=False))
    assert not (tmp_path / "site" / "pagefind").exists()


def test_filter_values_are_written_in_sorted_order(tmp_path):
    site = tmp_path / "site"
    build_site(site_config(FIXTURES / "edge" / "content", site, search=False))
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind", "--silent"],
                   check=True)  # fmt: skip
    assert make_filters_repeatable(site / "pagefind")
    for path in (site / "pagefind" / "filter").glob("*.pf_filter"):
        name, values = _decode(_unpack(path.read_bytes()))
        assert [value for value, _ in values] == sorted(value for value, _ in values), name
    partner_values = {
        value
        for path in (site / "pagefind" / "filter").glob("*.pf_filter")
        for name, values in [_decode(_unpack(path.read_bytes()))]
        if name == "partner"
        for value, _ in values
    }
    assert "Norway" in partner_values and "European Union" in partner_values  # names, no flags


def test_repeated_builds_have_identical_search_indexes(tmp_path):
    for name in ("one", "two", "three"):
        build_site(site_config(FIXTURES / "edge" / "content", tmp_path / name))
    assert tree_snapshot(tmp_path / "one") == tree_snapshot(tmp_path / "two") == tree_snapshot(tmp_path / "three")


def test_an_unfamiliar_index_is_left_exactly_as_it_was(tmp_path):
    build_site(site_config(FIXTURES / "minimal" / "content", tmp_path / "site"))
    bundle = tmp_path / "site" / "pagefind"
    copy = tmp_path / "copy"
    shutil.copytree(bundle, copy)
    some_filter = next((copy / "filter").glob("*.pf_filter"))
    some_filter.write_bytes(gzip.compress(b"pagefind_dcd\xa1\x01\x02", mtime=0))  # a CBOR map: not Pagefind 1.5's shape
    before = tree_snapshot(copy)
    assert make_filters_repeatable(copy) is False
    assert tree_snapshot(copy) == before


def test_the_index_does_not_depend_on_the_order_pages_were_written_in(tmp_path, built_minimal):
    # tmpfs lists a folder's files in the order they were made, which worker processes make random.
    shm = Path("/dev/shm")
    place = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() else tmp_path
    try:
        pages = sorted(path.relative_to(built_minimal) for path in built_minimal.rglob("*.html"))
        bundles = []
        for name, order in (("forward", pages), ("backward", pages[::-1])):
            site = place / name
            for page in order:
                (site / page).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(built_minimal / page, site / page)
            index_site(site)
            bundles.append(tree_snapshot(site / "pagefind"))
        assert bundles[0] == bundles[1]
    finally:
        if place != tmp_path:
            shutil.rmtree(place)


def test_a_page_language_that_names_a_path_fails_the_build_and_nothing_is_left_outside(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "static" / "about.html").write_text(
        '<!DOCTYPE html><html lang="../../../../X"><head><title>About</title></head>'
        "<body><main data-pagefind-body><h1>About</h1><p>Words to index.</p></main></body></html>",
        encoding="utf-8",
    )
    site = tmp_path / "a" / "b" / "c" / "site"
    with pytest.raises(BuildFailed) as failed:
        build_site(site_config(FIXTURES / "minimal" / "content", site, templates_dir=templates, cache_dir=None))
    [error] = failed.value.errors
    assert "gives its language as '../../../../x' (<html lang>), which is not a language tag" in str(error)
    assert not site.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file() and ".pf_" in path.name] == []
