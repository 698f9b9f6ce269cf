"""The build cache on disk: a new build after one edit checks only that file and renders only what changed,
and a cache that cannot be trusted (another version, truncated, corrupted, half-written) is never used."""

import os
import shutil
import signal
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, ROOT, site_config, tree_snapshot
from timeline import cache as cache_module
from timeline.cache import Cache
from timeline.model import Entry
from timeline.pipeline import build_site


@pytest.fixture
def project(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", content)
    return content, tmp_path / "site", tmp_path / "cache"


def counting_checks(monkeypatch) -> list[str]:
    """Record the files checked anew (not found in the cache)."""
    checked: list[str] = []
    real = cache_module.Cache.put

    def put(self, key, value, lasting=True):
        if lasting and isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Entry):
            checked.append(value[0].slug)
        return real(self, key, value, lasting)

    monkeypatch.setattr(cache_module.Cache, "put", put)
    return checked


def test_a_new_build_after_one_edit_checks_only_that_file(project, monkeypatch):
    content, site, cache = project
    config = site_config(content, site, search=False, cache_dir=cache)
    build_site(config)
    checked = counting_checks(monkeypatch)
    path = content / "gamma-note.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    build_site(config)
    assert checked == ["gamma-note"]
    assert tree_snapshot(site) == tree_snapshot(_clean(content, site.parent / "clean"))


def test_the_cache_is_outside_the_site_and_never_published(project):
    content, site, cache = project
    build_site(site_config(content, site, search=False, cache_dir=cache))
    assert any(cache.iterdir())
    assert not any(path.suffix == ".segment" for path in site.rglob("*"))


def _clean(content, output):
    build_site(site_config(content, output, search=False, cache_dir=output.with_name("clean.cache")))
    return output


def _segments(cache):
    return sorted(cache.glob("*.segment"))


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        "corrupted",
        "another version",
        "not a cache",
        "empty",
    ],
)
def test_a_cache_that_cannot_be_trusted_is_ignored_and_rebuilt(project, monkeypatch, damage):
    content, site, cache = project
    config = site_config(content, site, search=False, cache_dir=cache)
    build_site(config)
    [segment] = _segments(cache)
    data = segment.read_bytes()
    if damage == "truncated":
        segment.write_bytes(data[: len(data) // 2])
    elif damage == "corrupted":
        segment.write_bytes(data[:-40] + bytes(40))
    elif damage == "another version":
        segment.write_bytes(data.replace(b"\n", b"\nX", 1))  # the program's fingerprint no longer matches
    elif damage == "not a cache":
        segment.write_bytes(b"\x80\x04 not a pickle at all")
    else:
        segment.write_bytes(b"")
    checked = counting_checks(monkeypatch)
    shutil.rmtree(site)  # so that everything must be made again, from the cache if it were trusted
    build_site(config)
    assert sorted(checked) == ["alpha-agreement", "beta-drones", "gamma-note"]  # nothing came from it
    assert tree_snapshot(site) == tree_snapshot(_clean(content, site.parent / "clean"))
    checked.clear()
    shutil.rmtree(site)
    build_site(config)
    assert checked == []  # the cache written instead is a good one


def test_a_segment_whose_checksum_holds_but_that_does_not_load_is_ignored(project, monkeypatch):
    content, site, cache = project
    config = site_config(content, site, search=False, cache_dir=cache)
    build_site(config)
    [segment] = _segments(cache)
    data = segment.read_bytes()
    header_end = data.index(b"\n", len(b"timeline-build-cache 1\n")) + 1
    payload = b"\x80\x05\x95garbage that pickle cannot read"
    import hashlib

    segment.write_bytes(data[:header_end] + hashlib.sha256(payload).digest() + payload)
    checked = counting_checks(monkeypatch)
    shutil.rmtree(site)
    build_site(config)
    assert sorted(checked) == ["alpha-agreement", "beta-drones", "gamma-note"]


def test_a_segment_being_written_when_its_build_is_killed_is_never_trusted(tmp_path):
    """A process killed (SIGKILL) halfway through writing a segment: the next one ignores and removes it."""
    cache = tmp_path / "cache"
    writer = (
        "import os, signal; from pathlib import Path; import timeline.cache as module; "
        "real = module.os.fdopen\n"
        "class Dying:\n"
        "    def __init__(self, file): self.file = file\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *rest): return False\n"
        "    def write(self, data):\n"
        "        self.file.write(data[: len(data) // 2]); self.file.flush()\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "module.os.fdopen = lambda handle, mode: Dying(real(handle, mode))\n"
        f"cache = module.Cache(Path({str(cache)!r}), 'program')\n"
        "[cache.put(cache.digests.of(n), ('x' * 400, n)) for n in range(1000)]\n"
        "cache.save()\n"
    )
    process = subprocess.run([sys.executable, "-c", writer], cwd=ROOT, check=False)
    assert process.returncode == -signal.SIGKILL
    assert [path.name for path in cache.iterdir() if path.name.startswith(".tmp-")]  # killed while writing it
    reader = Cache(cache, "program")
    assert reader.get(reader.digests.of(7)) is None
    assert list(cache.iterdir()) == []  # the half-written file is removed


def test_a_temporary_segment_of_a_live_build_is_left_alone(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    live = cache / f".tmp-{os.getpid()}-abc"  # this process is alive
    live.write_bytes(b"being written")
    dead = cache / ".tmp-999999999-abc"
    dead.write_bytes(b"left by a killed build")
    Cache(cache, "program")
    assert live.exists() and not dead.exists()


def test_values_are_found_by_what_they_are_made_from_not_by_where(tmp_path):
    first = Cache(tmp_path / "cache", "program")
    key = first.digests.of(("a value", 1))
    first.put(key, ("kept", 1))
    first.put(first.digests.of("memory only"), "not on disk", lasting=False)
    first.save()
    second = Cache(tmp_path / "cache", "program")
    assert second.get(second.digests.of(("a value", 1))) == ("kept", 1)
    assert second.get(second.digests.of("memory only")) is None
    assert Cache(tmp_path / "cache", "another program").get(key) is None


def test_memo_finds_equal_arguments_and_keeps_only_what_it_should(tmp_path):
    cache = Cache()
    calls = []

    def double(value):
        calls.append(value)
        return value * 2

    assert cache.memo(double, 21) == 42 and cache.memo(double, 21) == 42
    assert calls == [21]
    cache.memo(double, (1, 2), keep=lambda result: False)
    cache.memo(double, (1, 2), keep=lambda result: False)
    assert calls == [21, (1, 2), (1, 2)]
    with pytest.raises(TypeError, match="immutable"):
        cache.memo(double, [1, 2])
    cache.next_build()
    cache.next_build()  # not used in the last build: forgotten
    cache.memo(double, 21)
    assert calls[-1] == 21


def test_a_one_off_build_never_loads_the_preview_server(tmp_path):
    probe = (
        "import sys; from timeline.cli import main; "
        f"code = main(['build', '--content', {str(FIXTURES / 'minimal' / 'content')!r}, "
        f"'--out', {str(tmp_path / 'site')!r}, '--no-search', '--cache-dir', {str(tmp_path / 'cache')!r}, '--quiet']); "
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] in ('tornado', 'watchfiles', 'livereload')"
        " or name.startswith('timeline.preview')); "
        "print(code, loaded)"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0 []"
