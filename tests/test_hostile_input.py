"""Hostile and careless input: no file can hang a build, break a page or leave a broken file behind."""

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from tests.conftest import ROOT, entry_text, run_cli, site_config, tree_snapshot, write_files
from tests.test_hostile import run_isolated
from timeline.entries import MAX_NAME_BYTES, MAX_PARTNERS, MAX_TAGS
from timeline.errors import BuildFailed
from timeline.markup import TEMPLATE_IDS, expand_entry_links
from timeline.pipeline import build_site, check_site
from timeline.preview.rebuild import Preview
from timeline.workers import Unfinished, each_in_time


def test_link_brackets_before_long_runs_of_spaces_take_linear_time():
    result = run_isolated(
        """
        import time
        from timeline.markup import TEMPLATE_IDS, expand_entry_links
        body = ("[[" + " " * 30_000 + "x\\n") * 3 + "[[ " + " " * 30_000 + "|" + " " * 30_000
        started = time.perf_counter()
        expand_entry_links(body, {})
        print(round(time.perf_counter() - started, 2))
    """,
        seconds=20,
    )
    assert float(result.stdout) < 2, result.stderr


def test_links_keep_their_slug_label_and_line():
    text = "Intro.\n\nSee [[ alpha |  the  2024 text ]] and [[beta]],\nnot [[ ]] or [[gamma|]] or [[[delta]]]."
    started = time.perf_counter()
    expanded, found = expand_entry_links(text, {"alpha": "Alpha", "beta": "B*", "delta": "D"})
    assert time.perf_counter() - started < 1
    assert found == [("alpha", 2), ("beta", 2), ("delta", 3)]
    assert "[the  2024 text](../alpha/)" in expanded and r"[B\*](../beta/)" in expanded
    assert "[[ ]]" in expanded and "[[gamma|]]" in expanded and "[[D](../delta/)]" in expanded


SLOW_BODIES = {
    "brackets.md": "[" * 12_000,  # Python-Markdown backtracks for minutes
    "quotes.md": "\n".join(">" * depth + " x" for depth in range(1, 1000)),  # 17 s and 441 MB
    "divs.md": "<div>" * 60_000,  # nh3, in Rust: no signal can interrupt it, only stopping its process can
}


def test_a_file_over_the_time_limit_is_an_error_and_the_others_are_still_checked(tmp_path):
    files = {name: entry_text(title=name, body=body) for name, body in SLOW_BODIES.items()}
    content = write_files(tmp_path / "content", {**files, "good.md": entry_text(), "typo.md": entry_text(
        title="Typo", countries="[Itlay]")})  # fmt: skip
    settings = tmp_path / "site.toml"
    settings.write_text("file_time_limit = 1\n" + (ROOT / "site.toml").read_text(encoding="utf-8"))
    started = time.perf_counter()
    result = run_cli("build", "--content", content, "--out", tmp_path / "site", "--config", settings, "--jobs", "2",
                     "--no-cache", cwd=tmp_path)  # fmt: skip
    assert time.perf_counter() - started < 30
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if ": " in line and "warning" not in line]
    assert [line.split(": ")[0] for line in errors] == [
        "content/brackets.md:1", "content/divs.md:1", "content/quotes.md:1", "content/typo.md:4"
    ]  # fmt: skip
    assert errors[0].startswith("content/brackets.md:1: took longer than 1 s to render; ")
    assert "unknown country 'Itlay'" in errors[3]


def test_the_time_limit_holds_in_the_previews_rebuild_thread(tmp_path):
    content = write_files(tmp_path / "content", {"good.md": entry_text(), "slow.md": entry_text(body="[" * 12_000)})
    kept = Preview(lambda: replace(site_config(content, tmp_path / "site", cache_dir=None, search=False),
                                   file_time_limit=1.0), 1, None)  # fmt: skip
    outcome: list[BaseException] = []

    def rebuild() -> None:
        try:
            kept.rebuild()
        except BaseException as error:  # handed to the test's thread
            outcome.append(error)

    started = time.perf_counter()
    worker = threading.Thread(target=rebuild)
    worker.start()
    worker.join(timeout=30)
    assert time.perf_counter() - started < 15 and not worker.is_alive()
    assert isinstance(outcome[0], BuildFailed)
    assert [str(error).split("; ")[0] for error in outcome[0].errors] == [
        f"{content / 'slow.md'}:1: took longer than 1 s to render"
    ]


def test_lists_nested_too_deeply_say_so(tmp_path):
    body = "\n".join("    " * depth + "- x" for depth in range(260))  # Markdown recurses once per level
    content = write_files(tmp_path / "content", {"deep.md": entry_text(body=body)})
    with pytest.raises(BuildFailed) as failure:
        check_site(site_config(content, tmp_path / "site", cache_dir=None))
    assert [error.message for error in failure.value.errors] == [
        "is nested too deeply (lists, quotes or HTML tags inside each other); flatten it"
    ]


