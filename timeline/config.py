"""Site settings: site.toml at the project root, overridden by command-line flags."""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from timeline.errors import UsageError
from timeline.languages import interface_languages

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_FILE = PROJECT_ROOT / "site.toml"
_FILE_KEYS = ("title", "description", "base_url")
_OPTIONAL_KEYS = ("language", "languages", "cname", "license", "history", "max_site_mb", "file_time_limit")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
_SPDX = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")
_HOSTNAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_HOST = re.compile(r"(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")
# What a base URL's path may hold as typed: RFC 3986's characters without quotes, brackets or spaces, and
# percent escapes for anything else, so that it can go into every page, feed and sitemap as it is.
_URL_PATH = re.compile(r"(/|/([A-Za-z0-9._~!$&+,;=:@-]|%[0-9A-Fa-f]{2})+)*/?")
DEFAULT_MAX_SITE_MB = 1000  # the shipped site is about 17 MB, one of 10,000 entries in one language about 250 MB


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything a build needs to know besides the content itself."""

    title: str  # shown in every page's header and the feed
    description: str  # meta description and feed subtitle
    language: str  # the language of the pages being made (BCP 47, for <html lang>); see for_language
    base_url: str  # absolute, ends in '/': https://example.github.io/repo/
    languages: tuple[str, ...] = ("en",)  # every language of the site, the default (at the site's root) first
    # The title and description in each language: (code, title, description); the default language's are
    # `title` and `description`, another's come from site.toml's table named after it, e.g. [uk].
    translated: tuple[tuple[str, str, str], ...] = ()
    cname: str = ""  # custom domain for GitHub Pages, written to CNAME; "" for none
    license: str = "CC-BY-4.0"  # SPDX identifier of the data's licence, in data/datapackage.json
    content_dir: Path = PROJECT_ROOT / "content"
    output_dir: Path = PROJECT_ROOT / "site"
    templates_dir: Path = PROJECT_ROOT / "templates"
    include_drafts: bool = False  # drafts are left out of everything unless asked for
    strict: bool = False  # warnings count as errors
    search: bool = True  # build the Pagefind index (off: --no-search)
    history: bool = True  # read the content's git history for "Last changed" and changes/ (site.toml: history)
    # The build cache (see timeline.cache), outside the site; None (--no-cache): keep nothing, make everything.
    cache_dir: Path | None = PROJECT_ROOT / ".cache"
    settings_file: Path | None = None  # the site.toml these settings come from: a build must never replace it
    # A site that grows past this many megabytes is not published: a runaway (say, an entry with thousands of
    # tags, each with its pages) stops there instead of filling the disk.
    max_site_mb: int = DEFAULT_MAX_SITE_MB
    build_date: date = field(default_factory=lambda: build_date())  # "today", for the future-date check
    # Seconds one content file may take to read, check and render; more is an error on that file, so that no
    # input can hang a build (Markdown and HTML sanitising take minutes on some pathological text).
    file_time_limit: float = 10.0

    @property
    def base_path(self) -> str:
        """The path part of base_url, '/' or '/repo/': where absolute links must start."""
        return urlsplit(self.base_url).path

    @property
    def static_dir(self) -> Path:
        return self.templates_dir / "static"

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def prefix(self) -> str:
        """Where the pages of `language` are, relative to the site's root: '' for the default, 'uk/'."""
        return "" if self.language == self.languages[0] else f"{self.language}/"

    def for_language(self, code: str) -> SiteConfig:
        """The site's settings as the pages of one of its languages see them: in that language, with its title
        and description (the default language's where site.toml gives none)."""
        texts = {language: (title, description) for language, title, description in self.translated}
        title, description = texts.get(code) or texts.get(self.languages[0]) or (self.title, self.description)
        return replace(self, language=code, title=title, description=description)

    def with_overrides(self, **overrides: object) -> SiteConfig:
        """A copy with the given settings replaced; None means 'keep the current value'."""
        given = {name: value for name, value in overrides.items() if value is not None}
        if "base_url" in given:
            given["base_url"] = normalise_base_url(str(given["base_url"]))
        return replace(self, **given)


