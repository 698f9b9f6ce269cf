"""Charts drawn at build time: counts per year and partner, laid out as SVG shapes for the templates."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from timeline.languages import Words, words
from timeline.model import Entry, EntryKind, Timeline
from timeline.partners import Partner

# Every chart shares one viewBox width, so a label is the same size in all of them once they fill a column.
WIDTH = 400.0
# Label size in viewBox units; charts.css sets the same. About 10 px when a phone shrinks a chart to 330 px.
FONT = 12.0
DIGIT = 0.62 * FONT  # a digit's width, generous because system fonts differ; used to keep year labels apart
LETTER = 0.6 * FONT  # an average letter in a partner name
BAR_SHARE = 0.7  # of each year's slot; the rest is the gap between bars
LEVELS = 4  # shades for non-empty matrix cells, level-1 (fewest) to level-4 (most)
ROW = 20.0  # matrix row height
NAME_CHARS = 20  # longer partner names are shortened in the matrix; the table shows them whole


@dataclass(frozen=True, slots=True)
class Shape:
    """A rectangle that stands for a number: a bar, a bar segment or a matrix cell."""

    x: float  # viewBox units, rounded to 0.1
    y: float
    width: float
    height: float
    css_class: str  # "bar bar-article", "cell level-3": colours live in charts.css
    tooltip: str  # "2024: 12 articles"; the shape's <title>


@dataclass(frozen=True, slots=True)
class Line:
    """A gridline or the axis: decoration, not data."""

    x1: float
    y1: float
    x2: float
    y2: float
    css_class: str  # "grid" or "axis"


@dataclass(frozen=True, slots=True)
class Label:
    """A piece of text in the chart: a year, a gridline's value or a partner's name."""

    x: float
    y: float  # the baseline
    anchor: str  # SVG text-anchor: "start", "middle" or "end"
    text: str
    css_class: str  # "label", "label label-row"


@dataclass(frozen=True, slots=True)
class LegendKey:
    """What a colour means, shown under the chart as a swatch and a few words."""

    label: str  # "Articles", "2–3 entries"
    css_class: str  # the same colour class as the shapes it explains


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of a chart's table: a header cell, then the numbers."""

    header: str  # the row's first cell, a <th scope="row">
    url: str  # relative to the site root; "" when the header is not a link
    cells: tuple[str, ...]  # one per column after the first


@dataclass(frozen=True, slots=True)
class DataTable:
    """A chart's numbers as a table: its text alternative."""

    caption: str
    columns: tuple[str, ...]  # every column header, the row headers' column first
    rows: tuple[TableRow, ...]


@dataclass(frozen=True, slots=True)
class BarChart:
    """Bars per year, stacked when there is more than one series."""

    id_prefix: str  # unique on its page: ids are <id_prefix>-title and <id_prefix>-desc
    css_class: str  # "chart--bars" or "chart--strip", for sizing
    title: str
    description: str  # one sentence, for <desc> and the caption
    width: float  # the viewBox
    height: float
    gridlines: tuple[Line, ...]
    bars: tuple[Shape, ...]  # only non-zero counts; the table lists the zeros too
    labels: tuple[Label, ...]
    legend: tuple[LegendKey, ...]  # empty when there is one series
    table: DataTable


@dataclass(frozen=True, slots=True)
class MatrixChart:
    """Partners by years, each cell shaded by its number of entries."""

    id_prefix: str
    css_class: str  # "chart--matrix"
    title: str
    description: str  # says how many partners were left out, if any
    width: float
    height: float
    cells: tuple[Shape, ...]  # every row × every year, empty cells included
    labels: tuple[Label, ...]  # years along the top, partner names down the side
    legend: tuple[LegendKey, ...]
    table: DataTable  # row headers link to the partner pages
    left_out: int  # partners beyond the limit


@dataclass(frozen=True, slots=True)
class _Series:
    css_class: str
    counted: Callable[[int], str]  # 3 -> "3 articles": for tooltips
    counts: tuple[int, ...]  # one per year


@dataclass(frozen=True, slots=True)
class _Plot:
    """The area the bars or cells fill, inside the margins for labels."""

    left: float
    top: float
    width: float
    height: float
    years: tuple[int, ...]

    @property
    def slot(self) -> float:
        return self.width / max(len(self.years), 1)

    @property
    def bottom(self) -> float:
        return self.top + self.height


def year_range(entries: Iterable[Entry]) -> tuple[int, ...]:
    """Every year from the first entry's to the last's, empty years included."""
    years = [entry.date.start.year for entry in entries]
    return tuple(range(min(years), max(years) + 1)) if years else ()