def test_a_megabyte_date_is_refused_before_it_is_parsed():
    result = run_isolated(
        """
        import time
        from timeline.dates import DateError, parse_date
        started = time.perf_counter()
        try:
            parse_date("March 2024 " * 90_000)
        except DateError as error:
            print(round(time.perf_counter() - started, 2), error)
    """,
        seconds=20,
    )
    seconds, message = result.stdout.split(" ", 1)
    assert float(seconds) < 1 and message.startswith("is 990,000 characters long; a date has at most 100")


def test_new_refuses_a_title_that_is_not_utf8_and_leaves_no_file_behind(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text()})
    latin1 = [sys.executable, str(ROOT / "build.py"), "new", b"T\xfcrkiye drone deal", "--countries", "TR",
              "--date", "2024-05-01", "--content", str(content)]  # fmt: skip
    result = subprocess.run(latin1, capture_output=True, check=False, timeout=60)
    assert result.returncode == 2
    assert b"error: the title is not valid UTF-8 text (byte 0xfc)" in result.stderr
    assert b"Traceback" not in result.stderr
    assert sorted(path.name for path in content.rglob("*")) == ["a.md"]
    typed_again = run_cli("new", "Türkiye drone deal", "--countries", "TR", "--date", "2024-05-01", "--content",
                          content)  # fmt: skip
    assert typed_again.returncode == 0, typed_again.stderr
    assert run_cli("check", "--content", content).returncode == 0


def test_no_symbolic_link_is_followed_in_the_vocabulary_templates_static_files_or_settings(tmp_path):
    private = write_files(tmp_path / "private", {
        "secrets.yaml": "runner-token-4242:\n  label: Token\n  description: A secret.\n",
        "secret.txt": "PRIVATE KEY 4242\n", "page.html": "PRIVATE TEMPLATE 4242\n",
    })  # fmt: skip
    content = write_files(tmp_path / "content", {"a.md": entry_text(tags="[runner-token-4243]")})
    os.symlink(private / "secrets.yaml", content / "tags.yaml")
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    os.symlink(private / "secret.txt", templates / "static" / "key.txt")
    os.symlink(private, templates / "static" / "folder")
    os.symlink(private / "page.html", templates / "extra.html")
    result = run_cli("build", "--content", content, "--templates", templates, "--out", tmp_path / "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for link in ("content/tags.yaml", "templates/extra.html", "templates/static/folder", "templates/static/key.txt"):
        assert f"{link}:1: warning: is a symbolic link and was skipped" in result.stderr
    assert "4242" not in result.stderr
    assert b"4242" not in b"".join(tree_snapshot(tmp_path / "site").values())
    assert run_cli("build", "--content", content, "--templates", templates, "--out", tmp_path / "strict", "--strict",
                   cwd=tmp_path).returncode == 1  # fmt: skip
    settings = tmp_path / "site.toml"
    os.symlink(ROOT / "site.toml", settings)
    linked = run_cli("check", "--content", content, "--config", settings, cwd=tmp_path)
    assert linked.returncode == 2 and "site.toml: is a symbolic link" in linked.stderr


def test_a_file_name_that_is_not_utf8_is_an_error_in_check_and_build(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text()})
    (content / os.fsdecode(b"caf\xe9.md")).write_text(entry_text(title="Cafe"), encoding="utf-8")
    for command in (["check"], ["build", "--out", tmp_path / "site"]):
        result = run_cli(*command, "--content", content, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "content/caf\\xe9.md:1: file name is not valid UTF-8 (byte 0xe9" in result.stderr
        assert "Traceback" not in result.stderr


def test_names_that_differ_only_in_unicode_normalisation_are_told_apart(tmp_path):
    composed, decomposed = "caf\u00e9.md", "cafe\u0301.md"
    files = {composed: entry_text(title="One"), decomposed: entry_text(title="Two")}
    content = write_files(tmp_path / "content", files)
    result = run_cli("check", "--content", content, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"content/{decomposed}:1: file name is written in decomposed (NFD) Unicode and {content / composed} is the "
        "same name written composed (NFC)"
    )
    assert "also used by" not in result.stderr


def test_a_letter_from_another_script_is_named_in_the_suggestion(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text(countries="[\u0406taly]")})
    with pytest.raises(BuildFailed) as failure:
        check_site(site_config(content, tmp_path / "site", cache_dir=None))
    assert failure.value.errors[0].message.startswith(
        "unknown country '\u0406taly' (did you mean Italy?); it has U+0406 CYRILLIC CAPITAL LETTER "
        "BYELORUSSIAN-UKRAINIAN I among Latin letters;"
    )


