"""The tag vocabulary: content/tags.yaml names every tag entries may use, with a label and a description,
and the same in other languages beneath the language's code:

    uav:
      label: Drones
      description: Unmanned aerial vehicles ...
      uk:
        label: Дрони
        description: Безпілотні літальні апарати ...
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from timeline.content import link_warning, read_yaml_file
from timeline.entries import MAX_NAME_BYTES, SLUG_PATTERN
from timeline.errors import ContentError, describe_value
from timeline.languages import interface_languages
from timeline.model import TagInfo

VOCABULARY_FILE = "tags.yaml"


def read_vocabulary(content_dir: Path) -> tuple[Mapping[str, TagInfo] | None, list[ContentError]]:
    """The vocabulary, or None when the content has none (then any tag is accepted)."""
    path = content_dir / VOCABULARY_FILE
    if path.is_symlink():
        return None, [link_warning(path)]
    if not path.is_file():
        return None, []
    loaded, problems = read_yaml_file(path)
    if loaded is None:
        return MappingProxyType({}), problems
    fields, field_lines, _ = loaded
    vocabulary: dict[str, TagInfo] = {}
    for slug, value in fields.items():
        tag, tag_problems = _tag_info(path, field_lines.get(slug, 1), slug, value)
        problems += tag_problems
        if tag is not None:
            vocabulary[slug] = tag
    return MappingProxyType(vocabulary), problems


def _tag_info(path: Path, line: int, slug: str, value: object) -> tuple[TagInfo | None, list[ContentError]]:
    if not SLUG_PATTERN.fullmatch(slug):
        return None, [ContentError(path, line, f"tag '{slug}' must be lower-case letters, digits, '-' and '_'")]
    if len(slug) > MAX_NAME_BYTES:
        message = f"tag '{slug[:40]}…' is {len(slug):,} characters long; a tag has at most {MAX_NAME_BYTES}"
        return None, [ContentError(path, line, message)]
    if not isinstance(value, dict):
        message = f"tag '{slug}' needs 'label' and 'description' beneath it, not {describe_value(value)}"
        return None, [ContentError(path, line, message)]
    problems, texts = _texts(path, line, slug, value, "")
    translated = []
    for code in sorted(key for key in value if key in interface_languages()):
        if not isinstance(value[code], dict):
            message = f"tag '{slug}': '{code}:' needs 'label' and 'description' in that language beneath it"
            problems.append(ContentError(path, line, message))
            continue
        code_problems, code_texts = _texts(path, line, slug, value[code], f"{code}: ")
        problems += code_problems
        translated.append((code, code_texts["label"], code_texts["description"]))
    extra = sorted(
        str(key) for key in value if key not in ("label", "description") and key not in interface_languages()
    )
    if extra:
        problems.append(ContentError(path, line, f"tag '{slug}' has unknown keys {', '.join(extra)}; ignored", True))
    if any(not problem.warning for problem in problems):
        return None, problems
    return TagInfo(slug, texts["label"], texts["description"], tuple(translated)), problems


def _texts(
    path: Path, line: int, slug: str, value: dict[str, object], where: str
) -> tuple[list[ContentError], dict[str, str]]:
    problems = []
    texts = {}
    for key in ("label", "description"):
        text = value.get(key)
        if not isinstance(text, str) or not text.strip():
            problems.append(ContentError(path, line, f"tag '{slug}' needs a non-empty '{where}{key}'"))
        texts[key] = " ".join(str(text).split()) if isinstance(text, str) else ""
    return problems, texts
