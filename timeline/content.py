"""Find the Markdown files under content/ and read each into front-matter fields and a body."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from frontmatter.default_handlers import YAMLHandler

from timeline.errors import ContentError

MAX_FILE_BYTES = 1024 * 1024  # an entry is a few KB; anything this large is a mistake
MAX_NESTING = 64  # levels of [ ] and { } in front matter; real entries use one or two
_BOUNDARY = YAMLHandler.FM_BOUNDARY  # a line of three or more dashes


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One content file, split but not yet interpreted."""

    path: Path  # as shown in messages: the content folder joined with `relative`
    relative: PurePosixPath  # position under the content folder, e.g. 2024/uk-agreement.md
    fields: Mapping[str, object]  # front-matter values as YAML gave them
    field_lines: Mapping[str, int]  # 1-based line of each front-matter key
    item_lines: Mapping[str, tuple[int, ...]]  # for list values: the 1-based line of each item
    body: str  # Markdown after the closing '---'
    body_line: int  # 1-based line on which the body starts
    digest: str  # sha256 of the file's bytes


class _FrontMatterLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML where every plain value stays the text the editor typed.

    YAML 1.1 would turn NO (Norway) into false, 2024-02-16 into a date, 3.10 into 3.1 and 012 into 10;
    only null (an empty value) keeps its meaning. Fields that need a date or a yes/no parse the text.
    """


_KEPT_RESOLVERS = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge")
_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag in _KEPT_RESOLVERS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# Characters XML 1.0 forbids; they are invisible, and one would make the feed unreadable. And the bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make text show in another order
# than it reads (a title that says one thing and links another); English and Ukrainian never need them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_WORD_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})  # line and page breaks pasted from Word


def remove_control_characters(text: str) -> str:
    """Text in composed form (NFC, so that 'café' is one spelling), without the characters above."""
    return unicodedata.normalize("NFC", _XML_ILLEGAL.sub("", text.translate(_WORD_BREAKS)))


def remove_invisible_characters(text: str) -> str:
    """Text without format characters (Unicode category Cf: zero-width spaces and joiners, soft hyphens, byte
    order marks, direction marks): in a title, summary or slug they only make equal texts differ unseen."""
    if text.isascii():
        return text
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def discover_files(content_dir: Path) -> tuple[list[Path], list[ContentError]]:
    """Every *.md file under content_dir in a stable order; symlinks are reported, not followed.

    Hidden files and folders are left out."""
    paths, problems = discover_paths(content_dir)
    return [Path(path) for path in paths], problems


def discover_paths(content_dir: Path) -> tuple[list[str], list[ContentError]]:
    """discover_files, with the paths as plain strings: the preview server lists the folder at every rebuild,
    and making 10,000 Path objects takes longer than reading the folders."""
    found: list[tuple[str, str]] = []  # (position under content_dir, path as listed), for sorting
    problems: list[ContentError] = []
    pending = [(str(content_dir), "")]
    while pending:
        folder, relative = pending.pop()
        with os.scandir(folder) as listing:
            for item in listing:
                if item.name.startswith("."):
                    continue
                if _undecodable(item.name) and (item.name.endswith(".md") or item.is_dir()):
                    problems.append(_undecodable_name(item.path, item.name))
                elif item.is_dir():  # a linked folder is not followed: its files could be anywhere
                    if item.is_symlink():
                        problems.append(link_warning(Path(item.path)))
                    else:
                        pending.append((item.path, f"{relative}{item.name}/"))
                elif not item.name.endswith(".md"):
                    continue
                elif item.is_symlink():
                    problems.append(link_warning(Path(item.path)))
                elif item.is_file(follow_symlinks=False):
                    found.append((relative + item.name, item.path))
    found.sort()
    kept, twins = _without_unicode_twins(found)
    return kept, sorted(problems + twins, key=lambda problem: str(problem.path))


def _undecodable(name: str) -> bool:
    """True for a name whose bytes are not UTF-8 (listed with lone surrogates in their place)."""
    return any("\udc80" <= char <= "\udcff" for char in name)


def _undecodable_name(path: str, name: str) -> ContentError:
    """An error naming the file with its bytes escaped (caf\\xe9.md): it cannot be shown as it is."""
    shown = os.fsencode(path).decode("utf-8", "backslashreplace")
    byte = next(ord(char) - 0xDC00 for char in name if "\udc80" <= char <= "\udcff")
    message = f"file name is not valid UTF-8 (byte 0x{byte:02x}, from an old zip or disk?); rename it"
    return ContentError(Path(shown), 1, message)


def _without_unicode_twins(found: list[tuple[str, str]]) -> tuple[list[str], list[ContentError]]:
    """The paths, leaving out each whose name equals another's once both are normalised (NFC): on screen
    they are the same name, so they must not be two entries. The composed (NFC) one is kept."""
    by_name: dict[str, list[tuple[str, str]]] = {}
    for relative, path in found:
        by_name.setdefault(unicodedata.normalize("NFC", relative), []).append((relative, path))
    kept, problems = [], []
    for name, twins in by_name.items():
        twins.sort(key=lambda twin: twin[0] != name)  # the composed spelling first
        kept.append(twins[0][1])
        for relative, path in twins[1:]:
            form = "decomposed (NFD)" if unicodedata.is_normalized("NFD", relative) else "not normalised"
            message = (
                f"file name is written in {form} Unicode and {twins[0][1]} is the same name written composed (NFC):"
                " the two look identical; merge them or rename this one"
            )
            problems.append(ContentError(Path(path), 1, message))
    return sorted(kept, key=lambda path: path), problems


def link_warning(path: Path) -> ContentError:
    """A symbolic link is never followed, anywhere the build reads: it could lead to any file on the machine,
    and what it reads could end up in the site or in a message."""
    kind = "folder" if path.is_dir() else "file"
    return ContentError(path, 1, f"is a symbolic link and was skipped; copy the {kind} instead", True)


def list_files(folder: Path) -> tuple[list[str], list[ContentError]]:
    """Every file under `folder` (as a relative POSIX path, sorted), hidden ones left out, and a warning for
    each symbolic link, which is not followed."""
    found: list[str] = []
    problems: list[ContentError] = []
    pending = [(folder, "")]
    while pending:
        current, relative = pending.pop()
        try:
            listing = list(os.scandir(current))
        except OSError:
            continue  # not a folder, or unreadable: nothing to list
        for item in listing:
            if item.name.startswith("."):
                continue
            if item.is_symlink():
                problems.append(link_warning(Path(item.path)))
            elif item.is_dir(follow_symlinks=False):
                pending.append((Path(item.path), f"{relative}{item.name}/"))
            elif item.is_file(follow_symlinks=False):
                found.append(relative + item.name)
    return sorted(found), sorted(problems, key=lambda problem: str(problem.path))


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A regular file's bytes, never through a symbolic link (raise OSError with ELOOP for one); with `limit`,
    raise ValueError for a larger file without reading it."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as file:
        size = os.fstat(descriptor).st_size
        if limit is not None and size > limit:
            raise ValueError(size)
        return file.read()


@dataclass(frozen=True, slots=True)
class RawFile:
    """A content file's bytes, read but not interpreted: enough to know whether it changed."""

    path: Path  # as shown in messages: the content folder joined with `relative`
    relative: PurePosixPath  # position under the content folder, e.g. 2024/uk-agreement.md
    data: bytes
    digest: str  # sha256 of `data`