def test_invisible_characters_never_reach_pages_feeds_or_data_and_hide_no_duplicate(tmp_path):
    content = write_files(tmp_path / "content", {
        "a.md": entry_text(title="Italy signs a drone deal"),
        "b.md": entry_text(title="'Italy sig\u00adns a drone\u200b deal'", date="2024-03-01"),
        "c.md": entry_text(title="'Evil \u202etxt.exe'", slug="'evil\u200b-entry'", date="2024-04-01",
                           body="Over\u202eride and \u2066isolate\u2069 in the first paragraph."),
    })  # fmt: skip
    report = build_site(site_config(content, tmp_path / "site", search=False))
    assert [(problem.path.name, problem.message.split(";")[0]) for problem in report.warnings] == [
        ("b.md", f"title 'Italy signs a drone deal' is also used by {content / 'a.md'}")
    ]
    site = tree_snapshot(tmp_path / "site")
    assert "entries/evil-entry/index.html" in site
    for invisible in ("\u202e", "\u2066", "\u00ad", "\u200b"):
        assert [name for name, data in site.items() if invisible.encode() in data] == []


def test_timed_work_stops_only_the_item_that_overruns_or_ends_its_process():
    def task(number: int) -> int:
        if number == 3:
            while True:  # stuck, working
                pass
        if number == 5:
            os._exit(1)  # a crash in C code ends the process
        if number == 6:
            time.sleep(60)  # stuck without working: the clock stops it
        return number * 2

    started = time.perf_counter()
    assert each_in_time(task, range(9), 2, 0.5) == [0, 2, 4, Unfinished(True), 8, Unfinished(False),
                                                    Unfinished(True), 14, 16]  # fmt: skip
    assert time.perf_counter() - started < 20
    with pytest.raises(ZeroDivisionError):
        each_in_time(lambda number: 1 // number, [1, 0], 1, 5)


def test_too_many_tags_or_partners_and_names_too_long_for_a_folder_are_errors_at_their_lines(tmp_path):
    cyrillic = "щ" * 100  # 200 bytes, a 400-letter slug once romanised
    content = write_files(tmp_path / "content", {
        "many.md": entry_text(countries="[" + ", ".join(["IT"] * 100) + "]",
                              tags="[" + ", ".join(f"t{number}" for number in range(2000)) + "]"),
        "long.md": entry_text(title="Long", slug="x" * 300, tags=f"[ok, {'y' * 300}]"),
        f"{cyrillic}.md": entry_text(title="Cyrillic"),
    })  # fmt: skip
    result = run_cli("check", "--strict", "--content", content, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:5] == [
        f"content/long.md:7: slug is 300 characters long; a slug has at most {MAX_NAME_BYTES}",
        f"content/long.md:8: tag 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy…' is 300 characters long; a tag has at most "
        f"{MAX_NAME_BYTES}",
        f"content/many.md:4: 'countries' lists 100 items; an entry may have at most {MAX_PARTNERS}",
        f"content/many.md:7: 'tags' lists 2,000 items; an entry may have at most {MAX_TAGS}",
        f"content/{cyrillic}.md:2: the file name makes a slug of 400 characters; add a 'slug:' of at most "
        f"{MAX_NAME_BYTES}, or rename the file",
    ]


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value or "" for name, value in attrs if name == "id"]


def page_ids(page: bytes) -> list[str]:
    parser = _Ids()
    parser.feed(page.decode("utf-8"))
    return parser.ids


def test_every_id_the_templates_give_is_known_to_the_body_renderer():
    literal = {match for path in (ROOT / "templates").glob("*.html")
               for match in re.findall(r'\bid="([^"{}]+)"', path.read_text(encoding="utf-8"))}  # fmt: skip
    assert literal <= TEMPLATE_IDS


def test_body_ids_never_repeat_the_pages_own_and_remote_images_are_flagged_and_left_out_of_the_feed(tmp_path):
    body = ("## Main\n\nText.\n\n## Sources\n\n<a id=\"site-search-input\">raw</a> and <a id=\"cite-heading\">x</a>\n\n"
            "A chart: ![chart](https://tracker.example.net/pixel.png)\n")  # fmt: skip
    content = write_files(tmp_path / "content", {"a.md": entry_text(body=body), "b.md": entry_text(title="B")})
    warnings = check_site(site_config(content, tmp_path / "site", cache_dir=None)).warnings
    assert [(problem.path.name, problem.line, problem.message.split(": ")[0]) for problem in warnings] == [
        ("a.md", 16, "image 'https://tracker.example.net/pixel.png' is on another site")
    ]
    with pytest.raises(BuildFailed):
        check_site(site_config(content, tmp_path / "site", cache_dir=None, strict=True))
    build_site(site_config(content, tmp_path / "site", search=False))
    site = tree_snapshot(tmp_path / "site")
    for name in ("entries/a/index.html", "uk/entries/a/index.html"):
        ids = page_ids(site[name])
        assert len(ids) == len(set(ids)) and {"main-2", "site-search-input-2", "cite-heading-2"} <= set(ids), ids
    assert b"tracker.example.net" in site["entries/a/index.html"]  # blocked by the page's policy, and flagged
    assert b"tracker.example.net" not in site["feed.xml"] and b"Text." in site["feed.xml"]
