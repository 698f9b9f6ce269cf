"""Hostile content: every case ends in a clear error or a safe site, never a crash, a hang or a live script."""

import os
import re
import resource
import subprocess
import sys
import textwrap
from html.parser import HTMLParser

import pytest

from tests.conftest import ROOT, entry_text, run_cli, site_config, tree_snapshot, write_files
from timeline.content import MAX_FILE_BYTES, MAX_NESTING
from timeline.errors import BuildFailed
from timeline.pipeline import build_site

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '<a href="javascript:alert(3)">j</a>',
    '<a href="data:text/html,<script>alert(4)</script>">d</a>',
    '<a href="vbscript:msgbox(5)">v</a>',
    '<svg onload="alert(6)"><script>alert(7)</script></svg>',
    '<iframe src="https://example.org/frame"></iframe>',
    '<object data="https://example.org/x.swf"></object><embed src="https://example.org/y.swf">',
    "<!-- a comment --> <style>body{display:none}</style>",
    "{{ 7 * 7 }} {% for x in range(3) %}loop{% endfor %} {{ config }}",
]
UNSAFE_SCHEME = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)


class _Audit(HTMLParser):
    """Everything in a page that could run or load something."""

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("iframe", "object", "embed", "style", "base") or (
            tag == "svg" and values.get("class") not in ("chart-svg", "map-svg")
        ):
            self.findings.append(f"<{tag}>")  # the site's own charts and maps are the only SVG it has
        if tag == "script" and not (
            values.get("src", "").endswith(".js") or values.get("type") in ("application/ld+json", "application/json")
        ):  # JSON data blocks are never run
            self.findings.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction") and value and UNSAFE_SCHEME.match(value):
                self.findings.append(f"{tag} {name}={value[:30]}")
        if tag == "a" and (values.get("href") or "").startswith("http") and values.get("rel") != "noopener noreferrer":
            self.findings.append(f"external link without rel: {values.get('href')}")


def audit(site) -> list[str]:
    findings = []
    for page in sorted(site.rglob("*.html")):
        parser = _Audit()
        parser.feed(page.read_text(encoding="utf-8"))
        findings += [f"{page.relative_to(site)}: {finding}" for finding in parser.findings]
    return findings


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_markup_in_every_field_and_the_body_is_inert(tmp_path):
    files = {}
    for number, payload in enumerate(PAYLOADS):
        files[f"e{number}.md"] = entry_text(
            title=quoted(f"Title {number} {payload}"), summary=quoted(f"Summary {payload}"),
            author=quoted(payload), tags=f"[{quoted(payload)}]",
            sources=f"[{{title: {quoted(payload)}, url: 'https://example.org/{number}'}}]",
            body=f"Body {payload}\n\n{payload}",
        )  # fmt: skip
    build_site(site_config(write_files(tmp_path / "content", files), tmp_path / "site"))
    site = tmp_path / "site"
    assert audit(site) == []
    page = (site / "entries" / "e9" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7 * 7 }}" in page and "49" not in page and "looploop" not in page  # no template injection
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in feed and "&lt;script&gt;" in feed


@pytest.mark.parametrize(
    "scheme", ["javascript:alert(1)", "data:text/html,x", "vbscript:msgbox(1)", "ftp://x.org/f", "//x.org"]
)
def test_sources_accept_only_http_and_https(tmp_path, scheme):
    content = write_files(tmp_path / "content", {"a.md": entry_text(sources=f"[{quoted(scheme)}]")})
    with pytest.raises(BuildFailed) as failure:
        build_site(site_config(content, tmp_path / "site"))
    assert [error.message for error in failure.value.errors] == [f"source '{scheme}' is not an http(s) URL"]


def test_external_links_in_bodies_carry_noopener_noreferrer(tmp_path):
    body = '[a link](https://example.org/x) and <a href="https://example.org/y" rel="opener">raw</a>'
    build_site(site_config(write_files(tmp_path / "content", {"a.md": entry_text(body=body)}), tmp_path / "site"))
    assert audit(tmp_path / "site") == []


def run_isolated(code: str, seconds: float = 30) -> subprocess.CompletedProcess[str]:
    """Run code in a child Python, so a crash or a hang is a test failure rather than the end of the run."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          timeout=seconds, check=False)  # fmt: skip


def test_a_yaml_alias_bomb_fails_fast_with_bounded_memory(tmp_path):
    levels = ["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "---\ntitle: Bomb\n" + "\n".join(levels) + "\ncountries: *i\ntags: *i\nsummary: *i\n---\nBody.\n"
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "bomb.md").write_text(text, encoding="utf-8")
    result = run_isolated(f"""
        import time
        from pathlib import Path
        from timeline.pipeline import check_site
        from tests.conftest import site_config
        from timeline.errors import BuildFailed
        started = time.perf_counter()
        try:
            check_site(site_config(Path({str(tmp_path / "content")!r}), Path({str(tmp_path / "site")!r})))
        except BuildFailed as failure:
            # VmHWM is this process image's peak; ru_maxrss would include the parent's, kept across exec
            peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
            print(len(failure.errors), round(time.perf_counter() - started, 2), int(peak.split()[1]) // 1024)
    """)
    count, seconds, megabytes = result.stdout.split()
    assert int(count) > 0 and float(seconds) < 5 and int(megabytes) < 300, result.stdout + result.stderr


@pytest.mark.parametrize(
    "nested",
    [
        "x: " + "[" * 200_000 + "]" * 200_000,  # flow style
        "x: " + "{a: " * 100_000 + "1" + "}" * 100_000,
        "countries:\n  " + "- " * 50_000 + "x",  # block style, on one line
    ],
    ids=["lists", "mappings", "block"],
)
def test_deeply_nested_front_matter_is_refused_without_crashing(tmp_path, nested):
    write_files(tmp_path / "content", {"deep.md": f"---\ntitle: x\n{nested}\n---\n"})
    result = run_cli("check", "--content", tmp_path / "content", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # not 139, a segmentation fault
    assert f"content/deep.md:2: front matter is nested more than {MAX_NESTING} levels deep" in result.stderr


def test_a_50_mb_file_is_refused_at_once_without_being_read(tmp_path):
    content = write_files(tmp_path / "content", {"ok.md": entry_text()})
    with (content / "huge.md").open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: 50 MB of size, no data to read
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(BuildFailed) as failure:
        build_site(site_config(content, tmp_path / "site"))
    assert [str(error).split(": ", 1)[1] for error in failure.value.errors] == [
        f"file is 52,428,800 bytes; files are limited to {MAX_FILE_BYTES:,}"
    ]
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 40 * 1024  # KB: it was never loaded


def test_symlinks_in_content_are_not_followed_into_the_site(tmp_path):
    outside = write_files(tmp_path / "private", {"secret.md": entry_text(title="Private notes")})
    content = write_files(tmp_path / "content", {"public.md": entry_text(title="Public")})
    os.symlink(outside / "secret.md", content / "linked.md")
    os.symlink(outside, content / "linked-folder")
    result = run_cli("build", "--content", content, "--out", tmp_path / "site", cwd=tmp_path)
    assert result.returncode == 0
    assert "content/linked.md:1: warning: is a symbolic link and was skipped" in result.stderr
    assert b"Private notes" not in b"".join(tree_snapshot(tmp_path / "site").values())