def read_file(path: Path, content_dir: Path) -> tuple[RawFile | None, list[ContentError]]:
    """One file's bytes, or the problem (too large, unreadable)."""
    try:
        data = read_bytes(path, MAX_FILE_BYTES)
    except ValueError as error:
        size = error.args[0]
        return None, [ContentError(path, 1, f"file is {size:,} bytes; files are limited to {MAX_FILE_BYTES:,}")]
    except OSError as error:
        if error.errno == errno.ELOOP:  # it became a link since it was listed
            return None, [link_warning(path)]
        return None, [ContentError(path, 1, f"cannot be read: {error.strerror or error}")]
    # Names as composed characters (NFC): a name typed on a Mac (decomposed) is the same name typed elsewhere.
    relative = PurePosixPath(unicodedata.normalize("NFC", path.relative_to(content_dir).as_posix()))
    return RawFile(path, relative, data, hashlib.sha256(data).hexdigest()), []


def parse_source(raw: RawFile) -> tuple[SourceFile | None, list[ContentError]]:
    """A file's front matter and body, with the line of every field; on any problem None and the errors."""
    text, problem = _decode(raw.path, raw.data)
    if problem is not None:
        return None, [problem]
    return _split(raw, text)


def read_source(path: Path, content_dir: Path) -> tuple[SourceFile | None, list[ContentError]]:
    """Read and parse one file; on any problem return None and the errors, each with its line."""
    raw, problems = read_file(path, content_dir)
    return (None, problems) if raw is None else parse_source(raw)


def read_yaml_file(path: Path) -> tuple[_Loaded | None, list[ContentError]]:
    """A YAML mapping file under content/ (such as tags.yaml), read like front matter, with key lines."""
    raw, problems = read_file(path, path.parent)
    if raw is None:
        return None, problems
    text, problem = _decode(path, raw.data)
    if problem is not None:
        return None, [problem]
    return _load_yaml(path, text, first_line=1)


