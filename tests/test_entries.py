import random
from datetime import date

from tests.conftest import entry_text, write_files
from timeline.checks import check_files
from timeline.content import read_file, read_source
from timeline.entries import SiteContext, parse_entry, slugify
from timeline.model import EntryKind, SourceLink


def parse(tmp_path, text: str, name: str = "entry.md", titles: dict[str, str] | None = None, vocabulary=None):
    write_files(tmp_path, {name: text})
    source, problems = read_source(tmp_path / name, tmp_path)
    assert problems == []
    return parse_entry(source, SiteContext(titles or {}, vocabulary))


def test_a_complete_entry_becomes_a_model_with_normalised_values(tmp_path):
    text = entry_text(
        body="The *first* paragraph &amp; more.\n\nSecond.",
        title="  An   agreement ",
        date='"February 2024"',
        countries="[italy, FRA, IT]",
        type="Note",
        tags="[UAV, air defense, uav]",
        sources="[https://www.example.org/a, {title: Ministry, url: 'https://gov.example/b'}]",
        author="A. Analyst",
        updated="2024-03-01",
    )
    entry, problems = parse(tmp_path, text, "2024/my-entry.md")
    assert problems == []
    assert entry.slug == "my-entry"
    assert entry.title == "An agreement"
    assert (entry.date.iso, entry.updated.iso) == ("2024-02", "2024-03-01")
    assert [partner.code for partner in entry.partners] == ["IT", "FR"]
    assert entry.kind is EntryKind.NOTE
    assert entry.tags == ("uav", "air-defense")
    assert entry.sources == (
        SourceLink("example.org", "https://www.example.org/a"),
        SourceLink("Ministry", "https://gov.example/b"),
    )
    assert entry.author == "A. Analyst"
    assert entry.summary == "The first paragraph & more."
    assert "<em>first</em>" in entry.body_html
    assert entry.draft is False


def test_a_single_string_of_countries_or_tags_is_split_on_commas(tmp_path):
    entry, _ = parse(tmp_path, entry_text(countries="UK, USA; EU", tags="uav"))
    assert [partner.code for partner in entry.partners] == ["GB", "US", "EU"]
    assert entry.tags == ("uav",)


def test_a_given_summary_wins_over_the_first_paragraph(tmp_path):
    entry, _ = parse(tmp_path, entry_text(body="Body paragraph.", summary="Given   summary."))
    assert entry.summary == "Given summary."


def test_drafts_and_explicit_slugs(tmp_path):
    entry, problems = parse(tmp_path, entry_text(draft="true", slug="chosen-slug"))
    assert problems == []
    assert (entry.draft, entry.slug, entry.url) == (True, "chosen-slug", "entries/chosen-slug/")


def test_unknown_fields_are_warnings_with_a_suggestion_and_stay_out_of_the_model(tmp_path):
    entry, problems = parse(tmp_path, entry_text(sumary="Typo"))
    assert entry is not None
    assert entry.summary == "Body text."
    assert [(problem.line, problem.warning) for problem in problems] == [(7, True)]
    assert "unknown field 'sumary' is ignored (did you mean 'summary'?)" in problems[0].message


def test_every_problem_in_a_file_is_reported_at_its_own_line(tmp_path):
    text = "---\ntitle: T\ndate: Mrach 2024\ncountries:\n  - IT\n  - Itlay\ntype: memo\nsources:\n  - ftp://x\n---\nBody.\n"
    entry, problems = parse(tmp_path, text)
    assert entry is None
    assert sorted((problem.line, problem.message.split(" ")[0]) for problem in problems) == [
        (3, "date"),
        (6, "unknown"),
        (7, "'type'"),
        (9, "source"),
    ]


def test_raw_html_in_the_body_is_sanitised(tmp_path):
    body = '<script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">link</a><img src=x onerror=alert(3)>'
    entry, _ = parse(tmp_path, entry_text(body=body))
    for unsafe in ("<script", "javascript:", "onclick", "onerror"):
        assert unsafe not in entry.body_html


