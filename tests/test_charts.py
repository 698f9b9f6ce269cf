"""Build-time charts: counts, geometry, the table alternative and the SVG the macros print."""

import itertools
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import ROOT, make_entry
from timeline.charts import (
    FONT,
    WIDTH,
    BarChart,
    MatrixChart,
    activity_strip,
    partner_year_matrix,
    year_range,
    year_type_chart,
)
from timeline.model import Entry, Timeline
from timeline.render import load_templates, read_templates

TEMPLATES = ROOT / "templates"
VNU = ROOT / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TOOLTIP = re.compile(r"(\d{4}): (\d+) (article|articles|analyst note|analyst notes|entry|entries)")


def entries_from(counts: dict[tuple[int, str], int], partners: tuple[str, ...] = ("IT",)) -> list[Entry]:
    """`count` entries of each (year, kind), spread over the year."""
    return [
        make_entry(f"{kind}-{year}-{index}", f"{year}-{1 + index % 12:02d}-01", kind=kind, partners=partners)
        for (year, kind), count in counts.items()
        for index in range(count)
    ]


def by_year(chart: BarChart) -> dict[str, list]:
    """The bars of each year, bottom up."""
    bars: dict[str, list] = {}
    for bar in sorted(chart.bars, key=lambda bar: -bar.y):
        bars.setdefault(bar.tooltip[:4], []).append(bar)
    return bars


def numbers(chart: BarChart | MatrixChart) -> list[float]:
    found = [chart.width, chart.height]
    for shape in getattr(chart, "bars", ()) + getattr(chart, "cells", ()):
        found += [shape.x, shape.y, shape.width, shape.height]
    for line in getattr(chart, "gridlines", ()):
        found += [line.x1, line.y1, line.x2, line.y2]
    return found + [coordinate for label in chart.labels for coordinate in (label.x, label.y)]


# --- entries per year and type ---


def test_counts_per_year_and_type_with_empty_years_in_between():
    chart = year_type_chart(entries_from({(2021, "article"): 2, (2021, "note"): 1, (2023, "note"): 1}))
    assert chart.table.columns == ("Year", "Articles", "Analyst notes", "Total")
    assert [(row.header, row.cells) for row in chart.table.rows] == [
        ("2021", ("2", "1", "3")),
        ("2022", ("0", "0", "0")),
        ("2023", ("0", "1", "1")),
    ]
    assert sorted(bar.tooltip for bar in chart.bars) == [
        "2021: 1 analyst note",
        "2021: 2 articles",
        "2023: 1 analyst note",
    ]
    assert {bar.css_class for bar in chart.bars} == {"bar bar-article", "bar bar-note"}


def test_one_slot_per_year_so_an_empty_year_leaves_a_gap():
    chart = year_type_chart(entries_from({(2020, "article"): 1, (2021, "article"): 1, (2023, "article"): 1}))
    x = {bar.tooltip[:4]: bar.x for bar in chart.bars}
    slot = x["2021"] - x["2020"]
    assert x["2023"] - x["2021"] == pytest.approx(2 * slot, abs=0.2)
    assert [label.text for label in chart.labels if label.anchor == "middle"] == ["2020", "2021", "2022", "2023"]


def test_bars_scale_to_the_busiest_year_and_stack_notes_on_articles():
    chart = year_type_chart(entries_from({(2022, "article"): 4, (2022, "note"): 2, (2023, "article"): 3}))
    bars = by_year(chart)
    axis = next(line for line in chart.gridlines if line.css_class == "axis")
    article, note = bars["2022"]
    assert article.y + article.height == pytest.approx(axis.y1) == bars["2023"][0].y + bars["2023"][0].height
    assert note.y + note.height == pytest.approx(article.y)  # stacked without a gap or an overlap
    tallest = axis.y1 - note.y
    top_gridline = min(line.y1 for line in chart.gridlines)
    assert note.y <= top_gridline and note.y == pytest.approx(FONT / 2 + 2)  # the busiest year fills the plot
    assert bars["2023"][0].height == pytest.approx(tallest * 3 / 6, abs=0.1)
    assert article.height == pytest.approx(2 * note.height, abs=0.2)  # both rounded


