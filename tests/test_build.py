import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest

from tests.conftest import FIXTURES, entry_text, site_config, tree_snapshot, write_files
from tests.sitecheck import broken_links
from timeline.errors import BuildFailed
from timeline.marker import MARKER
from timeline.pipeline import build_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def html(site, path):
    return (site / path).read_text(encoding="utf-8")


def test_the_site_has_every_page_and_data_file(built_minimal):
    files = set(tree_snapshot(built_minimal))
    assert {
        "index.html", "404.html", ".nojekyll", "feed.xml", "sitemap.xml", "data/entries.json", "data/entries.csv",
        "entries/alpha-agreement/index.html", "entries/beta-drones/index.html", "entries/gamma-note/index.html",
        "partners/index.html", "partners/it/index.html", "partners/fr/index.html", "partners/gb/index.html",
        "partners/eu/index.html", "tags/index.html", "tags/uav/index.html", "tags/security-guarantees/index.html",
        "static/style.css", MARKER,
    } <= files  # fmt: skip


def test_the_index_groups_by_year_and_month_with_dates_at_their_precision(built_minimal):
    page = html(built_minimal, "index.html")
    headings = re.findall(r"<h[23][^>]*>([^<]+)", page)
    assert [heading.strip() for heading in headings] == [
        "2023",
        "2023, month not given",
        "2024",
        "February 2024",
        "March 2024",
    ]
    assert '<time datetime="2024-02-16">16 February 2024</time>' in page
    assert '<time datetime="2024-03">March 2024</time>' in page
    assert '<time datetime="2023">2023</time>' in page
    assert "Analyst note" in page and "\U0001f1ee\U0001f1f9" in page


def test_a_month_or_year_entry_never_shows_an_invented_day(built_minimal):
    every_page = "".join(path.read_text(encoding="utf-8") for path in built_minimal.rglob("*.html"))
    assert not re.search(r"\b\d{1,2} March 2024", every_page)
    assert "2024-03-01" not in every_page + html(built_minimal, "data/entries.json")
    assert "2023-01-01" not in every_page + html(built_minimal, "data/entries.json")


def test_entry_pages_show_body_partners_tags_sources_and_neighbours(built_minimal):
    page = html(built_minimal, "entries/beta-drones/index.html")
    assert "<h1>Beta drone deal</h1>" in page
    assert "France and the United Kingdom agree on drones" in page
    assert 'href="../../partners/fr/"' in page and 'href="../../partners/gb/"' in page
    assert 'href="../../tags/co-production/"' in page
    assert '<a href="https://www.example.com/beta" rel="noopener noreferrer">example.com</a>' in page
    assert 'href="../../entries/alpha-agreement/" rel="prev"' in page
    assert 'rel="next"' not in page  # the last entry in the timeline
    assert 'rel="prev"' not in html(built_minimal, "entries/gamma-note/index.html")


def test_partner_and_tag_pages_list_their_entries_and_the_indexes_count_them(built_minimal):
    assert "Alpha agreement signed" in html(built_minimal, "partners/it/index.html")
    assert "Beta drone deal" not in html(built_minimal, "partners/it/index.html")
    partners = html(built_minimal, "partners/index.html")
    assert re.search(r"European Union</a></td><td class=\"numeric\">1<", partners)
    assert "Beta drone deal" in html(built_minimal, "tags/uav/index.html")


def test_every_internal_link_resolves_from_the_root(built_minimal):
    assert broken_links(built_minimal) == []


def test_every_internal_link_resolves_under_a_sub_path(built_edge):
    assert broken_links(built_edge, base_path="/repo/") == []
    assert 'href="/repo/partners/"' in html(built_edge, "404.html")
    assert "https://example.github.io/repo/entries/" in html(built_edge, "sitemap.xml")
    assert '<link rel="canonical" href="https://example.github.io/repo/entries/ukrainian-date/">' in html(
        built_edge, "entries/ukrainian-date/index.html"
    )


