"""Killing a build at any moment leaves the previous site complete (or the new one), never a mix."""

import random
import signal
import subprocess
import sys
import time

from benchmarks.corpus import write_corpus
from tests.conftest import ROOT, site_config, tree_snapshot
from timeline.pipeline import build_site

OLD, NEW = "https://example.org/old/", "https://example.org/new/"  # every page differs between the two


def test_killing_builds_at_random_moments_never_leaves_a_broken_site(tmp_path):
    content = write_corpus(tmp_path / "corpus", 200, seed=7)
    site, cache = tmp_path / "out" / "site", tmp_path / "cache"
    for base_url, folder in ((NEW, tmp_path / "expected-new"), (OLD, site)):
        build_site(site_config(content, folder, base_url=base_url, search=False, cache_dir=cache))
    old, new = tree_snapshot(site), tree_snapshot(tmp_path / "expected-new")
    command = [sys.executable, str(ROOT / "build.py"), "build", "--no-search", "--content", str(content),
               "--out", str(site), "--base-url", NEW, "--cache-dir", str(cache)]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    duration = time.perf_counter() - started
    build_site(site_config(content, site, base_url=OLD, search=False, cache_dir=cache))  # back to the old site
    moments = random.Random(3).sample(range(5, 100), 9)  # percent of a full build's time, spread over it
    outcomes = []
    for percent in sorted(moments):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * percent / 100)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = tree_snapshot(site)
        assert now in (old, new), f"killed at {percent}% of a build: the site is neither the old nor the new one"
        outcomes.append("new" if now == new else "old")
        if now == new:
            build_site(site_config(content, site, base_url=OLD, search=False, cache_dir=cache))
    assert "old" in outcomes  # at least some kills landed before the swap
    build_site(site_config(content, site, base_url=NEW, search=False, cache_dir=cache))
    assert sorted(path.name for path in site.parent.iterdir()) == ["site"]  # leftovers of killed builds removed
