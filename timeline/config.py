"""Site settings: site.toml at the project root, overridden by command-line flags."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from timeline.errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_FILE = PROJECT_ROOT / "site.toml"
_FILE_KEYS = ("title", "description", "language", "base_url")
_OPTIONAL_KEYS = ("cname", "license")
_SPDX = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")
_HOSTNAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything a build needs to know besides the content itself."""

    title: str  # shown in every page's header and the feed
    description: str  # meta description and feed subtitle
    language: str  # BCP 47 code for <html lang>
    base_url: str  # absolute, ends in '/': https://example.github.io/repo/
    cname: str = ""  # custom domain for GitHub Pages, written to CNAME; "" for none
    license: str = "CC-BY-4.0"  # SPDX identifier of the data's licence, in data/datapackage.json
    content_dir: Path = PROJECT_ROOT / "content"
    output_dir: Path = PROJECT_ROOT / "site"
    templates_dir: Path = PROJECT_ROOT / "templates"
    include_drafts: bool = False  # drafts are left out of everything unless asked for
    strict: bool = False  # warnings count as errors
    search: bool = True  # build the Pagefind index (off: --no-search)
    # The build cache (see timeline.cache), outside the site; None (--no-cache): keep nothing, make everything.
    cache_dir: Path | None = PROJECT_ROOT / ".cache"
    build_date: date = field(default_factory=lambda: build_date())  # "today", for the future-date check

    @property
    def base_path(self) -> str:
        """The path part of base_url, '/' or '/repo/': where absolute links must start."""
        return urlsplit(self.base_url).path

    @property
    def static_dir(self) -> Path:
        return self.templates_dir / "static"

    def with_overrides(self, **overrides: object) -> SiteConfig:
        """A copy with the given settings replaced; None means 'keep the current value'."""
        given = {name: value for name, value in overrides.items() if value is not None}
        if "base_url" in given:
            given["base_url"] = normalise_base_url(str(given["base_url"]))
        return replace(self, **given)


def load_config(path: Path = DEFAULT_CONFIG_FILE) -> SiteConfig:
    """Read and check site.toml; raise UsageError naming the file and the key."""
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: cannot read configuration: {error}") from None
    known = _FILE_KEYS + _OPTIONAL_KEYS
    unknown = sorted(set(settings) - set(known))
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
        raise UsageError(f"{path}: {error}") from None
    cname = settings.get("cname", "")
    if not isinstance(cname, str) or (cname and not _HOSTNAME.fullmatch(cname.strip().lower())):
        raise UsageError(f"{path}: cname must be a domain name such as timeline.example.org, not {cname!r}")
    license = settings.get("license", "CC-BY-4.0")
    if not isinstance(license, str) or not _SPDX.fullmatch(license.strip()):
        raise UsageError(f"{path}: license must be an SPDX identifier such as CC-BY-4.0, not {license!r}")
    return SiteConfig(**values, cname=cname.strip().lower(), license=license.strip())


def normalise_base_url(url: str) -> str:
    """An absolute http(s) URL ending in '/'; raise UsageError otherwise."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(
            f"base URL '{url}' must be an absolute http(s) address such as https://example.github.io/repo/"
        )
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def build_date() -> date:
    """Today, or the day SOURCE_DATE_EPOCH names, so that a build can be repeated exactly."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()