@pytest.mark.parametrize(
    ("maximum", "gridlines"),
    [(1, ["0", "1"]), (3, ["0", "1", "2", "3"]), (9, ["0", "2", "4", "6", "8"]), (35, ["0", "10", "20", "30"])],
)
def test_a_few_gridlines_at_round_values_labelled_on_the_left(maximum, gridlines):
    chart = year_type_chart(entries_from({(2024, "article"): maximum}))
    assert [label.text for label in chart.labels if label.anchor == "end"] == gridlines
    assert len(chart.gridlines) == len(gridlines)
    assert [line.css_class for line in chart.gridlines] == ["axis"] + ["grid"] * (len(gridlines) - 1)


@pytest.mark.parametrize(("first", "last", "step"), [(2014, 2026, 2), (2000, 2025, 3), (1990, 2025, 4)])
def test_a_long_range_labels_every_nth_year_so_labels_do_not_touch(first, last, step):
    chart = year_type_chart(entries_from({(first, "article"): 1, (last, "note"): 1}))
    years = [label for label in chart.labels if label.anchor == "middle"]
    assert len(chart.table.rows) == last - first + 1
    assert [int(label.text) for label in years] == [year for year in range(first, last + 1) if year % step == 0]
    gaps = [right.x - left.x for left, right in itertools.pairwise(years)]
    assert min(gaps) > 4 * 0.62 * FONT  # wider than a year label


def test_the_table_is_the_text_alternative_of_the_bars():
    chart = year_type_chart(
        entries_from({(2019, "article"): 3, (2020, "note"): 2, (2021, "article"): 1, (2021, "note"): 5})
    )
    from_bars = {
        (year, kind): int(count) for year, count, kind in (TOOLTIP.fullmatch(b.tooltip).groups() for b in chart.bars)
    }
    for row in chart.table.rows:
        articles, notes, total = map(int, row.cells)
        assert from_bars.get((row.header, "articles" if articles != 1 else "article"), 0) == articles
        assert from_bars.get((row.header, "analyst notes" if notes != 1 else "analyst note"), 0) == notes
        assert articles + notes == total


def test_geometry_is_rounded_and_inside_the_view_box():
    chart = year_type_chart(entries_from({(2014, "article"): 7, (2019, "note"): 3, (2026, "article"): 35}))
    assert all(round(value, 1) == value for value in numbers(chart))
    for bar in chart.bars:
        assert bar.x >= 0 and bar.y >= 0
        assert bar.x + bar.width <= chart.width and bar.y + bar.height <= chart.height
    for label in chart.labels:
        assert 0 < label.x < chart.width and 0 < label.y <= chart.height
    assert chart.width == WIDTH


def test_the_description_is_one_sentence_naming_the_range_and_the_busiest_year():
    chart = year_type_chart(entries_from({(2022, "article"): 1, (2024, "article"): 3}))
    assert chart.description == (
        "Timeline entries per year from 2022 to 2024, articles and analyst notes stacked; most in 2024 (3 entries)."
    )


def test_no_entries_make_an_empty_chart_not_an_error():
    chart = year_type_chart([])
    assert chart.bars == () and chart.table.rows == ()
    assert chart.description == "Timeline entries per year: there are no entries yet."


# --- the partner × year matrix ---


def sample_timeline() -> Timeline:
    return Timeline.from_entries(
        entries_from({(2020, "article"): 3}, ("PL",))
        + entries_from({(2022, "article"): 1, (2022, "note"): 1}, ("FR", "DE"))
        + entries_from({(2022, "article"): 2}, ("EE",))
        + entries_from({(2021, "note"): 1}, ("US",))
    )


def test_matrix_rows_by_entry_count_then_name_and_columns_every_year():
    chart = partner_year_matrix(sample_timeline())
    assert [row.header for row in chart.table.rows] == ["Poland", "Estonia", "France", "Germany", "United States"]
    assert chart.table.columns == ("Partner", "2020", "2021", "2022", "Total")
    assert [row.cells for row in chart.table.rows[:3]] == [
        ("3", "0", "0", "3"),
        ("0", "0", "2", "2"),
        ("0", "0", "2", "2"),
    ]
    assert len(chart.cells) == 5 * 3
    assert chart.left_out == 0
    assert "each of the 5 partners" in chart.description