def test_the_feed_is_atom_with_absolute_links_and_rfc3339_dates(built_edge):
    text = html(built_edge, "feed.xml")
    parsed = feedparser.parse(text)
    assert not parsed.bozo and parsed.version == "atom10"
    root = ET.fromstring(text)
    assert root.tag == f"{ATOM}feed"
    for element in root.iter():
        if element.tag in (f"{ATOM}updated", f"{ATOM}published"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", element.text)
        if element.tag == f"{ATOM}link":
            assert element.get("href").startswith("https://example.github.io/repo/")
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 15
    assert all(entry.find(f"{ATOM}id").text.startswith("urn:uuid:") for entry in entries)


def test_the_feed_gives_a_published_day_only_where_the_content_has_one(built_minimal):
    entries = {entry.title: entry for entry in feedparser.parse(html(built_minimal, "feed.xml")).entries}
    assert entries["Alpha agreement signed"].published == "2024-02-16T00:00:00Z"
    assert "published" not in entries["Beta drone deal"]  # dated March 2024
    assert "published" not in entries["Gamma analysis"]  # dated 2023


def test_control_characters_never_break_the_feed_or_pages(tmp_path):
    content = write_files(
        tmp_path / "content", {"a.md": entry_text(title='"Word\\u0001 paste"', body="One\x0btwo\x02.")}
    )
    build_site(site_config(content, tmp_path / "site"))
    ET.fromstring(html(tmp_path / "site", "feed.xml"))
    assert "\x01" not in html(tmp_path / "site", "entries/a/index.html")


def test_feed_ids_do_not_change_when_a_title_changes(tmp_path):
    def feed_ids(title):
        content = write_files(tmp_path / title, {"a.md": entry_text(title=title)})
        build_site(site_config(content, tmp_path / f"{title}-site"))
        return [entry.id for entry in feedparser.parse((tmp_path / f"{title}-site" / "feed.xml").read_text()).entries]

    assert feed_ids("First") == feed_ids("Second")


def test_the_sitemap_lists_absolute_urls_and_leaves_out_drafts(built_edge):
    root = ET.fromstring(html(built_edge, "sitemap.xml"))
    locations = [url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")]
    assert all(location.startswith("https://example.github.io/repo/") for location in locations)
    assert "https://example.github.io/repo/entries/ukrainian-date/" in locations
    assert not any("draft" in location for location in locations)


def test_drafts_are_left_out_of_everything_unless_asked_for(built_edge, tmp_path):
    every_file = b"".join(tree_snapshot(built_edge).values())
    assert b"A draft not yet published" not in every_file
    config = site_config(FIXTURES / "edge" / "content", tmp_path / "site", include_drafts=True)
    build_site(config)
    assert (tmp_path / "site" / "entries" / "draft" / "index.html").is_file()


def test_edge_dates_sort_and_export_at_their_precision(built_edge):
    records = json.loads(html(built_edge, "data/entries.json"))
    assert [(record["slug"], record["date"], record["precision"]) for record in records] == [
        ("ukrainian-date", "2022-02-24", "day"),  # same day: Norway, Poland, United Kingdom
        ("dotted", "2022-02-24", "day"),
        ("us-style", "2022-02-24", "day"),
        ("year-int", "2023", "year"),
        ("year-string", "2023", "year"),
        ("crlf-bom", "2024-01-02", "day"),
        ("long-month", "2024-02", "month"),
        ("yaml-date", "2024-02-16", "day"),  # Germany before South Korea
        ("long-day", "2024-02-16", "day"),
        ("same-day-c", "2024-05-28", "day"),
        ("same-day-b", "2024-05-28", "day"),
        ("same-day-a", "2024-05-28", "day"),
        ("month-iso", "2024-06", "month"),
        ("timestamp", "2024-06-13", "day"),
        ("organisations", "2024-07", "month"),
    ]


def test_front_matter_text_is_escaped_in_html_and_xml(tmp_path):
    hostile = '"<script>alert(1)</script> & <b onmouseover=x>'
    content = write_files(
        tmp_path / "content", {"a.md": entry_text(title=f"'{hostile}'", summary=f"'{hostile}'", author=f"'{hostile}'")}
    )
    build_site(site_config(content, tmp_path / "site"))
    for name in ("index.html", "entries/a/index.html", "feed.xml", "partners/it/index.html"):
        text = html(tmp_path / "site", name)
        assert "<script>alert(1)" not in text and "<b onmouseover" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    ET.fromstring(html(tmp_path / "site", "feed.xml"))  # still well-formed XML


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path):
    for name in ("one", "two"):
        build_site(site_config(FIXTURES / "edge" / "content", tmp_path / name))
    assert tree_snapshot(tmp_path / "one") == tree_snapshot(tmp_path / "two")


def test_a_build_never_modifies_the_content_and_writes_only_its_output(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text(), "notes/b.md": entry_text(title="B")})
    before = tree_snapshot(content)
    config = site_config(content, tmp_path / "out" / "site", cache_dir=tmp_path / "cache")
    build_site(config)
    build_site(config)
    assert tree_snapshot(content) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "content", "out"]  # the cache is documented
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["site"]


