"""Where the site is written: a full disk, an output folder that is a mount point or sits in a folder we may not
write, and a site that grows past its size limit each end in a clear message, and the old site survives."""

import errno
import os
import pathlib
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, entry_text, site_config, tree_snapshot, write_files
from timeline import linux, pipeline
from timeline.errors import BuildFailed, UsageError
from timeline.marker import SiteSummary, intact_site
from timeline.pipeline import build_site
from timeline.staging import SiteTooLarge, write_site

MINIMAL = FIXTURES / "minimal" / "content"


def test_an_output_folder_that_is_a_mount_point_is_filled_in_place(tmp_path, monkeypatch):
    site = tmp_path / "volume"
    site.mkdir()
    folder = site.stat().st_ino
    # A mount point: the system says so, and refuses to rename it or exchange it with anything.
    ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == site or ismount(path))
    exchange, rename = linux.exchange, pathlib.Path.rename

    def busy_exchange(first, second):
        if site in (Path(first), Path(second)):
            raise OSError(errno.EBUSY, "Device or resource busy", str(site))
        return exchange(first, second)

    def busy_rename(self, target):
        if self == site:
            raise OSError(errno.EBUSY, "Device or resource busy", str(site))
        return rename(self, target)

    monkeypatch.setattr(linux, "exchange", busy_exchange)
    monkeypatch.setattr(pathlib.Path, "rename", busy_rename)
    content = write_files(tmp_path / "content", {"a.md": entry_text(title="First")})
    cache = tmp_path / "cache"
    build_site(site_config(content, site, search=False, cache_dir=cache))
    write_files(content, {"a.md": entry_text(title="Second"), "b.md": entry_text(title="Another")})
    build_site(site_config(content, site, search=False, cache_dir=cache))
    assert site.stat().st_ino == folder
    clean = tmp_path / "clean"
    build_site(site_config(content, clean, search=False, cache_dir=None))
    assert tree_snapshot(site).keys() == tree_snapshot(clean).keys()  # no staging folder left inside
    assert b"Second" in (site / "entries" / "a" / "index.html").read_bytes()
    assert intact_site(site) is not None
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "clean", "content", "volume"]


def test_a_full_disk_names_the_folder_and_leaves_the_old_site(tmp_path, monkeypatch):
    content = write_files(tmp_path / "content", {"a.md": entry_text(title="First")})
    site = tmp_path / "site"
    build_site(site_config(content, site, search=False))
    before = tree_snapshot(site)
    write_bytes = pathlib.Path.write_bytes

    def full_disk(self, data):
        if ".site.building-" in str(self):
            raise OSError(errno.ENOSPC, "No space left on device")
        return write_bytes(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", full_disk)
    write_files(content, {"a.md": entry_text(title="Second")})
    with pytest.raises(UsageError) as raised:
        build_site(site_config(content, site, search=False))
    message = str(raised.value)
    assert f"no space left on the device to write the new site for {site}" in message
    assert f"{site} was not changed" in message and "Free some space" in message
    assert tree_snapshot(site) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["content", "site", "site.cache"]


def test_an_output_folder_in_a_folder_we_may_not_write_is_refused_before_anything_is_read(tmp_path, monkeypatch):
    parent = tmp_path / "published"
    site = parent / "site"
    build_site(site_config(MINIMAL, site, search=False))
    access = os.access
    # As for a folder owned by someone else (the tests may run as root, who may write anywhere).
    monkeypatch.setattr(os, "access", lambda path, mode: access(path, mode) and Path(path) != parent)

    def never(config):
        raise AssertionError("the content was read before the output folder was checked")

    monkeypatch.setattr(pipeline, "read_content", never)
    with pytest.raises(UsageError, match=f"cannot write in {parent}, where the new site for {site} is prepared"):
        build_site(site_config(MINIMAL, site, search=False))


def test_a_site_that_grows_past_its_size_limit_stops_there_and_is_not_published(tmp_path):
    site = tmp_path / "site"
    written = []

    def runaway(writer):
        for number in range(1000):
            writer.add(f"tags/tag-{number}/index.html", b"x" * 1000)
            written.append(number)
        return SiteSummary(None, 0, 0)

    with pytest.raises(SiteTooLarge):
        write_site(site, runaway, limit=50_000)
    assert len(written) == 50  # stopped at the file that passed the limit, not at the end
    assert list(tmp_path.iterdir()) == []


def test_a_build_past_max_site_mb_is_an_error_and_the_old_site_stays(tmp_path):
    site = tmp_path / "site"
    build_site(site_config(MINIMAL, site, search=False))
    before = tree_snapshot(site)
    with pytest.raises(BuildFailed) as failed:
        build_site(site_config(MINIMAL, site, base_url="https://example.org/other/", search=False, max_site_mb=0))
    [error] = failed.value.errors
    assert "the site grew past max_site_mb = 0 MB while writing" in str(error)
    assert tree_snapshot(site) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site", "site.cache"]


def test_max_site_mb_is_checked_in_site_toml(tmp_path):
    from timeline.config import load_config

    settings = tmp_path / "site.toml"
    shipped = (Path(__file__).parent.parent / "site.toml").read_text(encoding="utf-8")
    settings.write_text("max_site_mb = 5\n" + shipped, encoding="utf-8")
    assert load_config(settings).max_site_mb == 5
    settings.write_text('max_site_mb = "big"\n' + shipped, encoding="utf-8")
    with pytest.raises(UsageError, match="max_site_mb must be a whole number"):
        load_config(settings)


def test_the_preview_stops_at_the_size_limit_too(tmp_path):
    from timeline.preview.rebuild import Preview

    site = tmp_path / "site"
    preview = Preview(lambda: site_config(MINIMAL, site, search=False, max_site_mb=0), 1, None)
    with pytest.raises(BuildFailed) as failed:
        preview.rebuild()
    assert "max_site_mb" in str(failed.value.errors[0])
    assert not site.exists()
