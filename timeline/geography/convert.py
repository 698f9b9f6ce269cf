"""Turn Natural Earth's countries, as the world-atlas npm package ships them, into shapes.json.

Run it once, when the source data or a view changes; a build only reads shapes.json. From the project root:

    tmp="$(mktemp -d)" && (cd "$tmp" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz)
    .venv/bin/python -m timeline.geography.convert "$tmp/package/countries-50m.json"

Every view is made from the 1:50m file: the 1:110m one lacks small countries such as Malta and Singapore,
and draws the Crimean coast too coarsely for the checks below.

The steps: decode the TopoJSON (quantized, delta-encoded arcs that neighbours share); draw Crimea as part of
Ukraine and merge the other areas that lie within a recognised country's borders; then, for each view,
simplify each arc once in the view's projection (so two neighbours keep one common border), cut rings at
the antimeridian for the world maps, project, clip to the view, drop small islands, round to 0.1 of a unit
and write compact SVG paths. Each place in CHECKED_PLACES must end up inside its own country's shape and
no other. Where simplifying cut a coast too close to one, the lines near it are simplified again, more
finely, and rounded to 0.01; if that is not enough the script stops with an error.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pycountry

from timeline.geography import DATA_FILE, Point, Projection, ProjectionKind, path_rings, ring_contains

ArcRef = int  # an index into the arcs; ~i is arc i walked backwards, as in TopoJSON
Polygon = tuple[tuple[ArcRef, ...], ...]  # outer ring first, then holes
Cell = tuple[int, int]  # a position: quantized source units, or hundredths of a viewBox unit

SOURCE = {
    "package": "world-atlas",
    "version": "2.0.2",
    "file": "countries-50m.json",
    "sha256": "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394",
    "natural_earth": "Admin 0 - Countries, 1:50m, version 4.1.0",
    "url": "https://www.naturalearthdata.com/",
    "licence": "Natural Earth data is in the public domain; the world-atlas package is under the ISC licence",
}
# Natural Earth draws Crimea and Sevastopol inside Russia; Russia's polygons that lie in this box are theirs.
CRIMEA_BOX = (32.0, 44.0, 36.7, 46.5)  # west, south, east, north, degrees
SIMFEROPOL = (34.10, 44.95)
# Areas drawn apart from the country whose internationally recognised territory they are part of.
MERGED_INTO = {"N. Cyprus": "CY", "Somaliland": "SO"}
# Places that must fall inside the first country's shape and outside every other shape, in every view.
CHECKED_PLACES = {
    "UA": ((30.52, 50.45), (34.10, 44.95), (33.52, 44.62), (36.47, 45.36), (37.80, 48.00),
           (39.31, 48.57), (37.55, 47.10), (35.37, 46.85)),  # Kyiv, Crimea, Donbas, the south
    "RU": ((36.59, 50.60), (39.72, 47.23)),  # Belgorod, Rostov-on-Don
}  # fmt: skip
REFINE_RADIUS = 1.0  # degrees around a misplaced place: the lines there are drawn more finely
REFINE_STEPS = 6  # each halves the tolerance near the places still misplaced
MARGIN = 2.0  # viewBox units: shapes are clipped this far outside the view, so no cut edge shows


@dataclass(frozen=True, slots=True)
class Feature:
    """One country, or an area with no ISO code, as rings of shared arcs."""

    key: str  # ISO alpha-2, or a lower-case name for an area with no code ("kosovo")
    name: str  # Natural Earth's name, for messages
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True, slots=True)
class Topology:
    """The decoded source: arcs in quantized integer positions (exact, so shared ends match) and features."""

    arcs: tuple[tuple[Cell, ...], ...]
    scale: Point  # degrees per quantum, x and y
    translate: Point  # degrees at quantum 0
    features: tuple[Feature, ...]

    def arc_degrees(self, ref: ArcRef) -> list[Point]:
        """An arc as longitude and latitude, walked backwards for ~i."""
        arc = self.arcs[ref] if ref >= 0 else self.arcs[~ref][::-1]
        (sx, sy), (tx, ty) = self.scale, self.translate
        return [(x * sx + tx, y * sy + ty) for x, y in arc]


@dataclass(frozen=True, slots=True)
class ViewSpec:
    """How one view is made: its projection, what it must show, how coarse it may be."""

    name: str
    kind: ProjectionKind
    lon0: float
    lat0: float
    width: float
    height: float
    frame: tuple[Point, ...]  # lon/lat places the view is fitted around
    tolerance: float  # Douglas-Peucker, viewBox units: about a pixel when the map is shown at its width
    min_area: float  # islands and holes smaller than this (square units) are left out
    left_out: tuple[str, ...] = ()  # feature keys not drawn


WORLD_FRAME = ((-180.0, 0.0), (180.0, 0.0), (0.0, 83.7), (0.0, -56.0))  # Greenland's tip to Cape Horn
VIEW_SPECS = (
    ViewSpec("europe", ProjectionKind.LAMBERT_AZIMUTHAL, 10.0, 52.0, 600.0, 500.0,
             ((-24.5, 64.0), (-10.0, 35.5), (26.0, 72.0), (60.0, 58.0), (50.5, 40.0), (35.0, 32.5), (10.0, 33.0)),
             tolerance=0.7, min_area=2.5, left_out=("AQ",)),
    ViewSpec("world", ProjectionKind.EQUAL_EARTH, 0.0, 0.0, 600.0, 300.0, WORLD_FRAME,
             tolerance=0.7, min_area=2.0, left_out=("AQ",)),
    ViewSpec("locator", ProjectionKind.EQUAL_EARTH, 0.0, 0.0, 300.0, 160.0, WORLD_FRAME,
             tolerance=0.45, min_area=0.7, left_out=("AQ",)),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DrawnView:
    """A view's shapes as written to shapes.json."""

    projection: Projection
    shapes: dict[str, str]  # key -> SVG path data, larger shapes first
    label_points: dict[str, Point]
    refined: dict[Point, int]  # checked place -> how many times the tolerance was halved near it