def _decode(path: Path, data: bytes) -> tuple[str, ContentError | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", ContentError(path, 1, "is UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return "", ContentError(path, line, "contains a NUL byte; is this a text file?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return "", ContentError(path, line, f"is not valid UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8")
    return remove_control_characters(text.replace("\r\n", "\n").replace("\r", "\n")), None


def _split(raw: RawFile, text: str) -> tuple[SourceFile | None, list[ContentError]]:
    path = raw.path
    lines = text.split("\n")
    opening = next((index for index, line in enumerate(lines) if line.strip()), None)
    if opening is None or not _BOUNDARY.fullmatch(lines[opening]):
        line = 1 if opening is None else opening + 1
        return None, [ContentError(path, line, "no front matter: the file must start with a '---' line")]
    closing = next((index for index in range(opening + 1, len(lines)) if _BOUNDARY.fullmatch(lines[index])), None)
    if closing is None:
        message = "front matter is not closed: add a '---' line after the last field"
        return None, [ContentError(path, opening + 1, message)]
    block = "\n".join(lines[opening + 1 : closing])
    loaded, problems = _load_yaml(path, block, first_line=opening + 2)
    if loaded is None:
        return None, problems
    fields, field_lines, item_lines = loaded
    body = "\n".join(lines[closing + 1 :])
    return SourceFile(path, raw.relative, fields, field_lines, item_lines, body, closing + 2, raw.digest), problems


_Loaded = tuple[dict[str, object], dict[str, int], dict[str, tuple[int, ...]]]


def _load_yaml(path: Path, block: str, first_line: int) -> tuple[_Loaded | None, list[ContentError]]:
    """Values plus the line of every key and list item, and the problems found on the way.

    The values are None only when the block cannot be read at all; a repeated or odd key is reported
    and the rest is still checked, so the editor sees every problem at once.
    """
    loader = _FrontMatterLoader(block)
    try:
        if _nesting_depth(block) > MAX_NESTING:
            # Building nodes recurses once per level: very deep input would crash the process, not raise.
            return None, [ContentError(path, first_line, f"front matter is nested more than {MAX_NESTING} levels deep")]
        node = loader.get_single_node()
        if node is None:
            return None, [ContentError(path, first_line, "front matter is empty; add title, date, countries and type")]
        if not isinstance(node, yaml.MappingNode):
            line = first_line + node.start_mark.line
            return None, [ContentError(path, line, "front matter must be 'key: value' lines")]
        problems = _key_problems(path, node, first_line)
        values = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        line = first_line + _error_line(error, block)
        return None, [ContentError(path, line, f"front matter is not valid YAML: {error.problem or error.context}")]
    except yaml.YAMLError as error:
        return None, [ContentError(path, first_line, f"front matter is not valid YAML: {error}")]
    except RecursionError:
        return None, [ContentError(path, first_line, "front matter is nested too deeply")]
    finally:
        loader.dispose()
    fields = {key: value for key, value in values.items() if isinstance(key, str)}
    named = [(key, value) for key, value in node.value if key.tag == _STRING_TAG]
    field_lines = {key.value: first_line + key.start_mark.line for key, _ in named}
    item_lines = {
        key.value: tuple(first_line + item.start_mark.line for item in value.value)
        for key, value in named
        if isinstance(value, yaml.SequenceNode)
    }
    return (fields, field_lines, item_lines), problems


def _nesting_depth(block: str) -> int:
    """The deepest nesting of lists and mappings, block or flow style, from the parser's event stream.

    libyaml's parser works without recursion; only building the nodes recurses, so this is safe to run
    on anything and lets too-deep input be refused before it can crash the process.
    """
    depth = deepest = 0
    for event in yaml.parse(block, Loader=_FrontMatterLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                return depth  # no need to read further
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


_STRING_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _error_line(error: yaml.MarkedYAMLError, block: str) -> int:
    """0-based line within the block; an error found at its very end points to where the construct opened."""
    problem, context = error.problem_mark, error.context_mark
    at_end = problem is None or problem.index >= len(block.rstrip())
    if context is not None and at_end:
        return context.line
    return min(problem.line, block.count("\n")) if problem is not None else 0


def _key_problems(path: Path, node: yaml.MappingNode, first_line: int) -> list[ContentError]:
    problems = []
    seen: dict[object, int] = {}
    for key, _ in node.value:
        line = first_line + key.start_mark.line
        if key.tag == _MERGE_TAG:
            continue  # '<<: *anchor' brings in another mapping's fields
        if not isinstance(key, yaml.ScalarNode) or key.tag != _STRING_TAG:
            problems.append(
                ContentError(path, line, "a field name must be a plain word such as 'title'; ignored", True)
            )
        elif key.value in seen:
            message = f"field '{key.value}' is given twice (also on line {seen[key.value]}); keep one"
            problems.append(ContentError(path, line, message))
        else:
            seen[key.value] = line
    return problems
