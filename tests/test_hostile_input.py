"""Hostile and careless input: no file can hang a build, break a page or leave a broken file behind."""

import time

from tests.test_hostile import run_isolated
from timeline.markup import expand_entry_links


def test_link_brackets_before_long_runs_of_spaces_take_linear_time():
    result = run_isolated("""
        import time
        from timeline.markup import expand_entry_links
        body = ("[[" + " " * 30_000 + "x\\n") * 3 + "[[ " + " " * 30_000 + "|" + " " * 30_000
        started = time.perf_counter()
        expand_entry_links(body, {})
        print(round(time.perf_counter() - started, 2))
    """, seconds=20)
    assert float(result.stdout) < 2, result.stderr


def test_links_keep_their_slug_label_and_line():
    text = "Intro.\n\nSee [[ alpha |  the  2024 text ]] and [[beta]],\nnot [[ ]] or [[gamma|]] or [[[delta]]]."
    started = time.perf_counter()
    expanded, found = expand_entry_links(text, {"alpha": "Alpha", "beta": "B*", "delta": "D"})
    assert time.perf_counter() - started < 1
    assert found == [("alpha", 2), ("beta", 2), ("delta", 3)]
    assert "[the  2024 text](../alpha/)" in expanded and r"[B\*](../beta/)" in expanded
    assert "[[ ]]" in expanded and "[[gamma|]]" in expanded and "[[D](../delta/)]" in expanded