def read_topology(path: Path) -> Topology:
    """Decode a world-atlas countries file: absolute arc positions, and features keyed by ISO alpha-2."""
    data = json.loads(path.read_text(encoding="utf-8"))
    arcs = []
    for arc in data["arcs"]:  # each position after the first is a delta from the one before
        x = y = 0
        cells = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            cells.append((x, y))
        arcs.append(tuple(cells))
    features: dict[str, Feature] = {}
    for geometry in data["objects"]["countries"]["geometries"]:
        feature = _feature(geometry)
        if feature.key in features:  # Ashmore and Cartier Is. carry Australia's code: they are Australia's
            feature = replace(features[feature.key], polygons=features[feature.key].polygons + feature.polygons)
        features[feature.key] = feature
    transform = data["transform"]
    return Topology(tuple(arcs), tuple(transform["scale"]), tuple(transform["translate"]), tuple(features.values()))


def _feature(geometry: dict) -> Feature:
    name, kind = geometry["properties"]["name"], geometry.get("type")
    polygons = geometry["arcs"] if kind == "MultiPolygon" else [geometry["arcs"]] if kind == "Polygon" else []
    country = pycountry.countries.get(numeric=geometry["id"]) if geometry.get("id") else None
    key = country.alpha_2 if country else "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
    return Feature(key, name, tuple(tuple(tuple(ring) for ring in polygon) for polygon in polygons))


def correct_borders(topology: Topology) -> Topology:
    """Crimea into Ukraine; N. Cyprus into Cyprus, Somaliland into Somalia: internationally recognised borders."""
    features = {feature.key: feature for feature in topology.features}
    russia, ukraine = features["RU"], features["UA"]
    crimea = tuple(polygon for polygon in russia.polygons if _inside_box(topology, polygon[0], CRIMEA_BOX))
    if not any(ring_contains(_polygon_degrees(topology, polygon), SIMFEROPOL) for polygon in crimea):
        raise SystemExit("convert: none of Russia's polygons covers Simferopol; has the source changed?")
    merged = dissolve(topology, ukraine.polygons + crimea)
    if _arc_count(merged) == _arc_count(ukraine.polygons + crimea):
        raise SystemExit("convert: Crimea shares no border with Ukraine in the source; cannot join them")
    features["UA"] = replace(ukraine, polygons=merged)
    features["RU"] = replace(russia, polygons=tuple(p for p in russia.polygons if p not in crimea))
    for feature in topology.features:
        if feature.name in MERGED_INTO:
            target = features[MERGED_INTO[feature.name]]
            features[target.key] = replace(target, polygons=dissolve(topology, target.polygons + feature.polygons))
            del features[feature.key]
    return replace(topology, features=tuple(features.values()))