def year_type_chart(entries: Sequence[Entry], language: str = "en", *, id_prefix: str = "chart-years") -> BarChart:
    """Entries per year, articles and analyst notes stacked, with gridlines and year labels."""
    _ = words(language)
    years = year_range(entries)
    articles = _per_year([entry for entry in entries if entry.kind is EntryKind.ARTICLE], years)
    notes = _per_year([entry for entry in entries if entry.kind is EntryKind.NOTE], years)
    totals = tuple(map(sum, zip(articles, notes, strict=True)))
    maximum = max(totals, default=0)
    left = round(max(len(str(maximum)), 2) * DIGIT + 8, 1)  # room for the gridline values
    plot = _Plot(left, FONT / 2 + 2, WIDTH - left - 8, 160.0, years)
    gridlines, values = _gridlines(plot, maximum)
    series = (
        _Series("bar-article", lambda count: _.plural("%(count)s article", "%(count)s articles", count), articles),
        _Series("bar-note", lambda count: _.plural("%(count)s analyst note", "%(count)s analyst notes", count), notes),
    )
    rows = zip(years, articles, notes, totals, strict=True)
    what, detail = _("Timeline entries per year"), _("articles and analyst notes stacked")
    return BarChart(
        id_prefix=id_prefix,
        css_class="chart--bars",
        title=_("Entries per year"),
        description=_busiest_sentence(what, years, totals, detail, _),
        width=WIDTH,
        height=round(plot.bottom + FONT + 8, 1),
        gridlines=gridlines,
        bars=_bars(plot, series, maximum),
        labels=values + _year_labels(plot, plot.bottom + FONT + 3),
        legend=(LegendKey(_("Articles"), "bar-article"), LegendKey(_("Analyst notes"), "bar-note")),
        table=DataTable(
            _("Entries per year"), (_("Year"), _("Articles"), _("Analyst notes"), _("Total")), _table_rows(rows)
        ),
    )


def activity_strip(
    entries: Sequence[Entry],
    years: Sequence[int],
    *,
    id_prefix: str = "chart-activity",
    subject: str = "",  # what the entries are about, "Poland", for the title and description
    scale_max: int | None = None,  # the count a full bar stands for; one value for all partners makes heights compare
    language: str = "en",
) -> BarChart:
    """A small strip of entries per year over `years`, the whole timeline's, so strips line up between pages."""
    _ = words(language)
    years = tuple(years)
    counts = _per_year(entries, years)
    maximum = max(scale_max or 0, *counts, 0)
    margin = round(2 * DIGIT + 2, 1)  # half a year label, so the first and last fit
    plot = _Plot(margin, 4.0, WIDTH - 2 * margin, 32.0, years)
    axis = Line(plot.left, plot.bottom, round(plot.left + plot.width, 1), plot.bottom, "axis")
    what = _("Entries about %(subject)s per year", subject=subject) if subject else _("Entries per year")
    summary = _("%(entries)s in all", entries=_.plural("%(count)s entry", "%(count)s entries", sum(counts)))
    return BarChart(
        id_prefix=id_prefix,
        css_class="chart--strip",
        title=what,
        description=_busiest_sentence(what, years, counts, summary, _),
        width=WIDTH,
        height=round(plot.bottom + FONT + 6, 1),
        gridlines=(axis,),
        bars=_bars(plot, (_Series("bar-all", _entries(_), counts),), maximum),
        labels=_year_labels(plot, plot.bottom + FONT + 2),
        legend=(),
        table=DataTable(what, (_("Year"), _("Entries")), _table_rows(zip(years, counts, strict=True))),
    )


def partner_year_matrix(
    timeline: Timeline, language: str = "en", limit: int = 40, *, id_prefix: str = "chart-partners"
) -> MatrixChart:
    """Entries per partner and year, the `limit` partners with the most entries first, as a heat map."""
    _ = words(language)
    years = year_range(timeline.entries)
    ranked = sorted(
        timeline.by_partner.items(), key=lambda item: (-len(item[1]), _.sort_key(item[0].name), item[0].code)
    )
    shown = ranked[: max(limit, 0)]
    counts = [(partner, _per_year(entries, years)) for partner, entries in shown]
    maximum = max((count for _partner, row in counts for count in row), default=0)
    longest = max((min(len(partner.name), NAME_CHARS) for partner, _row in counts), default=0)
    left = round(longest * LETTER + 8, 1)
    plot = _Plot(left, FONT + 8, WIDTH - left - 8, ROW * len(counts), years)
    left_out = len(ranked) - len(shown)
    rows = tuple(TableRow(partner.name, partner.url, (*map(str, row), str(sum(row)))) for partner, row in counts)
    return MatrixChart(
        id_prefix=id_prefix,
        css_class="chart--matrix",
        title=_("Entries per partner and year"),
        description=_matrix_sentence(years, len(counts), left_out, _),
        width=WIDTH,
        height=round(plot.bottom + 4, 1),
        cells=_cells(plot, counts, maximum, _),
        labels=_year_labels(plot, FONT + 2) + _row_labels(plot, [partner for partner, _row in counts]),
        legend=_level_legend(maximum, _),
        table=DataTable(_("Entries per partner and year"), (_("Partner"), *map(str, years), _("Total")), rows),
        left_out=left_out,
    )