def test_slugs_that_differ_only_in_case_collide_even_in_files_with_other_errors(tmp_path):
    write_files(tmp_path, {"Deal.md": entry_text(), "deal.md": entry_text(date="Mrach 2024"),
                           "other.md": entry_text(slug="deal")})  # fmt: skip
    files = [read_file(tmp_path / name, tmp_path)[0] for name in ("other.md", "deal.md", "Deal.md")]
    random.shuffle(files)
    problems = [
        problem for problem in check_files(files, None, date(2026, 1, 1)).problems if "slug '" in problem.message
    ]
    assert [(problem.path.name, problem.line) for problem in problems] == [("deal.md", 1), ("other.md", 7)]
    assert all(
        "slug 'deal' is also used by" in problem.message and "Deal.md" in problem.message for problem in problems
    )


def test_slugify_romanises_accented_latin_and_ukrainian_and_drops_the_rest():
    assert slugify("Türkiye drones 2024") == "turkiye-drones-2024"
    assert slugify("Дрони для ЗСУ") == "drony-dlia-zsu"
    assert slugify("Щедрість і ґанок") == "shchedrist-i-ganok"
    assert slugify("日本") == ""


def test_cyrillic_and_accented_file_names_get_romanised_slugs(tmp_path):
    entry, problems = parse(tmp_path, entry_text(), "Дрони Türkiye.md")
    assert problems == []
    assert entry.slug == "drony-turkiye"


def test_a_countries_string_whose_comma_belongs_to_the_name_is_one_partner(tmp_path):
    entry, problems = parse(tmp_path, entry_text(countries='"Korea, Republic of"'))
    assert problems == []
    assert [partner.code for partner in entry.partners] == ["KR"]


def test_countries_that_come_to_nothing_are_an_error(tmp_path):
    for value in ('","', '" ; "', "[]"):
        entry, problems = parse(tmp_path, entry_text(countries=value))
        assert entry is None
        assert [problem.message for problem in problems] == ["'countries' needs at least one partner"], value
    entry, problems = parse(tmp_path, entry_text(countries='""'))
    assert [problem.message for problem in problems] == ["required field 'countries' is empty"]


def test_the_default_summary_skips_lead_images_and_footnote_markers(tmp_path):
    body = "![A photo](../../static/p.jpg)\n\nUkraine signed the agreement[^1] in Kyiv.\n\n[^1]: A note."
    entry, problems = parse(tmp_path, entry_text(body=body))
    assert problems == []
    assert entry.summary == "Ukraine signed the agreement in Kyiv."


def test_control_characters_from_yaml_escapes_never_reach_the_model(tmp_path):
    entry, _ = parse(tmp_path, entry_text(title='"Word\\u0001 paste"', author='"A\\u000bB"'))
    assert (entry.title, entry.author) == ("Word paste", "A B")


def test_any_tag_with_latin_letters_or_digits_is_accepted_in_its_url_form(tmp_path):
    entry, problems = parse(tmp_path, entry_text(tags="[Patriot (PAC-3), air_defense, F-16, f-16]"))
    assert problems == []
    assert entry.tags == ("patriot-pac-3", "air_defense", "f-16")


def test_file_names_with_underscores_keep_them_in_the_slug(tmp_path):
    entry, problems = parse(tmp_path, entry_text(), "UK_Deal 2024.md")
    assert problems == []
    assert entry.slug == "uk_deal-2024"


def test_entry_links_show_the_target_title_or_the_given_text(tmp_path):
    body = "See [[uk-deal]] and\n[[italy-deal|the Italian one]]."
    titles = {"uk-deal": "UK *signs* deal", "italy-deal": "Italy deal"}
    entry, problems = parse(tmp_path, entry_text(body=body), titles=titles)
    assert problems == []
    assert '<a href="../uk-deal/" rel="noopener noreferrer">UK *signs* deal</a>' in entry.body_html
    assert '<a href="../italy-deal/" rel="noopener noreferrer">the Italian one</a>' in entry.body_html
    assert [(link.slug, link.line) for link in entry.links] == [("uk-deal", 8), ("italy-deal", 9)]


def test_a_link_to_a_missing_slug_is_an_error_on_its_line_with_a_suggestion(tmp_path):
    entry, problems = parse(tmp_path, entry_text(body="Intro.\n\nSee [[uk-dael]]."), titles={"uk-deal": "UK deal"})
    assert entry is None
    assert [(problem.line, problem.message) for problem in problems] == [
        (10, "links to [[uk-dael]], but no entry has the slug 'uk-dael' (did you mean [[uk-deal]]?)")
    ]