def dissolve(topology: Topology, polygons: Sequence[Polygon]) -> tuple[Polygon, ...]:
    """One shape from several: drop the arcs they share (walked once each way) and chain the rest into rings.

    The result is a ring per polygon and hole, which is all an even-odd fill needs.
    """
    refs = [ref for polygon in polygons for ring in polygon for ref in ring]
    uses: dict[int, int] = {}
    for ref in refs:
        uses[_index(ref)] = uses.get(_index(ref), 0) + 1
    outside = [ref for ref in refs if uses[_index(ref)] == 1]
    starting: dict[Cell, list[ArcRef]] = {}
    for ref in outside:
        starting.setdefault(_end(topology, ~ref), []).append(ref)
    rings = []
    for first in outside:
        if first not in starting[_end(topology, ~first)]:
            continue  # already chained into a ring
        starting[_end(topology, ~first)].remove(first)
        ring = [first]
        while _end(topology, ring[-1]) != _end(topology, ~first):
            ring.append(starting[_end(topology, ring[-1])].pop())
        rings.append((tuple(ring),))
    return tuple(rings)


def _index(ref: ArcRef) -> int:
    return ref if ref >= 0 else ~ref


def _end(topology: Topology, ref: ArcRef) -> Cell:
    """The last position of an arc as walked; the first is `_end(~ref)`."""
    return topology.arcs[ref][-1] if ref >= 0 else topology.arcs[~ref][0]


def _arc_count(polygons: Iterable[Polygon]) -> int:
    return sum(len(ring) for polygon in polygons for ring in polygon)


def _inside_box(topology: Topology, ring: Iterable[ArcRef], box: tuple[float, float, float, float]) -> bool:
    west, south, east, north = box
    return all(west <= lon <= east and south <= lat <= north for ref in ring for lon, lat in topology.arc_degrees(ref))


def _polygon_degrees(topology: Topology, polygon: Polygon) -> tuple[tuple[Point, ...], ...]:
    return tuple(tuple(_ring_points(topology.arc_degrees, ring)) for ring in polygon)


def _ring_points(arc_points: Callable[[ArcRef], list[Point]], ring: Iterable[ArcRef]) -> list[Point]:
    """A ring's positions from its arcs: each arc starts where the one before it ends."""
    points: list[Point] = []
    for ref in ring:
        arc = arc_points(ref)
        points.extend(arc[1:] if points else arc)
    return points


def fit_projection(spec: ViewSpec) -> Projection:
    """The spec's projection, scaled and shifted so that its frame fills the viewBox, centred."""
    unit = Projection(spec.kind, spec.lon0, spec.lat0, 1.0, 0.0, 0.0)
    xs, ys = zip(*(unit.project(lon, lat) for lon, lat in spec.frame), strict=True)
    scale = round(min(spec.width / (max(xs) - min(xs)), spec.height / (max(ys) - min(ys))), 4)
    x0 = round(spec.width / 2 - scale * (max(xs) + min(xs)) / 2, 3)
    y0 = round(spec.height / 2 - scale * (max(ys) + min(ys)) / 2, 3)
    return Projection(spec.kind, spec.lon0, spec.lat0, scale, x0, y0)


def convert_view(spec: ViewSpec, topology: Topology) -> DrawnView:
    """Build the view; where a checked place landed on the wrong side, draw the lines near it more finely."""
    refined: dict[Point, int] = {}
    for _ in range(REFINE_STEPS + 1):
        view = build_view(spec, topology, refined)
        wrong = misplaced(view)
        if not wrong:
            return view
        for place in wrong:
            refined[place] = refined.get(place, 0) + 1
    raise SystemExit(f"convert: in the {spec.name} view these places stay on the wrong side: {wrong}")


def misplaced(view: DrawnView) -> list[Point]:
    """The checked places not inside their own country's shape alone, tested as the site tests them."""
    wrong = []
    for code, places in CHECKED_PLACES.items():
        for lon, lat in places:
            point = view.projection.project(lon, lat)
            if [key for key, path in view.shapes.items() if ring_contains(path_rings(path), point)] != [code]:
                wrong.append((lon, lat))
    return wrong