def test_matrix_keeps_the_first_rows_and_says_how_many_were_left_out():
    chart = partner_year_matrix(sample_timeline(), limit=2)
    assert [row.header for row in chart.table.rows] == ["Poland", "Estonia"]
    assert chart.left_out == 3
    assert len(chart.cells) == 2 * 3
    assert chart.description.endswith("3 more partners left out.")
    assert [label.text for label in chart.labels if label.css_class == "label label-row"] == ["Poland", "Estonia"]


def test_row_headers_link_to_the_partner_pages():
    timeline = sample_timeline()
    chart = partner_year_matrix(timeline)
    urls = {partner.name: partner.url for partner in timeline.by_partner}
    assert all(row.url == urls[row.header] for row in chart.table.rows)
    assert chart.table.rows[0].url == "partners/pl/"


def test_cells_are_shaded_in_steps_with_the_busiest_darkest():
    chart = partner_year_matrix(sample_timeline())
    level = {cell.tooltip: cell.css_class for cell in chart.cells}
    assert level["Poland, 2020: 3 entries"] == "cell level-4"
    assert level["Estonia, 2022: 2 entries"] == "cell level-3"
    assert level["United States, 2021: 1 entry"] == "cell level-2"
    assert level["Poland, 2021: 0 entries"] == "cell level-0"
    assert [key.label for key in chart.legend] == ["No entries", "1 entry", "2 entries", "3 entries"]
    assert [key.css_class for key in chart.legend] == ["level-0", "level-2", "level-3", "level-4"]


def test_the_matrix_table_matches_its_cells():
    chart = partner_year_matrix(sample_timeline())
    cells = iter(chart.cells)
    for row in chart.table.rows:
        for year, count in zip(chart.table.columns[1:-1], row.cells[:-1], strict=True):
            cell = next(cells)
            assert cell.tooltip == f"{row.header}, {year}: {count} {'entry' if count == '1' else 'entries'}"
        assert sum(map(int, row.cells[:-1])) == int(row.cells[-1])
    assert all(round(value, 1) == value for value in numbers(chart))


def test_long_names_are_shortened_in_the_chart_but_whole_in_the_table():
    chart = partner_year_matrix(Timeline.from_entries(entries_from({(2024, "article"): 1}, ("BA",))))
    assert chart.table.rows[0].header == "Bosnia and Herzegovina"
    assert next(label.text for label in chart.labels if "row" in label.css_class) == "Bosnia and Herzegov…"


# --- the activity strip ---


def test_the_strip_counts_entries_per_year_over_the_given_years():
    entries = entries_from({(2022, "article"): 2, (2022, "note"): 1, (2024, "article"): 1})
    chart = activity_strip(entries, range(2020, 2026), subject="Italy")
    assert [(row.header, row.cells) for row in chart.table.rows] == [
        ("2020", ("0",)), ("2021", ("0",)), ("2022", ("3",)), ("2023", ("0",)), ("2024", ("1",)), ("2025", ("0",)),
    ]  # fmt: skip
    assert sorted(bar.tooltip for bar in chart.bars) == ["2022: 3 entries", "2024: 1 entry"]
    assert chart.title == "Entries about Italy per year"
    assert chart.description.endswith("4 entries in all; most in 2022 (3 entries).")


def test_strips_over_the_same_years_line_up_and_can_share_a_scale():
    years = year_range(entries_from({(2018, "article"): 1, (2025, "article"): 1}))
    one = activity_strip(entries_from({(2020, "article"): 2}), years)
    other = activity_strip(entries_from({(2020, "article"): 1}), years, scale_max=2)
    assert (one.width, one.height) == (other.width, other.height)
    assert one.bars[0].x == other.bars[0].x
    assert other.bars[0].height == pytest.approx(one.bars[0].height / 2, abs=0.1)


# --- rendering through the macros ---


def render(macro: str, chart: BarChart | MatrixChart, root: str = "../../") -> str:
    environment = load_templates(TEMPLATES, read_templates(TEMPLATES)).environment
    template = environment.from_string(
        '{% import "_charts.html" as charts with context %}{{ charts.' + macro + "(chart) }}"
    )
    return template.render(chart=chart, root=root)


