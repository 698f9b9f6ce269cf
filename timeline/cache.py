"""The build cache: values kept by the digest of everything they are made from, in memory and on disk.

A key is the digest of what a value depends on, so a value found is always right and nothing is ever
"invalidated": a change to a file, the vocabulary, a linked title or the day gives a new key. The
preview server keeps one cache in memory between rebuilds; `build` also keeps one on disk, in a folder
outside the site (`.cache/` at the project root by default), so that a new process after one edit checks
only that file and renders only the pages it changed.

On disk the cache is a folder of segment files, each written whole under a temporary name and renamed
into place, and each holding the program's fingerprint and a checksum. A segment from another version of
the program, a truncated or corrupted one, or the temporary file of a killed build is ignored (and
removed), never trusted. Segments are Python pickles: the cache is the editor's own, like the code.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from timeline.digest import Digests

Value = TypeVar("Value")
_MAGIC = b"timeline-build-cache 1\n"
_CHECKSUM = 32  # sha256 of the pickle
_MAX_SEGMENTS = 8  # more, and the next save writes the live values as one segment and removes the rest
_SEGMENT_SUFFIX = ".segment"


class Cache:
    """Values by key (bytes), with the digests that make keys; on disk too when given a folder."""

    def __init__(self, folder: Path | None = None, program: str = "") -> None:
        self.digests = Digests()
        self._folder = folder
        self._program = program.encode()  # a segment from another program is ignored
        self._values: dict[bytes, Any] = {}  # asked for or given since next_build()
        self._older: dict[bytes, Any] = {}  # from the build before that, or from disk
        self._lasting: set[bytes] = set()  # keys whose values belong on disk
        self._unsaved: set[bytes] = set()
        # memo() calls by their arguments' identities: (function, tokens) -> (arguments, key)
        self._calls: dict[tuple[object, ...], tuple[tuple[object, ...], bytes]] = {}
        self._previous_calls: dict[tuple[object, ...], tuple[tuple[object, ...], bytes]] = {}
        self._segments: list[Path] = []  # the segments read from disk
        self._loaded_size = 0
        if folder is not None:
            self._load(folder)

    def get(self, key: bytes) -> Any | None:
        """The value kept under `key`, or None."""
        value = self._values.get(key)
        if value is None:
            value = self._older.pop(key, None)
            if value is not None:
                self._values[key] = value
        return value

    def put(self, key: bytes, value: object, lasting: bool = True) -> None:
        """Keep `value` (never None) under `key`; `lasting` values are also saved to disk."""
        self._values[key] = value
        if lasting and key not in self._lasting:
            self._lasting.add(key)
            self._unsaved.add(key)

    def memo(
        self,
        function: Callable[..., Value],
        *arguments: object,
        lasting: bool = False,
        keep: Callable[[Value], bool] | None = None,
    ) -> Value:
        """function(*arguments), computed once for equal arguments; `lasting` results are saved to disk too,
        and a result for which `keep` says False is not kept at all.

        The function must depend on nothing but its arguments, which must be immutable: that is what makes
        the kept value right. A call with the very objects of an earlier call (or equal scalars) finds its
        key without digesting them again, and gets the very object it got then, whose own digest is then
        remembered too."""
        key = self.key(function, *arguments)
        found = self.get(key)
        if found is None:
            found = function(*arguments)
            if keep is None or keep(found):
                self.put(key, found, lasting=lasting)
        return found

    def key(self, function: Callable[..., object], *arguments: object) -> bytes:
        """The key of function(*arguments), as memo() uses it (for callers that compute values in bulk)."""
        tokens = (function, *map(_token, arguments))
        known = self._calls.get(tokens) or self._previous_calls.get(tokens)
        if known is None:
            key = self.digests.of((function.__module__, function.__qualname__, arguments))
            known = (arguments, key)  # holding the arguments keeps their ids (in the tokens) from being reused
        self._calls[tokens] = known
        return known[1]

    def next_build(self) -> None:
        """Forget what the previous build did not use: a rebuild keeps only what it met."""
        self._older, self._values = self._values, {}
        self._previous_calls, self._calls = self._calls, {}
        self.digests.next_generation()

    def save(self) -> None:
        """Write the lasting values made since the cache was opened; gather all segments into one now and then.

        A failure to write is not a failure of the build: the cache is only ever a shortcut."""
        if self._folder is None or not self._unsaved:
            return
        gather = len(self._segments) >= _MAX_SEGMENTS or self._loaded_size > 4 * _payload_guess(len(self._values))
        keys = self._lasting if gather else self._unsaved
        try:
            kept = {key: self._values.get(key, self._older.get(key)) for key in keys}
            self._write_segment({key: value for key, value in kept.items() if value is not None})
        except OSError:
            return
        if gather:
            for segment in self._segments:
                _remove(segment)
            self._segments = []
        self._unsaved = set()

    def _load(self, folder: Path) -> None:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return
        for name in names:
            path = folder / name
            if name.endswith(_SEGMENT_SUFFIX):
                values = self._read_segment(path)
                if values is None:
                    _remove(path)
                    continue
                self._older.update(values)
                self._lasting.update(values)
                self._segments.append(path)
            elif name.startswith(".tmp-") and not _is_running(_pid_of(name)):
                _remove(path)  # a killed build's half-written segment

    def _read_segment(self, path: Path) -> dict[bytes, Any] | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        header = _MAGIC + self._program + b"\n"
        if not data.startswith(header):
            return None  # another version of the program, or not ours
        checksum, payload = data[len(header) : len(header) + _CHECKSUM], data[len(header) + _CHECKSUM :]
        if hashlib.sha256(payload).digest() != checksum:
            return None  # truncated or corrupted
        try:
            values = pickle.loads(payload)
        except Exception:  # the checksum held, yet it does not load: a class changed shape
            return None
        self._loaded_size += len(data)
        return values if isinstance(values, dict) else None

    def _write_segment(self, values: dict[bytes, Any]) -> None:
        assert self._folder is not None
        self._folder.mkdir(parents=True, exist_ok=True)
        payload = pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)
        header = _MAGIC + self._program + b"\n" + hashlib.sha256(payload).digest()
        handle, temporary = tempfile.mkstemp(prefix=f".tmp-{os.getpid()}-", dir=self._folder)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(header)
                file.write(payload)
            final = Path(temporary).with_name(f"{hashlib.sha256(header).hexdigest()[:20]}{_SEGMENT_SUFFIX}")
            os.replace(temporary, final)
        except BaseException:
            _remove(Path(temporary))
            raise
        self._segments.append(final)


def _token(value: object) -> object:
    """What an argument is for finding an earlier call: the object itself by identity, a scalar by value and
    type (1, 1.0 and True are equal in Python, not here), a tuple by what it holds."""
    kind = type(value)
    if kind is str:  # the commonest, and the cheapest: tested first, without a call
        return value
    if kind is tuple:
        return tuple([_token(item) for item in value])  # type: ignore[union-attr]
    token = _TOKENS.get(kind)
    return id(value) if token is None else token(value)


def _mutable(value: object) -> object:
    raise TypeError("memo() takes immutable arguments: pass a tuple or a mapping proxy, not a dict or list")


_TOKENS: dict[type, Callable[[Any], object]] = {
    int: lambda value: (int, value),
    float: lambda value: (float, value),
    bool: lambda value: (bool, value),
    type(None): lambda value: None,
    dict: _mutable,
    list: _mutable,
}


def _payload_guess(values: int) -> int:
    """A generous size of `values` kept values on disk: beyond a few times this, most of a cache is stale."""
    return max(values, 1) * 16_384


def _pid_of(name: str) -> int:
    try:
        return int(name.split("-")[1])
    except (IndexError, ValueError):
        return -1


def _is_running(pid: int) -> bool:
    """Whether the process that is writing a temporary segment still runs (this one, or another build)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except PermissionError:
        return True  # it exists, under another user
    except (OSError, OverflowError):
        return False
    return True


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
