"""The map geography: Crimea and the occupied territories are Ukraine, every partner has a shape, pages stay small."""

from __future__ import annotations

import json
import math
import re
from functools import cache

import pytest
import yaml

from tests.conftest import ROOT
from timeline.geography import (
    DATA_FILE,
    VIEWS,
    Projection,
    ProjectionKind,
    map_view,
    path_rings,
    provenance,
    ring_contains,
)
from timeline.geography.convert import cut_antimeridian, dissolve, encode_path, read_topology, simplify
from timeline.partners import resolve_partner

GEOGRAPHY = ROOT / "timeline" / "geography"

# Crimea (Simferopol, Sevastopol, Kerch) and the other occupied territories: Ukraine's recognised borders.
IN_UKRAINE = {
    "Simferopol": (34.10, 44.95),
    "Sevastopol": (33.52, 44.62),
    "Kerch": (36.47, 45.36),
    "Donetsk": (37.80, 48.00),
    "Luhansk": (39.31, 48.57),
    "Mariupol": (37.55, 47.10),
    "Melitopol": (35.37, 46.85),
    "Kyiv": (30.52, 50.45),
}
IN_RUSSIA = {"Belgorod": (36.59, 50.60), "Rostov-on-Don": (39.72, 47.23)}


def owners(view_name: str, lon: float, lat: float) -> list[str]:
    view = map_view(view_name)
    return [code for code in view.shapes if view.contains(code, lon, lat)]


@pytest.mark.parametrize("view_name", VIEWS)
@pytest.mark.parametrize(("place", "lon", "lat"), [(name, *where) for name, where in IN_UKRAINE.items()])
def test_place_is_drawn_in_ukraine_alone(view_name, place, lon, lat):
    assert owners(view_name, lon, lat) == ["UA"], f"{place} in the {view_name} view"


@pytest.mark.parametrize("view_name", VIEWS)
@pytest.mark.parametrize(("place", "lon", "lat"), [(name, *where) for name, where in IN_RUSSIA.items()])
def test_place_is_drawn_in_russia_alone(view_name, place, lon, lat):
    assert owners(view_name, lon, lat) == ["RU"], f"{place} in the {view_name} view"


@pytest.mark.parametrize("view_name", VIEWS)
def test_crimea_and_the_mainland_are_one_ring(view_name):
    """No line across the Perekop isthmus: the ring that holds Simferopol also holds Kyiv."""
    view = map_view(view_name)
    simferopol, kyiv = view.project(*IN_UKRAINE["Simferopol"]), view.project(*IN_UKRAINE["Kyiv"])
    rings = [ring for ring in path_rings(view.shapes["UA"]) if ring_contains((ring,), simferopol)]
    assert len(rings) == 1
    assert ring_contains((rings[0],), kyiv)


@cache
def partner_countries() -> frozenset[str]:
    """The ISO codes of every country that an entry under content/ names; organisations are not drawn."""
    codes = set()
    for path in (ROOT / "content").rglob("*.md"):
        front = re.match(r"---\n(.*?)\n---", path.read_text(encoding="utf-8"), re.DOTALL)
        for value in (yaml.safe_load(front.group(1)) if front else {}).get("countries") or ():
            partner = resolve_partner(str(value))
            if not partner.is_organisation:
                codes.add(partner.code)
    return frozenset(codes)


def test_the_site_has_partner_countries_to_check():
    assert {"IT", "GB", "US", "JP", "AU", "NZ", "LU"} <= partner_countries()


@pytest.mark.parametrize("code", sorted(partner_countries()))
def test_every_partner_country_has_a_shape_in_the_world_view(code):
    assert code in map_view("world").shapes


@pytest.mark.parametrize("code", sorted(partner_countries()))
def test_every_partner_country_has_a_place_on_the_locator(code):
    assert code in map_view("locator").label_points


def svg_bytes(view_name: str) -> int:
    return sum(len(f'<path d="{path}"/>'.encode()) for path in map_view(view_name).shapes.values())


def test_the_partners_maps_stay_small():
    """Europe and the world together, inlined on the partners page."""
    assert svg_bytes("europe") + svg_bytes("world") <= 62_000


def test_the_locator_stays_small():
    """Inlined on every partner's page."""
    assert svg_bytes("locator") <= 25_000