def parse_svg(html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg\b.*?</svg>", html, re.DOTALL).group(0))


CHARTS = {
    "bars": lambda: ("bar_chart", year_type_chart(entries_from({(2021, "article"): 2, (2023, "note"): 1}))),
    "strip": lambda: ("bar_chart", activity_strip(entries_from({(2022, "note"): 1}), range(2019, 2024))),
    "matrix": lambda: ("matrix_chart", partner_year_matrix(sample_timeline())),
}


@pytest.mark.parametrize("kind", CHARTS)
def test_each_macro_prints_an_svg_image_named_by_its_title_and_description(kind):
    macro, chart = CHARTS[kind]()
    html = render(macro, chart)
    svg = parse_svg(html)
    assert svg.get("role") == "img" and svg.get("viewBox") == f"0 0 {chart.width} {chart.height}"
    title, desc = svg.find("title"), svg.find("desc")
    assert (title.text, desc.text) == (chart.title, chart.description)
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.get("id").startswith(chart.id_prefix)
    shapes = getattr(chart, "bars", None) or chart.cells
    assert [rect.find("title").text for rect in svg.iter("rect")] == [shape.tooltip for shape in shapes]
    assert [text.text for text in svg.iter("text")] == [label.text for label in chart.labels]
    assert "style=" not in html and "<script" not in html


@pytest.mark.parametrize("kind", CHARTS)
def test_each_macro_prints_a_caption_and_the_numbers_as_a_table(kind):
    macro, chart = CHARTS[kind]()
    html = render(macro, chart)
    figure = ET.fromstring(html)  # the whole figure is well-formed too
    assert figure.tag == "figure" and "chart" in figure.get("class").split()
    assert chart.description in "".join(figure.find("figcaption").itertext())
    table = figure.find("details/div/table")
    assert figure.find("details/summary").text == "Show the numbers"
    assert table.find("caption").text == chart.table.caption
    assert [th.text for th in table.findall("thead/tr/th")] == list(chart.table.columns)
    assert {th.get("scope") for th in table.iter("th")} == {"col", "row"}
    assert len(table.findall("tbody/tr")) == len(chart.table.rows)


def test_matrix_row_headers_link_from_the_page_to_the_partner():
    html = render("matrix_chart", partner_year_matrix(sample_timeline()), root="../")
    links = ET.fromstring(html).findall(".//tbody/tr/th/a")
    assert [(link.get("href"), link.text) for link in links][:2] == [
        ("../partners/pl/", "Poland"),
        ("../partners/ee/", "Estonia"),
    ]


def test_two_charts_on_one_page_have_distinct_ids():
    first = render("bar_chart", year_type_chart(entries_from({(2024, "article"): 1})))
    second = render("bar_chart", activity_strip(entries_from({(2024, "article"): 1}), [2024], id_prefix="strip-it"))
    ids = re.findall(r'\bid="([^"]+)"', first + second)
    assert len(ids) == len(set(ids)) == 6


def test_every_colour_class_the_charts_use_is_styled_for_light_and_dark():
    css = (TEMPLATES / "static" / "charts.css").read_text(encoding="utf-8")
    charts = [year_type_chart(entries_from({(2024, "article"): 1, (2024, "note"): 1})), activity_strip([], [2024])]
    classes = {word for chart in charts for bar in chart.bars for word in bar.css_class.split()}
    classes |= {f"level-{level}" for level in range(5)}
    assert all(f".{name}" in css for name in classes)
    light, dark = css.split("@media (prefers-color-scheme: dark)")[:2]
    assert all(f"--chart-level-{level}:" in light and f"--chart-level-{level}:" in dark for level in range(1, 5))


@pytest.mark.skipif(not VNU.is_file(), reason="the HTML validator is not installed (npm ci in tests/tools)")
def test_a_page_with_every_chart_is_valid_html(tmp_path):
    body = "".join(render(*CHARTS[kind]()) for kind in CHARTS)
    page = tmp_path / "charts.html"
    page.write_text(f'<!DOCTYPE html><html lang="en"><head><title>Charts</title></head><body>{body}</body></html>')
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", str(page)],
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