def _per_year(entries: Iterable[Entry], years: Sequence[int]) -> tuple[int, ...]:
    by_year = Counter(entry.date.start.year for entry in entries)
    return tuple(by_year[year] for year in years)


def _table_rows(rows: Iterable[tuple[int, ...]]) -> tuple[TableRow, ...]:
    """Year rows: the year as the row header, the counts as cells."""
    return tuple(TableRow(str(year), "", tuple(map(str, counts))) for year, *counts in rows)


def _bars(plot: _Plot, series: Sequence[_Series], maximum: int) -> tuple[Shape, ...]:
    """One bar per year, series stacked bottom up; segment edges rounded once so they meet exactly."""
    width = round(plot.slot * BAR_SHARE, 1)
    shapes = []
    for index, year in enumerate(plot.years):
        x = round(plot.left + index * plot.slot + (plot.slot - width) / 2, 1)
        below = 0
        for one in series:
            count = one.counts[index]
            if count == 0:
                continue
            bottom, top = _scaled(plot, below, maximum), _scaled(plot, below + count, maximum)
            tooltip = f"{year}: {one.counted(count)}"
            shapes.append(Shape(x, top, width, round(bottom - top, 1), f"bar {one.css_class}", tooltip))
            below += count
    return tuple(shapes)


def _scaled(plot: _Plot, value: int, maximum: int) -> float:
    """The y of a value: the tallest bar reaches the top of the plot."""
    return round(plot.bottom - plot.height * value / max(maximum, 1), 1)


def _gridlines(plot: _Plot, maximum: int) -> tuple[tuple[Line, ...], tuple[Label, ...]]:
    """The axis at zero and a few round values up to the maximum, each labelled on the left."""
    step = _nice_step(maximum)
    right = round(plot.left + plot.width, 1)
    lines, labels = [], []
    for value in range(0, maximum + 1, step):
        y = _scaled(plot, value, maximum)
        lines.append(Line(round(plot.left, 1), y, right, y, "axis" if value == 0 else "grid"))
        labels.append(Label(round(plot.left - 4, 1), round(y + 0.35 * FONT, 1), "end", str(value), "label"))
    return tuple(lines), tuple(labels)


