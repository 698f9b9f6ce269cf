"""A fingerprint of everything a build reads, so that a build with nothing new to make can tell and stop.

It covers the content files, the templates and static files, the settings, this program's own code and
the versions of the libraries that shape the output. Only relative names go in, never absolute paths,
so the same inputs give the same fingerprint in any folder (it is written into the built site).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from timeline.config import SiteConfig
from timeline.content import MAX_FILE_BYTES
from timeline.vocabulary import VOCABULARY_FILE

_PACKAGE = Path(__file__).parent
# The libraries whose versions change what a build writes.
_LIBRARIES = ("Jinja2", "Markdown", "nh3", "PyYAML", "dateparser", "pycountry", "MarkupSafe", "pagefind")
# The folders are covered by the files they hold. --strict changes no output, and a site is marked up to
# date only when its build had no warnings, so a strict build of the same inputs would pass too.
_SETTINGS_LEFT_OUT = ("content_dir", "output_dir", "templates_dir", "strict")


def input_fingerprint(
    config: SiteConfig, content_files: Sequence[Path], known: Callable[[Path], str | None] = lambda path: None
) -> str:
    """`known` may give a content file's sha256 (hex) without reading it: the preview server knows most."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(settings_fingerprint(config).encode())
    prefix = os.path.join(str(config.content_dir), "")  # paths from discover_files start with it
    lines = []
    for path in [*content_files, config.content_dir / VOCABULARY_FILE]:
        text = str(path)
        name = text[len(prefix) :] if text.startswith(prefix) else path.relative_to(config.content_dir).as_posix()
        lines.append(f"{name.replace(os.sep, '/')}\0{known(path) or _file_digest(path)}\0")
    digest.update("".join(lines).encode())
    _add_files(digest, config.templates_dir, _files_under(config.templates_dir))
    return digest.hexdigest()


def settings_fingerprint(config: SiteConfig) -> str:
    """The program and the settings, without any file they name: what every page depends on."""
    settings = {name: value for name, value in asdict(config).items() if name not in _SETTINGS_LEFT_OUT}
    text = f"{_program_fingerprint()}\0{sorted(settings.items())!r}"
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


@lru_cache(maxsize=1)
def _program_fingerprint() -> str:
    """This program's code and its libraries' versions: a new release must not reuse an old site."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(sys.version.encode())
    for library in _LIBRARIES:
        try:
            digest.update(f"{library}=={metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} missing\n".encode())
    _add_files(digest, _PACKAGE, [path for path in _files_under(_PACKAGE) if "__pycache__" not in path.parts])
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    """sha256 of the file's bytes, as SourceFile.digest has it."""
    try:
        with path.open("rb") as file:
            return hashlib.sha256(file.read(MAX_FILE_BYTES + 1)).hexdigest()  # a larger file fails the build
    except OSError as error:  # missing or unreadable: that is a state of its own
        return f"unreadable: {error.errno}"


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