def test_coordinates_are_rounded():
    for view_name in VIEWS:
        numbers = re.findall(r"\d*\.\d+", "".join(map_view(view_name).shapes.values()))
        two_decimals = [number for number in numbers if len(number.split(".")[1]) > 1]
        assert all(len(number.split(".")[1]) <= 2 for number in numbers)
        assert len(two_decimals) < 0.01 * len(numbers)  # only near the checked places (see convert.py)


@pytest.mark.parametrize(
    ("view_name", "code", "lon", "lat"),
    [
        ("europe", "FR", 2.35, 48.86),  # Paris
        ("europe", "DE", 13.40, 52.52),  # Berlin
        ("europe", "PL", 21.01, 52.23),  # Warsaw
        ("europe", "TR", 32.85, 39.93),  # Ankara
        ("europe", "ES", -3.70, 40.42),  # Madrid
        ("europe", "RU", 37.62, 55.75),  # Moscow
        ("europe", "BY", 27.56, 53.90),  # Minsk
        ("world", "US", -98.0, 39.0),
        ("world", "CA", -75.70, 45.42),  # Ottawa
        ("world", "JP", 139.69, 35.68),  # Tokyo
        ("world", "KR", 127.0, 37.0),
        ("world", "AU", 149.13, -35.28),  # Canberra
        ("world", "NZ", 176.0, -38.7),
        ("world", "RU", 170.0, 66.0),  # Chukotka, by the antimeridian
        ("world", "RU", -175.0, 66.5),  # and across it
        ("world", "LS", 28.3, -29.6),  # a hole in South Africa
        ("world", "ZA", 25.0, -30.0),
        ("locator", "US", -98.0, 39.0),
        ("locator", "AU", 134.0, -25.0),
        ("locator", "IT", 12.5, 42.5),
    ],
)
def test_places_fall_in_their_countries(view_name, code, lon, lat):
    assert owners(view_name, lon, lat) == [code]


@pytest.mark.parametrize(
    ("view_name", "lon", "lat"),
    [("europe", 34.0, 43.3), ("europe", 3.0, 56.0), ("world", -40.0, 40.0), ("world", 90.0, -20.0)],
)
def test_the_sea_is_no_country(view_name, lon, lat):
    assert owners(view_name, lon, lat) == []


@pytest.mark.parametrize("view_name", VIEWS)
def test_label_points_lie_inside_their_shapes_and_the_view(view_name):
    view = map_view(view_name)
    for code, (x, y) in view.label_points.items():
        assert 0 <= x <= view.width and 0 <= y <= view.height, code
        if code in view.shapes:
            assert ring_contains(path_rings(view.shapes[code]), (x, y)), code


def signed_area(ring):
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


@pytest.mark.parametrize("view_name", VIEWS)
def test_holes_turn_the_other_way_so_any_fill_rule_works(view_name):
    for code, path in map_view(view_name).shapes.items():
        rings = path_rings(path)
        for ring in rings:
            depth = 0
            for other in rings:
                corners = set(other)
                point = next((point for point in ring if point not in corners), None)
                depth += other is not ring and point is not None and ring_contains((other,), point)
            assert (signed_area(ring) > 0) == (depth % 2 == 0), code


@pytest.mark.parametrize("view_name", VIEWS)
def test_shapes_stay_near_the_view(view_name):
    view = map_view(view_name)
    points = [point for path in view.shapes.values() for ring in path_rings(path) for point in ring]
    assert all(-2.01 <= x <= view.width + 2.01 and -2.01 <= y <= view.height + 2.01 for x, y in points)


def test_the_views_show_what_they_are_for():
    europe, world = map_view("europe"), map_view("world")
    for lon, lat in ((-22.0, 64.1), (-9.1, 38.7), (60.0, 56.8), (44.8, 41.7), (25.8, 71.1), (10.2, 36.8)):
        x, y = europe.project(lon, lat)  # Reykjavik, Lisbon, the Urals, Tbilisi, North Cape, Tunis
        assert 0 < x < europe.width and 0 < y < europe.height
    assert "AQ" not in world.shapes
    assert world.project(-180, 0)[0] == pytest.approx(0, abs=0.01)
    assert world.project(180, 0)[0] == pytest.approx(world.width, abs=0.01)
    assert world.project(0, 0) == pytest.approx((world.width / 2, world.height * 0.55), abs=world.height * 0.05)


