import pytest

from timeline.markup import first_paragraph_text, plain_text, render_markdown


def headings(html: str) -> list[str]:
    return [line.split(">")[0][1:3] for line in html.splitlines() if line.startswith("<h")]


@pytest.mark.parametrize(
    ("body", "levels"),
    [
        ("## Section\n\ntext\n\n### Sub", ["h2", "h3"]),  # as editors write them
        ("# Title\n\n## Section", ["h2", "h3"]),  # moved down: the page title is the only h1
        ("Title\n=====\n\ntext", ["h2"]),
    ],
)
def test_body_headings_never_compete_with_the_page_title_or_skip_a_level(body, levels):
    assert headings(render_markdown(body)) == levels


def test_tables_footnotes_and_heading_anchors_survive_sanitising():
    html = render_markdown("## Terms\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: Note.")
    assert '<h2 id="terms">' in html and "<table>" in html and 'id="fn:1"' in html


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<img src="x" onerror="alert(1)">',
        '<iframe src="https://example.org"></iframe>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        "[x](javascript:alert(1))",
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_nothing_executable_survives(unsafe):
    html = render_markdown(f"Text {unsafe} more.")
    for marker in ("<script", "javascript:", "onerror", "onload", "<iframe", "data:text"):
        assert marker not in html


def test_plain_text_unescapes_and_folds_whitespace():
    assert plain_text("<em>A</em> &amp;\n  B&#39;s") == "A & B's"
    assert first_paragraph_text("<h2>x</h2><p> </p><p>First <b>real</b> one.</p>") == "First real one."