def build_view(spec: ViewSpec, topology: Topology, refined: dict[Point, int]) -> DrawnView:
    """Simplify, project, clip, round and encode every feature of the view."""
    projection = fit_projection(spec)
    simplified: dict[int, list[Point]] = {}

    def arc_points(ref: ArcRef) -> list[Point]:
        index = _index(ref)
        if index not in simplified:
            degrees = topology.arc_degrees(index)
            halvings = max((n for place, n in refined.items() if _passes_near(degrees, place)), default=0)
            plane = [projection.project_unwrapped(lon, lat) for lon, lat in _unwrapped(degrees)]
            simplified[index] = [degrees[i] for i in simplify(plane, spec.tolerance / 2**halvings)]
        return simplified[index] if ref >= 0 else simplified[index][::-1]

    def projected(ring: list[Point]) -> list[Point]:
        points = []
        for lon, lat in ring:
            x, y = projection.project(lon, lat)
            digits = 2 if any(_passes_near(((lon, lat),), place) for place in refined) else 1
            points.append((round(x, digits), round(y, digits)))
        return points

    drawn: list[tuple[float, str, list[list[Cell]]]] = []
    labels: dict[str, Point] = {}
    for feature in topology.features:
        if feature.key in spec.left_out:
            continue
        rings = [_ring_points(arc_points, ring) for polygon in feature.polygons for ring in polygon]
        if spec.kind is ProjectionKind.EQUAL_EARTH:
            rings = [piece for ring in rings for piece in cut_antimeridian(ring)]
        rings = [projected(ring) for ring in rings]
        cells = _drawable(rings, spec)
        if cells:
            drawn.append((sum(_cell_area(ring) for ring in cells), feature.key, _oriented(cells)))
        elif rings and 0 <= (spot := _middle(rings[0]))[0] <= spec.width and 0 <= spot[1] <= spec.height:
            labels[feature.key] = (round(spot[0], 1), round(spot[1], 1))  # too small to draw: a marker only
    drawn.sort(key=lambda item: -item[0])
    for _, key, rings in drawn:
        labels[key] = label_point([[(x / 100, y / 100) for x, y in ring] for ring in rings], spec.width, spec.height)
    shapes = {key: encode_path(rings) for _, key, rings in drawn}
    return DrawnView(projection, shapes, dict(sorted(labels.items())), dict(refined))


def _passes_near(points: Iterable[Point], place: Point) -> bool:
    """Whether a line comes within REFINE_RADIUS degrees of a place, along each axis."""
    lon, lat = place
    return any(abs(x - lon) <= REFINE_RADIUS and abs(y - lat) <= REFINE_RADIUS for x, y in points)


def _unwrapped(points: list[Point]) -> list[Point]:
    """Longitudes made continuous: a line that crosses the antimeridian goes on past 180 instead of jumping."""
    shift = 0.0
    result = points[:1]
    for (previous, _), (lon, lat) in itertools.pairwise(points):
        if abs(lon - previous) > 180:
            shift -= math.copysign(360, lon - previous)
        result.append((lon + shift, lat))
    return result


def cut_antimeridian(ring: list[Point]) -> list[list[Point]]:
    """A ring that crosses 180 degrees (Chukotka, Fiji) as pieces on either side, for a map cut there."""
    whole = _unwrapped(ring)
    if all(-180 <= lon <= 180 for lon, _ in whole):
        return [ring]
    world = (-180.0, -90.0, 180.0, 90.0)
    pieces = [clip([(lon + shift, lat) for lon, lat in whole], world) for shift in (-360, 0, 360)]
    return [piece for piece in pieces if len(piece) >= 3]


def simplify(points: list[Point], tolerance: float) -> list[int]:
    """Douglas-Peucker: the indices of the points to keep, both ends always; a closed arc is split in two first."""
    if len(points) < 3:
        return list(range(len(points)))
    if points[0] == points[-1]:  # an island: split at its farthest point, or the first and last would be one
        far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
        return simplify(points[: far + 1], tolerance)[:-1] + [far + i for i in simplify(points[far:], tolerance)]
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1) or 1e-12
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            distance = abs((x2 - x1) * (y1 - points[i][1]) - (x1 - points[i][0]) * (y2 - y1)) / length
            if distance > worst:
                worst, index = distance, i
        if worst > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return sorted(keep)


