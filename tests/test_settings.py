"""Every setting of site.toml is checked before anything uses it: a bad one is a usage error naming it."""

import re

import pytest

from tests.conftest import FIXTURES, ROOT, run_cli
from timeline.config import load_config
from timeline.errors import UsageError

SHIPPED = (ROOT / "site.toml").read_text(encoding="utf-8")


def with_setting(line: str) -> str:
    """The shipped settings with one line replacing the setting it names (added if it is not there)."""
    key = line.split("=", 1)[0].strip()
    kept = SHIPPED if key != "language" else re.sub(r"(?m)^languages = .*$", "", SHIPPED)
    kept = re.sub(rf"(?m)^{key} = .*$", "", kept)
    return line + "\n" + kept


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ('language = "../../../../X"', "setting 'language'"),
        ('language = "/abs"', "setting 'language'"),
        ('language = "e\'n"', "setting 'language'"),
        ('language = "en\\"x"', "setting 'language'"),
        ('languages = ["en", "../uk"]', "setting 'languages'"),
        ('languages = ["en", ""]', "setting 'languages'"),
        ('base_url = "https://example.org/a b/"', "setting 'base_url'"),
        ('base_url = "https://example.org/\\"><script>/"', "setting 'base_url'"),
        ('base_url = "https://exa mple.org/"', "setting 'base_url'"),
        ('base_url = "https://user:secret@example.org/"', "setting 'base_url'"),
        ('base_url = "https://example.org:99999/"', "setting 'base_url'"),
        ('cname = "../etc"', "cname must be a domain name"),
        ('cname = "example.org/x"', "cname must be a domain name"),
    ],
)
def test_a_bad_setting_is_refused_naming_it(tmp_path, line, named):
    settings = tmp_path / "site.toml"
    settings.write_text(with_setting(line), encoding="utf-8")
    with pytest.raises(UsageError) as refused:
        load_config(settings)
    assert str(refused.value).startswith(f"{settings}: ") and named in str(refused.value)


def test_a_language_that_names_a_path_stops_the_build_with_exit_2_and_nothing_written(tmp_path):
    (tmp_path / "site.toml").write_text(with_setting('language = "../../../../X"'), encoding="utf-8")
    site = tmp_path / "a" / "b" / "site"
    result = run_cli("build", "--config", tmp_path / "site.toml", "--content", FIXTURES / "minimal" / "content",
                     "--out", site)  # fmt: skip
    assert result.returncode == 2 and "setting 'language'" in result.stderr and "Traceback" not in result.stderr
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["site.toml"]


@pytest.mark.parametrize(
    "url", ["https://example.org/", "http://127.0.0.1:8000/", "http://[::1]:8000/", "https://x.github.io/repo/%C3%A9/"]
)
def test_good_base_urls_are_kept(tmp_path, url):
    settings = tmp_path / "site.toml"
    settings.write_text(with_setting(f'base_url = "{url}"'), encoding="utf-8")
    assert load_config(settings).base_url == url
