"""The editors' guide must stay true: its complete examples pass the strictest check."""

import re
import shutil

from tests.conftest import ROOT, run_cli

GUIDE = ROOT / "docs" / "editing.md"


def guide_examples() -> list[str]:
    blocks = re.findall(r"```markdown\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    return [block for block in blocks if block.startswith("---\n")]


def test_the_guides_complete_examples_pass_check_strict_next_to_the_shipped_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    examples = guide_examples()
    assert len(examples) == 2
    for number, example in enumerate(examples):
        (content / f"guide-example-{number}.md").write_text(example, encoding="utf-8")
    result = run_cli("check", "--strict", "--content", content)
    assert result.returncode == 0, result.stderr


def test_the_guide_explains_every_front_matter_field():
    from timeline.agreements import AGREEMENT_FIELDS
    from timeline.entries import KNOWN_FIELDS

    guide = GUIDE.read_text(encoding="utf-8")
    assert all(f"| `{field}` |" in guide for field in KNOWN_FIELDS)
    assert all(f"| `{field}` |" in guide for field in AGREEMENT_FIELDS)