def test_equal_earth_matches_its_published_extent():
    unit = Projection(ProjectionKind.EQUAL_EARTH, 0.0, 0.0, 1.0, 0.0, 0.0)
    assert unit.project(180, 0) == pytest.approx((2.7066297, 0.0), abs=1e-6)
    assert unit.project(0, 90) == pytest.approx((0.0, -1.3173627), abs=1e-6)
    assert unit.project(-180, 0)[0] == pytest.approx(-2.7066297, abs=1e-6)


def test_lambert_azimuthal_keeps_distances_from_the_centre():
    unit = Projection(ProjectionKind.LAMBERT_AZIMUTHAL, 10.0, 52.0, 1.0, 0.0, 0.0)
    assert unit.project(10, 52) == pytest.approx((0.0, 0.0))
    assert unit.project(10, 82) == pytest.approx((0.0, -2 * math.sin(math.radians(15))))  # 30 degrees north
    assert math.dist((0, 0), unit.project(100, 0)) == pytest.approx(math.sqrt(2))  # 90 degrees away


def test_the_data_file_names_its_source_and_changes():
    data = json.loads((GEOGRAPHY / DATA_FILE).read_text(encoding="utf-8"))
    assert data["provenance"] == dict(provenance())
    assert (provenance()["package"], provenance()["version"]) == ("world-atlas", "2.0.2")
    assert "4.1.0" in provenance()["natural_earth"]
    assert "public domain" in provenance()["licence"]
    assert any("Crimea" in change and "Ukraine" in change for change in provenance()["changes"])
    assert list(data["views"]) == list(VIEWS)
    assert "public domain" in (GEOGRAPHY / "README.md").read_text(encoding="utf-8")


def test_an_unknown_view_is_named_in_the_error():
    with pytest.raises(KeyError, match="the views are europe, world, locator"):
        map_view("moon")


def test_path_data_reads_back_as_written():
    cells = [[(1000, 2000), (1150, 2000), (1150, 1995)], [(3000, 3000), (3010, 3100), (2990, 3100)]]
    path = encode_path(cells)
    assert path == "m10 20 1.5 0 0-.05zm20 10 .1 1-.2 0z"
    assert path_rings(path) == (((10, 20), (11.5, 20), (11.5, 19.95)), ((30, 30), (30.1, 31), (29.9, 31)))
    assert path_rings("M0 0L4 0 4 4Z M1 1 l2 0 0 2z") == (((0, 0), (4, 0), (4, 4)), ((1, 1), (3, 1), (3, 3)))


def test_neighbours_merge_along_the_border_they_share(tmp_path):
    """Two squares side by side, as TopoJSON stores them: delta-encoded arcs, the middle one shared."""
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1], [1, 0]], [[1, 0], [1, 0], [0, 1], [-1, 0]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "380", "properties": {"name": "Italy"}},
                    {"type": "Polygon", "arcs": [[-1, 2]], "properties": {"name": "Kosovo"}},
                ],
            }
        },
    }
    source = tmp_path / "countries.json"
    source.write_text(json.dumps(topology), encoding="utf-8")
    decoded = read_topology(source)
    assert [feature.key for feature in decoded.features] == ["IT", "kosovo"]
    assert decoded.arc_degrees(0) == [(1, 0), (1, 1)]
    assert decoded.arc_degrees(~0) == [(1, 1), (1, 0)]
    assert decoded.arc_degrees(2) == [(1, 0), (2, 0), (2, 1), (1, 1)]
    merged = dissolve(decoded, [feature.polygons[0] for feature in decoded.features])
    assert merged == (((1, 2),),)


def test_simplify_keeps_corners_and_islands():
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (2.0, 2.0)]
    assert simplify(line, 0.1) == [0, 2, 3]
    island = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    assert len(simplify(island, 0.1)) == 5


def test_a_ring_across_the_antimeridian_is_cut_in_two():
    pieces = cut_antimeridian([(170.0, 10.0), (-170.0, 10.0), (-170.0, 20.0), (170.0, 20.0)])
    assert sorted((min(x for x, _ in piece), max(x for x, _ in piece)) for piece in pieces) == [
        (-180.0, -170.0),
        (170.0, 180.0),
    ]
