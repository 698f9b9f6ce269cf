"""Build-time maps: countries shaded by their number of entries, each partner a link to its page.

The shapes come from timeline.geography (Natural Earth, with Crimea drawn as part of Ukraine). A map is
plain SVG in the page: no tiles, no other host, no script. Every partner on it is a link with an
accessible name ("Italy: 12 entries"); the other countries are background. Organisations (the EU, NATO,
the G7) are not countries and are listed beside the map instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from timeline.charts import LegendKey
from timeline.geography import map_view
from timeline.languages import Words, words
from timeline.partners import UKRAINE, Partner

LEVELS = 4  # shades for partners with entries, level-1 (fewest) to level-4 (most)
_MARKER_RADIUS = {"europe": 4.0, "world": 3.0, "locator": 3.5}  # for partners too small to draw


@dataclass(frozen=True, slots=True)
class MapShape:
    """A country on a map: its outline, how it is shaded, and its link if it is a partner."""

    code: str
    path: str  # SVG path data
    css_class: str  # "map-country", "map-partner level-2", "map-ukraine", "map-highlight"
    url: str  # the partner's page, relative to the language's root; "" for background countries
    label: str  # accessible name of the link, "Italy: 12 entries"; "" for background countries


@dataclass(frozen=True, slots=True)
class MapMarker:
    """A partner too small to draw at this scale (Malta, Singapore): a dot at its place."""

    x: float
    y: float
    radius: float
    css_class: str
    url: str
    label: str


@dataclass(frozen=True, slots=True)
class CountryMap:
    """One map, ready for templates/_maps.html."""

    id_prefix: str  # unique on its page
    css_class: str  # "map--europe", "map--world", "map--locator"
    title: str
    description: str
    view_box: str
    shapes: tuple[MapShape, ...]  # background first, then partners, then Ukraine: links are drawn on top
    markers: tuple[MapMarker, ...]


@dataclass(frozen=True, slots=True)
class PartnerMaps:
    """The partners page's maps: Europe, the world, their shared legend, and the organisations beside them."""

    maps: tuple[CountryMap, ...]
    legend: tuple[LegendKey, ...]
    organisations: tuple[tuple[str, str, str, int], ...]  # (name, url, flag, entries)
    credit: str


def partner_maps(counts: Mapping[Partner, int], language: str = "en") -> PartnerMaps:
    """`counts`: each partner's number of entries, partners in the order the page lists them."""
    _ = words(language)
    maximum = max(counts.values(), default=0)
    countries = {partner.code: (partner, count) for partner, count in counts.items() if not partner.is_organisation}
    maps = tuple(
        _shaded_map(view, countries, maximum, _)
        for view in ("europe", "world")
    )  # fmt: skip
    organisations = tuple(
        (partner.name, partner.url, partner.flag, count) for partner, count in counts.items() if partner.is_organisation
    )
    return PartnerMaps(maps, _legend(maximum, _), organisations, _("Map data: Natural Earth (public domain)."))


def locator_map(partner: Partner, language: str = "en") -> CountryMap | None:
    """A small world map with `partner` marked, and Ukraine; None for an organisation, which is no country."""
    if partner.is_organisation:
        return None
    _ = words(language)
    view = map_view("locator")
    shapes, markers = [], []
    for code, path in view.shapes.items():
        if code == partner.code:
            continue
        shapes.append(MapShape(code, path, "map-ukraine" if code == UKRAINE else "map-country", "", ""))
    if partner.code in view.shapes:
        shapes.append(MapShape(partner.code, view.shapes[partner.code], "map-highlight", "", ""))
    elif partner.code in view.label_points:
        x, y = view.label_points[partner.code]
        markers.append(MapMarker(x, y, _MARKER_RADIUS["locator"], "map-highlight", "", ""))
    return CountryMap(
        "map-locator", "map--locator", _("Where %(partner)s is", partner=partner.name),
        _("A world map with %(partner)s highlighted, and Ukraine.", partner=partner.name),
        view.view_box, _ordered(shapes), tuple(markers),
    )  # fmt: skip


def _shaded_map(name: str, countries: Mapping[str, tuple[Partner, int]], maximum: int, _: Words) -> CountryMap:
    view = map_view(name)
    shapes, markers = [], []
    for code, path in view.shapes.items():
        if code == UKRAINE:
            shapes.append(MapShape(code, path, "map-ukraine", "", ""))
        elif code in countries:
            partner, count = countries[code]
            shapes.append(MapShape(code, path, f"map-partner level-{_level(count, maximum)}", partner.url,
                                   _label(partner, count, _)))  # fmt: skip
        else:
            shapes.append(MapShape(code, path, "map-country", "", ""))
    for code, (partner, count) in countries.items():
        if code not in view.shapes and code in view.label_points and _inside(view.label_points[code], view.view_box):
            x, y = view.label_points[code]
            level = f"map-partner level-{_level(count, maximum)}"
            markers.append(MapMarker(x, y, _MARKER_RADIUS[name], level, partner.url, _label(partner, count, _)))
    shown = sum(1 for shape in shapes if shape.url) + len(markers)
    if name == "europe":
        title = _("Partners in Europe")
        description = _.plural(
            "Europe, with Ukraine marked and %(count)s partner shaded by its number of entries, darker meaning more.",
            "Europe, with Ukraine marked and %(count)s partners shaded by their number of entries, darker meaning "
            "more.", shown,
        )  # fmt: skip
    else:
        title = _("Partners around the world")
        description = _.plural(
            "The world, with Ukraine marked and %(count)s partner shaded by its number of entries, darker meaning "
            "more.",
            "The world, with Ukraine marked and %(count)s partners shaded by their number of entries, darker "
            "meaning more.", shown,
        )  # fmt: skip
    return CountryMap(f"map-{name}", f"map--{name}", title, description, view.view_box, _ordered(shapes),
                      tuple(markers))  # fmt: skip


def _ordered(shapes: list[MapShape]) -> tuple[MapShape, ...]:
    """Background first, then partners (links), then the highlighted country and Ukraine, keeping the data's
    order (larger shapes first) within each, so that a link is never hidden under a neighbour."""
    rank = {"map-country": 0, "map-ukraine": 2, "map-highlight": 3}
    return tuple(sorted(shapes, key=lambda shape: rank.get(shape.css_class, 1)))


def _label(partner: Partner, count: int, _: Words) -> str:
    return _("%(partner)s: %(entries)s", partner=partner.name,
             entries=_.plural("%(count)s entry", "%(count)s entries", count))  # fmt: skip


def _level(count: int, maximum: int) -> int:
    """0 for none, else 1 to LEVELS in equal parts of the maximum, so the busiest partner is the darkest."""
    return 0 if count == 0 else math.ceil(LEVELS * count / max(maximum, 1))


def _legend(maximum: int, _: Words) -> tuple[LegendKey, ...]:
    keys = [LegendKey(_("Ukraine"), "map-ukraine"), LegendKey(_("No entries"), "map-country")]
    for level in range(1, LEVELS + 1):
        counts = [count for count in range(1, maximum + 1) if _level(count, maximum) == level]
        if counts:
            low, high = counts[0], counts[-1]
            label = _.plural("%(count)s entry", "%(count)s entries", low) if low == high else _(
                "%(low)s–%(high)s entries", low=low, high=high)  # fmt: skip
            keys.append(LegendKey(label, f"map-partner level-{level}"))
    return tuple(keys)


def _inside(point: tuple[float, float], view_box: str) -> bool:
    _x, _y, width, height = (float(part) for part in view_box.split())
    return 0 <= point[0] <= width and 0 <= point[1] <= height