def clip(ring: list[Point], box: tuple[float, float, float, float], digits: int | None = None) -> list[Point]:
    """Sutherland-Hodgman against a rectangle: enough for filled shapes whose cut edges fall outside the view.

    With `digits`, the points where the ring crosses the rectangle are rounded to that many decimals.
    """
    left, top, right, bottom = box
    for axis, limit, side in ((0, left, 1), (0, right, -1), (1, top, 1), (1, bottom, -1)):
        source, ring = ring, []
        previous = source[-1] if source else None
        for point in source:
            inside, was_inside = (point[axis] - limit) * side >= 0, (previous[axis] - limit) * side >= 0
            if inside != was_inside:
                t = (limit - previous[axis]) / (point[axis] - previous[axis])
                crossing = (previous[0] + t * (point[0] - previous[0]), previous[1] + t * (point[1] - previous[1]))
                crossing = crossing if digits is None else (round(crossing[0], digits), round(crossing[1], digits))
                ring.append((limit, crossing[1]) if axis == 0 else (crossing[0], limit))
            if inside:
                ring.append(point)
            previous = point
    return ring


def _drawable(rings: list[list[Point]], spec: ViewSpec) -> list[list[Cell]]:
    """Clipped, rounded rings that show in the view; small islands and holes go, the largest ring stays."""
    box = (-MARGIN, -MARGIN, spec.width + MARGIN, spec.height + MARGIN)
    kept = []
    for ring in rings:
        clipped = clip(ring, box, digits=1)
        if clipped and _overlaps(clipped, spec.width, spec.height):
            cells = _cells(clipped)
            if len(cells) >= 3 and _area(cells) != 0:
                kept.append(cells)
    if not kept:
        return []
    largest = max(kept, key=_cell_area)
    return [ring for ring in kept if ring is largest or _cell_area(ring) >= spec.min_area]


def _overlaps(ring: list[Point], width: float, height: float) -> bool:
    xs, ys = zip(*ring, strict=True)
    return max(xs) > 0 and min(xs) < width and max(ys) > 0 and min(ys) < height


def _cells(ring: list[Point]) -> list[Cell]:
    """The ring in hundredths, without repeated points."""
    cells: list[Cell] = []
    for x, y in ring:
        cell = (round(x * 100), round(y * 100))
        if not cells or cell != cells[-1]:
            cells.append(cell)
    while len(cells) > 1 and cells[0] == cells[-1]:
        cells.pop()
    return cells