def load_config(path: Path = DEFAULT_CONFIG_FILE) -> SiteConfig:
    """Read and check site.toml; raise UsageError naming the file and the key."""
    if path.is_symlink():  # it could name any file the build can read, and a message could quote it
        raise UsageError(f"{path}: is a symbolic link; settings are read only from a file of their own")
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: cannot read configuration: {error}") from None
    known = _FILE_KEYS + _OPTIONAL_KEYS
    tables = [key for key, value in settings.items() if isinstance(value, dict) and key in interface_languages()]
    unknown = sorted(set(settings) - set(known) - set(tables))
    if unknown:
        hint = difflib.get_close_matches(unknown[0], known, n=1)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise UsageError(f"{path}: unknown setting '{unknown[0]}'{suggestion}; settings are {', '.join(known)}")
    missing = [key for key in _FILE_KEYS if not isinstance(settings.get(key), str) or not settings[key].strip()]
    if missing:
        raise UsageError(f"{path}: setting '{missing[0]}' must be non-empty text")
    values = {key: settings[key].strip() for key in _FILE_KEYS}
    try:
        values["base_url"] = normalise_base_url(values["base_url"])
    except UsageError as error:
        raise UsageError(f"{path}: setting 'base_url': {error}") from None
    languages = _languages(path, settings)
    translated = [(languages[0], values["title"], values["description"])]
    translated += [(code, *_language_texts(path, code, settings[code])) for code in languages[1:] if code in settings]
    cname = settings.get("cname", "")
    if not isinstance(cname, str) or (cname and not _HOSTNAME.fullmatch(cname.strip().lower())):
        raise UsageError(f"{path}: cname must be a domain name such as timeline.example.org, not {cname!r}")
    license = settings.get("license", "CC-BY-4.0")
    if not isinstance(license, str) or not _SPDX.fullmatch(license.strip()):
        raise UsageError(f"{path}: license must be an SPDX identifier such as CC-BY-4.0, not {license!r}")
    history = settings.get("history", True)
    if not isinstance(history, bool):
        raise UsageError(f"{path}: history must be true or false, not {history!r}")
    max_site_mb = settings.get("max_site_mb", DEFAULT_MAX_SITE_MB)
    if isinstance(max_site_mb, bool) or not isinstance(max_site_mb, int) or max_site_mb < 1:
        raise UsageError(f"{path}: max_site_mb must be a whole number of megabytes such as 1000, not {max_site_mb!r}")
    return SiteConfig(
        **values, language=languages[0], languages=languages, translated=tuple(translated),
        cname=cname.strip().lower(), license=license.strip(), history=history, settings_file=path,
        max_site_mb=max_site_mb, file_time_limit=_time_limit(path, settings),
    )  # fmt: skip


def _time_limit(path: Path, settings: dict[str, object]) -> float:
    """`file_time_limit`: seconds, more than 0; 10 when not given."""
    limit = settings.get("file_time_limit", 10)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 < limit <= 3600:
        raise UsageError(f"{path}: file_time_limit must be a number of seconds from 0 to 3600, such as 10")
    return float(limit)


def _languages(path: Path, settings: dict[str, object]) -> tuple[str, ...]:
    """`languages = ["en", "uk"]` (the default first), or the older `language = "en"` for one."""
    if "language" in settings and "languages" in settings:
        raise UsageError(f"{path}: give 'languages' (a list, the default first) or 'language', not both")
    key = "languages" if "languages" in settings else "language"
    given = settings.get("languages", [settings.get("language", "en")])
    if isinstance(given, str):
        given = [given]
    if not isinstance(given, list) or not given or not all(isinstance(code, str) for code in given):
        raise UsageError(f'{path}: setting \'{key}\' must be a list of language codes such as ["en", "uk"]')
    codes = tuple(code.strip().lower() for code in given)
    available = interface_languages()
    for code in codes:
        # Checked before anything else uses it: a language names folders and the search index's files.
        if not _LANGUAGE_CODE.fullmatch(code):
            raise UsageError(
                f"{path}: {code!r} in setting '{key}' is not a language code; use ISO 639 codes (BCP 47 language "
                "tags) such as en or uk"
            )
        if code not in available:
            raise UsageError(
                f"{path}: setting '{key}': the site's words are not translated into '{code}'; languages with "
                f"translations: {', '.join(sorted(available))} (see docs/editing.md on adding one)"
            )
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise UsageError(f"{path}: setting '{key}': language '{repeated[0]}' is listed twice")
    return codes


def _language_texts(path: Path, code: str, table: object) -> tuple[str, str]:
    """The title and description from a language's table: [uk] title = "…" description = "…"."""
    if not isinstance(table, dict) or set(table) - {"title", "description"}:
        raise UsageError(f"{path}: [{code}] may hold only 'title' and 'description' in that language")
    texts = []
    for key in ("title", "description"):
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"{path}: [{code}] needs '{key}' as non-empty text")
        texts.append(value.strip())
    return texts[0], texts[1]


def normalise_base_url(url: str) -> str:
    """An absolute http(s) URL ending in '/', with a host name or address and a plain path; raise UsageError
    otherwise."""
    try:
        parts = urlsplit(url.strip())
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # e.g. an unclosed IPv6 bracket, or a port that is not a number
        parts, port_ok = urlsplit(""), False
    if (
        parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment or not port_ok
        or parts.username is not None or not _is_host(parts.hostname or "") or not _URL_PATH.fullmatch(parts.path)
    ):  # fmt: skip
        raise UsageError(
            f"base URL {url!r} must be an absolute http(s) address such as https://example.github.io/repo/ "
            "(a host name, and a path with any space, quote or other character outside URLs %-escaped)"
        )
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _is_host(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return bool(_HOST.fullmatch(name))
    return True


def build_date() -> date:
    """Today, or the day SOURCE_DATE_EPOCH names, so that a build can be repeated exactly."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()