def test_a_failed_build_leaves_the_previous_site_byte_for_byte(tmp_path):
    content = write_files(tmp_path / "content", {"a.md": entry_text(), "b.md": entry_text(title="B")})
    site = tmp_path / "site"
    build_site(site_config(content, site))
    before = tree_snapshot(site)
    write_files(content, {"b.md": entry_text(date="Mrach 2024"), "c.md": entry_text(countries="[Narnia]")})
    with pytest.raises(BuildFailed) as failure:
        build_site(site_config(content, site))
    assert [(error.path.name, error.line) for error in failure.value.errors] == [("b.md", 3), ("c.md", 4)]
    assert tree_snapshot(site) == before


def test_a_broken_template_names_the_template_and_line_and_keeps_the_site(tmp_path):
    templates = tmp_path / "templates"
    for source in (FIXTURES.parent.parent / "templates").rglob("*"):
        if source.is_file():
            write_files(
                templates, {source.relative_to(FIXTURES.parent.parent / "templates").as_posix(): source.read_bytes()}
            )
    content = write_files(tmp_path / "content", {"a.md": entry_text()})
    site = tmp_path / "site"
    build_site(site_config(content, site, templates_dir=templates))
    before = tree_snapshot(site)
    entry_template = templates / "entry.html"
    lines = entry_template.read_text().splitlines()
    lines[10] = lines[10] + " {{ card.no_such_field }}"
    entry_template.write_text("\n".join(lines) + "\n")
    with pytest.raises(BuildFailed) as failure:
        build_site(site_config(content, site, templates_dir=templates))
    [error] = failure.value.errors
    assert (error.path.name, error.line) == ("entry.html", 11)
    assert "no_such_field" in error.message
    (templates / "tag.html").write_text("{% for x in %}\n")
    with pytest.raises(BuildFailed) as failure:
        build_site(site_config(content, site, templates_dir=templates))
    assert {(error.path.name, error.line) for error in failure.value.errors} == {("entry.html", 11), ("tag.html", 1)}
    (templates / "tag.html").write_text("ok\n")
    (templates / "entry.html").write_text("line one\n{{ 1 / 0 }}\n")
    with pytest.raises(BuildFailed) as failure:
        build_site(site_config(content, site, templates_dir=templates))
    [error] = failure.value.errors
    assert (error.path.name, error.line) == ("entry.html", 2)
    assert "division by zero" in error.message
    assert tree_snapshot(site) == before


def test_an_unforeseen_failure_on_one_file_is_an_error_on_that_file_not_a_traceback(tmp_path, monkeypatch):
    content = write_files(tmp_path / "content", {"a.md": entry_text(), "b.md": entry_text(title="Boom")})
    real_parse = __import__("timeline.entries", fromlist=["parse_entry"]).parse_entry

    def exploding_parse(source, titles):
        if source.fields.get("title") == "Boom":
            raise RuntimeError("unexpected")
        return real_parse(source, titles)

    monkeypatch.setattr("timeline.checks.parse_entry", exploding_parse)
    with pytest.raises(BuildFailed) as failure:
        build_site(site_config(content, tmp_path / "site"))
    [error] = failure.value.errors
    assert (error.path.name, error.line) == ("b.md", 1)
    assert "RuntimeError: unexpected" in error.message


def test_entry_links_resolve_to_pages_and_may_not_point_at_unpublished_drafts(tmp_path):
    content = write_files(tmp_path / "content", {
        "a.md": entry_text(title="Alpha", body="Alpha links [[b]] and [[c|a draft]]."),
        "b.md": entry_text(title="Beta"),
        "c.md": entry_text(title="Gamma", draft="true"),
    })  # fmt: skip
    with pytest.raises(BuildFailed) as failure:
        build_site(site_config(content, tmp_path / "site"))
    [error] = failure.value.errors
    assert (error.path.name, error.line, error.message) == (
        "a.md",
        8,
        "links to [[c]], a draft that is not published; publish it or remove the link",
    )
    build_site(site_config(content, tmp_path / "site", include_drafts=True))
    assert '<a href="../b/" rel="noopener noreferrer">Beta</a>' in html(tmp_path / "site", "entries/a/index.html")
    assert broken_links(tmp_path / "site") == []


def test_the_order_files_are_discovered_in_changes_nothing(tmp_path, monkeypatch):
    from timeline import content as content_module

    build_site(site_config(FIXTURES / "edge" / "content", tmp_path / "sorted"))
    discover = content_module.discover_files
    for seed in range(3):

        def shuffled(folder, seed=seed):
            paths, problems = discover(folder)
            __import__("random").Random(seed).shuffle(paths)
            return paths, problems

        monkeypatch.setattr("timeline.pipeline.discover_files", shuffled)
        build_site(site_config(FIXTURES / "edge" / "content", tmp_path / f"shuffled-{seed}"))
        assert tree_snapshot(tmp_path / f"shuffled-{seed}") == tree_snapshot(tmp_path / "sorted")