def _area(ring: Sequence[Point]) -> float:
    """Signed area (shoelace), positive when the ring turns clockwise on screen (y grows downwards)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True)) / 2


def _cell_area(ring: Sequence[Cell]) -> float:
    """Area in square viewBox units of a ring in hundredths."""
    return abs(_area(ring)) / 10000


def _oriented(rings: list[list[Cell]]) -> list[list[Cell]]:
    """Outer rings one way round, holes the other, so the nonzero and the even-odd fill rules agree."""
    result = []
    for ring in rings:
        depth = sum(_inside(ring, other) for other in rings if other is not ring)
        result.append(ring if (_area(ring) > 0) == (depth % 2 == 0) else ring[::-1])
    return result


def _inside(ring: list[Cell], other: list[Cell]) -> bool:
    """Whether a ring lies inside another of the same shape; a corner they share (a node) does not count."""
    corners = set(other)
    point = next((cell for cell in ring if cell not in corners), None)
    return point is not None and ring_contains((tuple(other),), point)


def _middle(ring: list[Point]) -> Point:
    xs, ys = zip(*ring, strict=True)
    return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)


def label_point(rings: list[list[Point]], width: float, height: float, samples: int = 24) -> Point:
    """A point deep inside the shape (roughly its pole of inaccessibility), within the viewBox."""
    largest = max(rings, key=lambda ring: abs(_area(ring)))
    top, bottom = max(0.0, min(y for _, y in largest)), min(height, max(y for _, y in largest))
    best, best_score = _middle(largest), -1.0
    for step in range(samples):
        y = top + (bottom - top) * (step + 0.5) / samples + 1e-7  # off the rounded grid, so no vertex sits on it
        for left, right in _spans(rings, y, 1):
            left, right = max(left, 0.0), min(right, width)
            x = (left + right) / 2
            spans = [span for span in _spans(rings, x, 0) if span[0] <= y <= span[1]]
            score = min((right - left) / 2, *(min(y - low, high - y) for low, high in spans)) if spans else 0.0
            if score > best_score:
                best, best_score = (x, y), score
    for digits in (1, 2):  # a sliver of a shape (Palestine on the locator) may need the finer grid
        point = (round(best[0], digits), round(best[1], digits))
        if ring_contains(tuple(tuple(ring) for ring in rings), point):
            return point
    return (round(best[0], 3), round(best[1], 3))


def _spans(rings: list[list[Point]], level: float, axis: int) -> list[tuple[float, float]]:
    """Where the line y = level (axis 1) or x = level (axis 0) runs inside the shape, even-odd."""
    other = 1 - axis
    crossings = []
    for ring in rings:
        previous = ring[-1]
        for point in ring:
            if (previous[axis] > level) != (point[axis] > level):
                t = (level - previous[axis]) / (point[axis] - previous[axis])
                crossings.append(previous[other] + t * (point[other] - previous[other]))
            previous = point
    crossings.sort()
    return list(zip(crossings[::2], crossings[1::2], strict=True))


def encode_path(rings: list[list[Cell]]) -> str:
    """Compact SVG path data: every number relative, with no separator that the grammar can spare."""
    parts: list[str] = []
    origin = (0, 0)
    for ring in rings:
        numbers: list[str] = []
        previous = origin
        for cell in ring:
            numbers += [_decimal(cell[0] - previous[0]), _decimal(cell[1] - previous[1])]
            previous = cell
        text = numbers[0]
        for before, number in itertools.pairwise(numbers):
            glued = number[0] == "-" or (number[0] == "." and "." in before)  # "1.2.5" reads as 1.2 and .5
            text += number if glued else " " + number
        parts.append("m" + text + "z")
        origin = ring[0]  # after z the pen is back at the ring's first point
    return "".join(parts)


def _decimal(hundredths: int) -> str:
    """12 -> ".12", -150 -> "-1.5", 300 -> "3", 0 -> "0": the shortest text SVG reads back exactly."""
    whole, fraction = divmod(abs(hundredths), 100)
    digits = f"{fraction:02d}".rstrip("0")
    text = (str(whole) if whole else "") + (f".{digits}" if digits else "")
    return ("-" if hundredths < 0 else "") + (text or "0")


def svg_bytes(shapes: dict[str, str]) -> int:
    """What the shapes add to a page as inline SVG: one <path d="..."/> each, before any class or link."""
    return sum(len(f'<path d="{path}"/>'.encode()) for path in shapes.values())


def write_shapes(views: Sequence[tuple[ViewSpec, DrawnView]], target: Path) -> None:
    """shapes.json: compact, with its provenance, in a stable order so that a re-run gives the same bytes."""
    changes = [
        "Crimea and Sevastopol moved from Russia's shape into Ukraine's, and the line between them removed: "
        "Ukraine is drawn within its internationally recognised borders",
        "N. Cyprus merged into Cyprus and Somaliland into Somalia, for the same reason",
        "areas with no ISO 3166 code (Kosovo, Siachen Glacier, Indian Ocean Ter.) kept under lower-case keys",
        "Antarctica left out",
        "projected, simplified (Douglas-Peucker on shared arcs), clipped to each view, rounded to 0.1 of a unit",
    ]
    data = {"provenance": {**SOURCE, "changes": changes}, "views": {}}
    for spec, view in views:
        data["views"][spec.name] = {
            "width": spec.width,
            "height": spec.height,
            "projection": view.projection.to_json(),
            "tolerance": spec.tolerance,
            "refined_near": [[lon, lat, halvings] for (lon, lat), halvings in view.refined.items()],
            "shapes": view.shapes,
            "label_points": view.label_points,
        }
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Convert the file named on the command line and write shapes.json beside this module."""
    parser = argparse.ArgumentParser(prog="python -m timeline.geography.convert", description=__doc__.split("\n")[0])
    parser.add_argument("countries_50m", type=Path, help="countries-50m.json from the world-atlas package")
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name(DATA_FILE))
    arguments = parser.parse_args(argv)
    digest = hashlib.sha256(arguments.countries_50m.read_bytes()).hexdigest()
    if digest != SOURCE["sha256"]:  # the provenance written into shapes.json must name the file really used
        raise SystemExit(
            f"convert: {arguments.countries_50m} is not {SOURCE['package']} {SOURCE['version']}'s "
            f"{SOURCE['file']} (sha256 {digest}); update SOURCE to convert another release"
        )
    topology = correct_borders(read_topology(arguments.countries_50m))
    views = []
    for spec in VIEW_SPECS:
        view = convert_view(spec, topology)
        views.append((spec, view))
        near = ", ".join(f"{lon} {lat} (tolerance halved {n}x)" for (lon, lat), n in view.refined.items())
        size = f"{len(view.shapes)} shapes, {svg_bytes(view.shapes)} bytes of <path> elements"
        print(f"{spec.name}: {size}; drawn more finely near {near or 'no place'}", file=sys.stderr)
    write_shapes(views, arguments.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
