"""The maps as readers get them: every partner a named link on the partners page, Ukraine marked and whole
(Crimea included) in the page's own SVG, organisations listed beside the map, a locator on each partner page."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.conftest import entry_text, site_config, write_files
from timeline.geography import map_view, path_rings, ring_contains
from timeline.pipeline import build_site

SVG = ""  # inline SVG in HTML needs no namespace, so the parsed tags have none

ENTRIES = {
    "it-1.md": entry_text(title="Italy one", countries="[IT]"),
    "it-2.md": entry_text(title="Italy two", countries="[IT]", date="2024-03-01"),
    "it-3.md": entry_text(title="Italy three", countries="[IT, EU]", date="2024-04-01"),
    "mt.md": entry_text(title="Malta", countries="[MT]", date="2024-05-01"),
    "jp.md": entry_text(title="Japan", countries="[JP]", date="2024-06-01"),
    "nato.md": entry_text(title="NATO", countries="[NATO]", date="2024-07-01"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("maps")
    content = write_files(folder / "content", ENTRIES)
    build_site(site_config(content, folder / "site"))
    return folder / "site"


def figures(page: str) -> list[ElementTree.Element]:
    """Each map's <figure> parsed as XML (the maps are well-formed SVG inside HTML)."""
    found = re.findall(r'<figure class="map [^"]*">.*?</figure>', page, re.DOTALL)
    return [ElementTree.fromstring(figure) for figure in found]


def links(figure: ElementTree.Element) -> dict[str, str]:
    """Each link on a map: its accessible name and where it goes."""
    return {link.get("aria-label"): link.get("href") for link in figure.iter(f"{SVG}a")}


def test_the_partners_page_draws_europe_and_the_world_with_every_partner_country_a_named_link(site):
    page = (site / "partners" / "index.html").read_text(encoding="utf-8")
    europe, world = figures(page)
    assert "Partners in Europe" in "".join(europe.itertext())
    assert links(europe)["Italy: 3 entries"] == "../partners/it/"
    assert links(europe)["Malta: 1 entry"] == "../partners/mt/"  # too small to draw: a marker, still a link
    assert "Japan: 1 entry" not in links(europe)
    assert links(world)["Japan: 1 entry"] == "../partners/jp/"
    # Every link is a shape or a marker with the same name as a tooltip.
    for link in world.iter(f"{SVG}a"):
        shape = next(iter(link))
        assert shape.tag in (f"{SVG}path", f"{SVG}circle")
        assert shape.find(f"{SVG}title").text == link.get("aria-label")


def test_partners_are_shaded_by_their_number_of_entries_with_a_legend(site):
    page = (site / "partners" / "index.html").read_text(encoding="utf-8")
    europe = figures(page)[0]
    classes = {link.get("aria-label"): next(iter(link)).get("class") for link in europe.iter(f"{SVG}a")}
    assert classes["Italy: 3 entries"].endswith("level-4")  # the busiest partner is the darkest
    assert classes["Malta: 1 entry"].endswith("level-2")
    legend = re.search(r'<ul class="chart-legend map-legend">(.*?)</ul>', page, re.DOTALL).group(1)
    assert re.findall(r"</span>([^<]+)</li>", legend) == ["Ukraine", "No entries", "1 entry", "2 entries", "3 entries"]


def test_organisations_are_listed_beside_the_map_not_drawn(site):
    page = (site / "partners" / "index.html").read_text(encoding="utf-8")
    listed = re.search(r'<p class="map-organisations">(.*?)</p>', page, re.DOTALL).group(1)
    assert re.findall(r'href="([^"]+)"', listed) == ["../partners/eu/", "../partners/nato/"]
    for figure in figures(page):
        assert not any("EU" in name or "NATO" in name for name in links(figure))


def ukraine_rings(figure: ElementTree.Element) -> list:
    paths = [path for path in figure.iter(f"{SVG}path") if path.get("class") == "map-ukraine"]
    assert len(paths) == 1
    return path_rings(paths[0].get("d"))


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_page_draws_crimea_inside_ukraine(site, language):
    prefix = "" if language == "en" else "uk/"
    page = (site / prefix / "partners" / "index.html").read_text(encoding="utf-8")
    europe = figures(page)[0]
    view = map_view("europe")
    rings = ukraine_rings(europe)
    for lon, lat in ((34.10, 44.95), (33.52, 44.62), (36.47, 45.36), (37.80, 48.00)):  # Simferopol … Donetsk
        point = view.project(lon, lat)
        assert ring_contains(rings, point), (lon, lat)
    russia = next(path for path in europe.iter(f"{SVG}path") if path.get("d") == view.shapes["RU"])
    assert not ring_contains(path_rings(russia.get("d")), view.project(34.10, 44.95))


def test_the_ukrainian_page_names_the_links_in_ukrainian(site):
    page = (site / "uk" / "partners" / "index.html").read_text(encoding="utf-8")
    europe = figures(page)[0]
    assert links(europe)["Італія: 3 записи"] == "../partners/it/"
    assert "Партнери в Європі" in "".join(europe.itertext())


def test_a_partner_page_has_a_locator_map_with_that_partner_highlighted(site):
    page = (site / "partners" / "it" / "index.html").read_text(encoding="utf-8")
    (locator,) = figures(page)
    svg = locator.find(f"{SVG}svg")
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text == "Where Italy is"
    highlighted = [path.get("d") for path in svg.iter(f"{SVG}path") if path.get("class") == "map-highlight"]
    assert highlighted == [map_view("locator").shapes["IT"]]
    assert [path.get("class") for path in svg.iter(f"{SVG}path")].count("map-ukraine") == 1
    # An organisation is no country: its page has no locator.
    assert figures((site / "partners" / "nato" / "index.html").read_text(encoding="utf-8")) == []


def test_the_maps_add_less_than_100_kb_to_the_partners_page(site):
    page = (site / "partners" / "index.html").read_text(encoding="utf-8")
    maps = re.search(r'<section class="maps".*?</section>', page, re.DOTALL).group(0)
    assert len(maps.encode()) < 100_000
