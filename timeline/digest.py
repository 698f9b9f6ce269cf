"""Content digests of immutable values: what a page, an entry or a view is made of, as 16 bytes.

Two values with the same digest are the same value, whatever objects hold them: this is how the build
tells which pages changed (their contexts' digests) and how the cache finds what it already computed.
Values are frozen dataclasses, tuples, mappings and plain scalars; a value the build cannot digest
(a function, an open file) is a TypeError, never a silent guess.

Working out a digest walks the value, which costs time for large ones. A value's digest never changes
(it is immutable), so it is remembered per object while the object is used: entries, views and pages kept
from one rebuild to the next are digested once. `remember` lets the cache tell the digest of an object
it made, such as an entry checked from a file with a known digest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import PurePath

DIGEST_SIZE = 16
_SCALARS = (str, int, float, bool, type(None))
_MUTABLE = (dict, list)  # digested, as a page's context is, but never remembered: they may change


class Digests:
    """The digests of values, each object's remembered while it is used; see the module's docstring."""

    def __init__(self) -> None:
        # id -> (the object, its digest): holding the object keeps its id from being reused by another
        self._current: dict[int, tuple[object, bytes]] = {}
        self._previous: dict[int, tuple[object, bytes]] = {}

    def of(self, value: object) -> bytes:
        """The digest of `value`: equal values, equal digests."""
        if type(value) in _SCALARS:
            return _hash(_scalar(value))
        return self._digest(value)

    def remember(self, value: object, digest: bytes) -> None:
        """Take `digest` as the digest of `value`, unless its own is known already.

        `digest` must determine `value`: the digest of the bytes an entry was checked from, or of the
        arguments of a pure function that made the value. Each value has one digest, so two equal values
        may have different digests (then a page made of one is made again, needlessly) but two different
        values never share one."""
        if type(value) not in _SCALARS and type(value) not in _MUTABLE and not self.knows(value):
            self._current[id(value)] = (value, digest)

    def knows(self, value: object) -> bool:
        """Whether the digest of this very object is remembered (and kept for this generation)."""
        known = self._current.get(id(value)) or self._previous.get(id(value))
        if known is None or known[0] is not value:
            return False
        self._current[id(value)] = known
        return True

    def next_generation(self) -> None:
        """Forget the digests of objects not used since the last call: a rebuild keeps only what it met."""
        self._previous, self._current = self._current, {}

    def _digest(self, value: object) -> bytes:
        if type(value) in _MUTABLE:
            return _hash(self._encode(value))  # it may change: never remembered
        key = id(value)
        known = self._current.get(key)
        if known is None:
            known = self._previous.get(key)
            if known is not None and known[0] is value:
                self._current[key] = known
        if known is not None and known[0] is value:
            return known[1]
        digest = _hash(self._encode(value))
        self._current[key] = (value, digest)
        return digest

    def _encode(self, value: object) -> bytes:
        """The bytes a composite value's digest is taken of: its type, then each part, scalars as themselves
        (length-prefixed) and the rest as their own digests."""
        kind = type(value)
        fields = _fields(kind)
        if fields is not None:
            head, items = fields[0], fields[1](value)
        elif kind is tuple or kind is list:
            head, items = b"T", value
        elif isinstance(value, Mapping):
            head, items = b"M", [part for pair in value.items() for part in pair]
        elif isinstance(value, tuple):  # a named tuple
            head, items = _type_name(kind), value
        else:
            return self._encode_other(value, kind)
        out = [head]
        append = out.append
        for item in items:  # type: ignore[attr-defined]
            part = type(item)
            if part is str:
                encoded = item.encode("utf-8", "surrogatepass")
                append(b"s%d:" % len(encoded))
                append(encoded)
            elif part is int:
                append(b"i%d;" % item)
            elif item is None:
                append(b"n")
            elif part is bool:
                append(b"t" if item else b"f")
            elif part is float:
                append(b"d" + repr(item).encode() + b";")
            elif _is_leaf(part):  # a small record of scalars (a link): cheaper written out than digested
                encoded = self._encode(item)
                append(b"L%d:" % len(encoded))
                append(encoded)
            else:
                append(b"D")
                append(self._digest(item))
        return b"".join(out)

    def _encode_other(self, value: object, kind: type) -> bytes:
        if isinstance(value, str):  # Markup: the type changes how it is shown
            return _type_name(kind) + str.encode(value, "utf-8", "surrogatepass")
        if isinstance(value, int | float):  # IntEnum...
            return _type_name(kind) + repr(value).encode()
        if isinstance(value, Enum):
            return _type_name(kind) + self._encode((value.value,))
        if isinstance(value, date):
            return _type_name(kind) + value.isoformat().encode()
        if isinstance(value, Decimal):
            return b"R" + str(value).encode()
        if isinstance(value, PurePath):
            return b"P" + str(value).encode()
        if isinstance(value, bytes):
            return b"B" + value
        if isinstance(value, frozenset):
            return b"F" + b"".join(sorted(self._digest((item,)) for item in value))
        raise TypeError(f"cannot digest a {kind.__qualname__}: values given to pages must be immutable data")


def _hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()


def _scalar(value: object) -> bytes:
    if type(value) is str:
        return b"s" + value.encode("utf-8", "surrogatepass")  # type: ignore[union-attr]
    if value is None or type(value) is bool:
        return b"n" if value is None else (b"t" if value else b"f")
    return b"i" + str(value).encode() if type(value) is int else b"d" + repr(value).encode()


@cache
def _fields(kind: type) -> tuple[bytes, Callable[[object], tuple[object, ...]]] | None:
    """For a dataclass: its name, and a function giving its fields' values, which make up its value."""
    if not dataclasses.is_dataclass(kind):
        return None
    names = [field.name for field in dataclasses.fields(kind)]
    if not names:
        return _type_name(kind), lambda value: ()
    get = operator.attrgetter(*names)
    return _type_name(kind), (get if len(names) > 1 else lambda value: (get(value),))


_SCALAR_ANNOTATION = re.compile(r"(str|int|float|bool|None)( \| (str|int|float|bool|None))*")


@cache
def _is_leaf(kind: type) -> bool:
    """A dataclass whose fields are all declared as scalars (str, int, float, bool, None)."""
    if not dataclasses.is_dataclass(kind):
        return False
    return all(_SCALAR_ANNOTATION.fullmatch(str(field.type)) for field in dataclasses.fields(kind))


@cache
def _type_name(kind: type) -> bytes:
    return f"<{kind.__module__}.{kind.__qualname__}>".encode()
