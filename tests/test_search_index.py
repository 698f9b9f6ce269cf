"""The search index is part of the build, and repeatable byte for byte."""

import gzip
import shutil
import subprocess
import sys

from tests.conftest import FIXTURES, site_config, tree_snapshot
from timeline.pipeline import build_site
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
