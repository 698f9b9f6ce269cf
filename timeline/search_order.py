"""Make Pagefind's filter index byte-for-byte repeatable.

Pagefind 1.5 writes each filter's values in hash-map order, which changes from run to run, so two builds
of the same content would differ. This sorts the values, names each filter file after its new content, and
updates the two files that refer to them; it also lists the languages of pagefind-entry.json in order.
Files it does not recognise are left exactly as Pagefind wrote them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

_MAGIC = b"pagefind_dcd"


def make_filters_repeatable(bundle: Path) -> bool:
    """Rewrite bundle/filter/*.pf_filter in sorted order; False (and nothing changed) if the format is unfamiliar."""
    try:
        entry_path = bundle / "pagefind-entry.json"
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        plan = [_planned_language(bundle, language, info) for language, info in entry["languages"].items()]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return False
    if any(step is None for step in plan):
        return False
    for language, (meta_path, renames, meta) in zip(entry["languages"], plan, strict=True):
        for old, (new, data) in renames.items():
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(_pack(data))
            if new != old:
                (bundle / "filter" / f"{old}.pf_filter").unlink()
        meta_name = f"{language}_{hashlib.sha256(meta).hexdigest()[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{meta_name}.pf_meta").write_bytes(_pack(meta))
        entry["languages"][language]["hash"] = meta_name
    entry["languages"] = dict(sorted(entry["languages"].items()))  # Pagefind lists them in any order
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


def _planned_language(bundle: Path, language: str, info: dict) -> tuple[Path, dict, bytes] | None:
    meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
    meta = _decode(_unpack(meta_path.read_bytes()))
    renames: dict[str, tuple[str, bytes]] = {}
    for path in sorted((bundle / "filter").glob(f"{language}_*.pf_filter")):
        value = _decode(_unpack(path.read_bytes()))
        if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)):
            return None
        value[1].sort(key=lambda pair: str(pair[0]))  # [value, [page numbers]] pairs
        data = _encode(value)
        renames[path.stem] = (f"{language}_{hashlib.sha256(data).hexdigest()[:7]}", data)
    filters = _filter_list(meta, set(renames))
    if filters is None:
        return None
    for pair in filters:
        pair[1] = renames[pair[1]][0]
    filters.sort(key=lambda pair: pair[0])
    return meta_path, renames, _encode(meta)


def _filter_list(meta: object, names: set[str]) -> list | None:
    """The meta's list of [filter name, filter file] pairs."""
    if not isinstance(meta, list):
        return None
    for item in meta:
        if (isinstance(item, list) and item and all(isinstance(pair, list) and len(pair) == 2 for pair in item)
                and {pair[1] for pair in item} == names):  # fmt: skip
            return item
    return None if names else []


def _unpack(data: bytes) -> bytes:
    raw = gzip.decompress(data)
    if not raw.startswith(_MAGIC):
        raise ValueError("not a Pagefind file")
    body = raw[len(_MAGIC) :]
    if _encode(_decode(body)) != body:
        raise ValueError("unfamiliar encoding")  # re-encoding must reproduce Pagefind's own bytes
    return body


def _pack(body: bytes) -> bytes:
    return gzip.compress(_MAGIC + body, mtime=0)


# The subset of CBOR (RFC 8949) that Pagefind's index files use: unsigned integers, text, bytes, arrays.


def _decode(data: bytes) -> object:
    value, end = _decode_at(data, 0)
    if end != len(data):
        raise ValueError("trailing data")
    return value


def _decode_at(data: bytes, position: int) -> tuple[object, int]:
    major, info = data[position] >> 5, data[position] & 0x1F
    position += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[position : position + size], "big")
        position += size
    else:
        raise ValueError("indefinite or reserved length")
    if major == 0:
        return argument, position
    if major in (2, 3):
        chunk = data[position : position + argument]
        return (chunk if major == 2 else chunk.decode("utf-8")), position + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, position = _decode_at(data, position)
            items.append(item)
        return items, position
    raise ValueError(f"CBOR major type {major}")


def _encode(value: object) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError("unsupported value")
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    raise ValueError("unsupported value")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise ValueError("integer too large")