def _nice_step(maximum: int) -> int:
    """1, 2, 5, 10, 20, 50 …: the smallest that gives at most four gridlines above zero."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if maximum // step <= 4:
                return step
        magnitude *= 10


def _year_labels(plot: _Plot, baseline: float) -> tuple[Label, ...]:
    """Years centred under their slots; every nth year (a multiple of n) when the slots are too narrow."""
    step = max(1, math.ceil((4 * DIGIT + FONT / 2) / plot.slot))
    return tuple(
        Label(round(plot.left + (index + 0.5) * plot.slot, 1), round(baseline, 1), "middle", str(year), "label")
        for index, year in enumerate(plot.years)
        if year % step == 0
    )


def _cells(plot: _Plot, counts: Sequence[tuple[Partner, tuple[int, ...]]], maximum: int, _: Words) -> tuple[Shape, ...]:
    width = round(plot.slot - 2, 1)  # a 2-unit gap keeps neighbouring cells apart
    shapes = []
    for row, (partner, per_year) in enumerate(counts):
        y = round(plot.top + row * ROW + 1, 1)
        for index, (year, count) in enumerate(zip(plot.years, per_year, strict=True)):
            x = round(plot.left + index * plot.slot + 1, 1)
            tooltip = f"{partner.name}, {year}: {_entries(_)(count)}"
            shapes.append(Shape(x, y, width, ROW - 2, f"cell level-{_level(count, maximum)}", tooltip))
    return tuple(shapes)


def _row_labels(plot: _Plot, partners: Sequence[Partner]) -> tuple[Label, ...]:
    x = round(plot.left - 6, 1)
    return tuple(
        Label(
            x, round(plot.top + (row + 0.5) * ROW + 0.35 * FONT, 1), "end", _shortened(partner.name), "label label-row"
        )
        for row, partner in enumerate(partners)
    )


def _shortened(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


def _level(count: int, maximum: int) -> int:
    """0 for none, else 1 to LEVELS in equal parts of the maximum, so the busiest cell is the darkest."""
    return 0 if count == 0 else math.ceil(LEVELS * count / maximum)


def _level_legend(maximum: int, _: Words) -> tuple[LegendKey, ...]:
    """What each shade means in counts; a level no whole count falls into is left out."""
    keys = [LegendKey(_("No entries"), "level-0")]
    for level in range(1, LEVELS + 1):
        counts = [count for count in range(1, maximum + 1) if _level(count, maximum) == level]
        if counts:
            low, high = counts[0], counts[-1]
            label = _entries(_)(low) if low == high else _("%(low)s–%(high)s entries", low=low, high=high)
            keys.append(LegendKey(label, f"level-{level}"))
    return tuple(keys)


def _entries(_: Words) -> Callable[[int], str]:
    return lambda count: _.plural("%(count)s entry", "%(count)s entries", count)


def _busiest_sentence(what: str, years: Sequence[int], counts: Sequence[int], detail: str, _: Words) -> str:
    if not years:
        return _("%(what)s: there are no entries yet.", what=what)
    most = max(counts)
    first, last = years[0], years[-1]
    if most == 0:
        return _("%(what)s from %(first)s to %(last)s: none in these years.", what=what, first=first, last=last)
    peaks = [str(year) for year, count in zip(years, counts, strict=True) if count == most]
    entries = _entries(_)(most)
    if len(peaks) == 1:
        peak = _("most in %(year)s (%(entries)s)", year=peaks[0], entries=entries)
    elif len(peaks) <= 3:
        peak = _("most in %(years)s and %(last)s (%(entries)s each)", years=", ".join(peaks[:-1]), last=peaks[-1],
                 entries=entries)  # fmt: skip
    else:
        peak = _("at most %(entries)s a year", entries=entries)
    return _("%(what)s from %(first)s to %(last)s, %(detail)s; %(peak)s.", what=what, first=first, last=last,
             detail=detail, peak=peak)  # fmt: skip


def _matrix_sentence(years: Sequence[int], shown: int, left_out: int, _: Words) -> str:
    if not years:
        return _("Entries per partner and year: there are no entries yet.")
    first, last = years[0], years[-1]
    if left_out:
        return _(
            "Entries per year from %(first)s to %(last)s for the %(top)s with the most entries, darker meaning more; "
            "%(more)s left out.", first=first, last=last,
            top=_.plural("%(count)s partner", "%(count)s partners", shown),
            more=_.plural("%(count)s more partner", "%(count)s more partners", left_out),
        )  # fmt: skip
    if shown == 1:
        return _("Entries per year from %(first)s to %(last)s for the one partner, darker meaning more.",
                 first=first, last=last)  # fmt: skip
    return _.plural(
        "Entries per year from %(first)s to %(last)s for each of the %(count)s partner, darker meaning more.",
        "Entries per year from %(first)s to %(last)s for each of the %(count)s partners, darker meaning more.",
        shown, first=first, last=last,
    )  # fmt: skip


def horizontal_bars(
    id_prefix: str,
    title: str,
    description: str,
    columns: tuple[str, str],
    rows: Sequence[tuple[str, str, Decimal, str]],
) -> BarChart:
    """One bar per row, longest first as given: (name, url, value, value as shown). Names on the left, the value
    at the end of each bar; the table lists the same."""
    longest = max((min(len(name), NAME_CHARS) for name, _, _, _ in rows), default=0)
    left = round(longest * LETTER + 8, 1)
    widest = max((len(shown) for _, _, _, shown in rows), default=0)
    plot = _Plot(left, 2.0, WIDTH - left - widest * DIGIT - 12, ROW * len(rows), ())
    maximum = max((value for _, _, value, _ in rows), default=Decimal(0)) or Decimal(1)
    bars, labels = [], []
    for index, (name, _, value, shown) in enumerate(rows):
        top = round(plot.top + index * ROW + 2, 1)
        length = round(float(value / maximum) * plot.width, 1)
        bars.append(Shape(plot.left, top, max(length, 0.5), ROW - 4, "bar bar-all", f"{name}: {shown}"))
        baseline = round(top + (ROW - 4) / 2 + 0.35 * FONT, 1)
        labels.append(Label(round(plot.left - 6, 1), baseline, "end", _shortened(name), "label label-row"))
        labels.append(Label(round(plot.left + length + 4, 1), baseline, "start", shown, "label"))
    table_rows = tuple(TableRow(name, url, (shown,)) for name, url, _, shown in rows)
    return BarChart(
        id_prefix=id_prefix,
        css_class="chart--list",
        title=title,
        description=description,
        width=WIDTH,
        height=round(plot.bottom + 4, 1),
        gridlines=(),
        bars=tuple(bars),
        labels=tuple(labels),
        legend=(),
        table=DataTable(title, columns, table_rows),
    )
