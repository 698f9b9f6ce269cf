"""Country shapes for the build-time SVG maps: projected, simplified, keyed by ISO 3166-1 alpha-2 code.

The shapes come from Natural Earth (see README.md beside this file) with Crimea drawn as part of Ukraine.
They are converted once by `python -m timeline.geography.convert` into shapes.json, so a build only reads
that file: no npm, no network, no GIS library.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

VIEWS = ("europe", "world", "locator")  # the views that shapes.json holds, in the order it holds them
DATA_FILE = "shapes.json"

Point = tuple[float, float]
Ring = tuple[Point, ...]

# Equal Earth's polynomial (Šavrič, Patterson and Jenny, 2018).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_PATH_TOKEN = re.compile(r"[MmLlZz]|-?(?:\d+\.?\d*|\.\d+)")


class ProjectionKind(Enum):
    """The projections the maps use; both are equal-area, so a country's size on the map is fair."""

    LAMBERT_AZIMUTHAL = "lambert-azimuthal-equal-area"  # a continent around its centre
    EQUAL_EARTH = "equal-earth"  # the whole world, pseudo-cylindrical


@dataclass(frozen=True, slots=True)
class Projection:
    """Longitude and latitude (degrees) to viewBox units: a projection, then a scale and a shift."""

    kind: ProjectionKind
    lon0: float  # central meridian, degrees east
    lat0: float  # centre latitude for the azimuthal projection; 0 for Equal Earth
    scale: float  # viewBox units per unit of the projection on a sphere of radius 1
    x0: float  # where the projection's origin lands in the viewBox
    y0: float

    def project(self, lon: float, lat: float) -> Point:
        """The viewBox point of a place; y grows downwards, as in SVG."""
        offset = lon - self.lon0
        if abs(offset) > 180:  # the other way round the globe; exactly 180 stays on its own edge of the map
            offset = (offset + 180) % 360 - 180
        return self.project_unwrapped(self.lon0 + offset, lat)

    def project_unwrapped(self, lon: float, lat: float) -> Point:
        """As project, for longitudes continued past the antimeridian (the converter simplifies lines across it)."""
        x, y = self._unit(math.radians(lon - self.lon0), math.radians(lat))
        return (self.x0 + self.scale * x, self.y0 - self.scale * y)

    def _unit(self, lam: float, phi: float) -> Point:
        if self.kind is ProjectionKind.EQUAL_EARTH:
            theta = math.asin(_M * math.sin(phi))
            t2 = theta * theta
            t6 = t2 * t2 * t2
            x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
            return (x, theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2)))
        phi0 = math.radians(self.lat0)
        cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
        k = math.sqrt(2 / max(1 + cos_c, 1e-12))  # the antipode has no image; it is far outside every view
        north = math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam)
        return (k * math.cos(phi) * math.sin(lam), k * north)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Projection:
        """The projection as shapes.json holds it."""
        return cls(ProjectionKind(data["kind"]), *(float(data[key]) for key in ("lon0", "lat0", "scale", "x0", "y0")))

    def to_json(self) -> dict[str, Any]:
        """For shapes.json; from_json reads it back."""
        return {"kind": self.kind.value, "lon0": self.lon0, "lat0": self.lat0,
                "scale": self.scale, "x0": self.x0, "y0": self.y0}  # fmt: skip


@dataclass(frozen=True, slots=True)
class MapView:
    """One map: its viewBox, its projection and the shapes to draw in it, ready for an SVG template."""

    name: str  # "europe", "world" or "locator"
    width: float  # the viewBox is "0 0 width height"
    height: float
    projection: Projection
    # ISO alpha-2 code -> SVG path data, in drawing order: larger shapes first, so an enclave such as San Marino
    # is drawn over the country around it. Features with no ISO code have lower-case keys ("kosovo").
    shapes: Mapping[str, str]
    # A point well inside each shape's largest visible part, for a marker or a label. Countries too small to
    # draw in this view (Malta, Singapore in "world") have a point here but no shape: draw a marker for them.
    label_points: Mapping[str, Point]

    @property
    def view_box(self) -> str:
        """The SVG viewBox attribute: "0 0 600 500"."""
        return f"0 0 {self.width:g} {self.height:g}"

    def project(self, lon: float, lat: float) -> Point:
        """A place in viewBox units, by the projection the shapes were drawn with."""
        return self.projection.project(lon, lat)

    def contains(self, code: str, lon: float, lat: float) -> bool:
        """Whether the drawn shape of `code` covers a place (even-odd over all its rings, as SVG fills it)."""
        path = self.shapes.get(code)
        return path is not None and ring_contains(path_rings(path), self.project(lon, lat))


def map_view(name: str) -> MapView:
    """The named view from the committed data; read once per process."""
    views = _load_views()
    if name not in views:
        raise KeyError(f"no map view '{name}'; the views are {', '.join(views)}")
    return views[name]


def provenance() -> Mapping[str, Any]:
    """Where the shapes come from and how they were changed: for the map's credit line."""
    return MappingProxyType(_read_data()["provenance"])


@lru_cache(maxsize=1)
def _read_data() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _load_views() -> dict[str, MapView]:
    views = {}
    for name, view in _read_data()["views"].items():
        labels = MappingProxyType({code: (float(x), float(y)) for code, (x, y) in view["label_points"].items()})
        shapes = MappingProxyType(dict(view["shapes"]))
        size = float(view["width"]), float(view["height"])
        views[name] = MapView(name, *size, Projection.from_json(view["projection"]), shapes, labels)
    return views


@cache
def path_rings(path: str) -> tuple[Ring, ...]:
    """The closed rings of SVG path data made of moveto, lineto and closepath (absolute or relative)."""
    rings: list[Ring] = []
    ring: list[Point] = []
    x = y = start_x = start_y = 0.0
    command = "M"
    tokens = _PATH_TOKEN.findall(path)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in "MmLlZz":
            command = token
            i += 1
            if token in "Zz":
                x, y = start_x, start_y  # a relative moveto after closepath starts from the ring's first point
                rings.append(tuple(ring))
                ring = []
            continue
        dx, dy = float(token), float(tokens[i + 1])
        i += 2
        x, y = (round(x + dx, 6), round(y + dy, 6)) if command.islower() else (dx, dy)  # no drift from sums
        if command in "Mm":
            if ring:
                rings.append(tuple(ring))
            ring = []
            start_x, start_y = x, y
            command = "l" if command == "m" else "L"  # pairs after a moveto are linetos
        ring.append((x, y))
    if ring:
        rings.append(tuple(ring))
    return tuple(ring for ring in rings if len(ring) >= 3)


def ring_contains(rings: tuple[Ring, ...], point: Point) -> bool:
    """Even-odd point-in-polygon over all rings: a hole (Lesotho in South Africa) is outside."""
    px, py = point
    inside = False
    for ring in rings:
        x1, y1 = ring[-1]
        for x2, y2 in ring:
            if (y1 > py) != (y2 > py) and px < x1 + (py - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
            x1, y1 = x2, y2
    return inside
