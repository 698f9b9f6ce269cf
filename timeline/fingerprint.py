"""Fingerprints: of the program, of the settings, and of everything a build reads.

The program's fingerprint (its code and the versions of the libraries that shape the output) names the
disk cache a build may use; the inputs' fingerprint, recorded in the site's marker, tells a build that
nothing has changed since the site was built. Only relative names go in, never absolute paths, so the
same inputs give the same fingerprint in any folder (it is written into the built site).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from timeline.config import SiteConfig
from timeline.content import MAX_FILE_BYTES, RawFile
from timeline.languages import LOCALES
from timeline.rates import RATES_FILE
from timeline.vocabulary import VOCABULARY_FILE

_PACKAGE = Path(__file__).parent
# The libraries whose versions change what a build writes.
_LIBRARIES = ("Jinja2", "Markdown", "nh3", "PyYAML", "dateparser", "pycountry", "MarkupSafe", "pagefind", "Babel")
# What does not change the output: the folders are covered by the files they hold, --strict changes no
# output (and a site is marked up to date only when its build had no warnings), the cache is a shortcut.
_SETTINGS_LEFT_OUT = ("content_dir", "output_dir", "templates_dir", "strict", "cache_dir")


def input_fingerprint(config: SiteConfig, files: Sequence[RawFile], history: str = "") -> str:
    """Everything a build of `files` with `config` reads: settings, program, content, vocabulary, templates, and
    the commit the content's history ends at (`history`, "" without one)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(settings_fingerprint(config).encode())
    digest.update(f"history\0{history}\0".encode())
    digest.update("".join(sorted(f"{file.relative}\0{file.digest}\0" for file in files)).encode())
    _add_files(digest, config.content_dir, [config.content_dir / VOCABULARY_FILE, config.content_dir / RATES_FILE])
    _add_files(digest, config.templates_dir, _files_under(config.templates_dir))
    return digest.hexdigest()


def settings_fingerprint(config: SiteConfig) -> str:
    """The program and the settings, without any file they name: what every page depends on."""
    settings = {name: value for name, value in asdict(config).items() if name not in _SETTINGS_LEFT_OUT}
    text = f"{program_fingerprint()}\0{sorted(settings.items())!r}"
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


@lru_cache(maxsize=1)
def program_fingerprint() -> str:
    """This program's code, its translations and its libraries' versions: a new release must not reuse an old
    site or cache."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(sys.version.encode())
    for library in _LIBRARIES:
        try:
            digest.update(f"{library}=={metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} missing\n".encode())
    code = [path for path in _files_under(_PACKAGE) if "__pycache__" not in path.parts]
    _add_files(digest, _PACKAGE, code)
    _add_files(digest, LOCALES, _files_under(LOCALES))  # the interface's words in each language
    return digest.hexdigest()


def _add_files(digest: hashlib._Hash, root: Path, paths: Iterable[Path]) -> None:
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        try:
            with path.open("rb") as file:
                digest.update(file.read(MAX_FILE_BYTES + 1))  # a larger file fails the build: no need to read it
        except OSError as error:  # missing or unreadable: that is a state of its own
            digest.update(f"unreadable: {error.errno}".encode())
        digest.update(b"\0")


def _files_under(folder: Path) -> list[Path]:
    found = []
    for directory, subfolders, files in os.walk(folder):
        subfolders.sort()
        found += [Path(directory, name) for name in sorted(files)]
    return found
