"""The timeline: every event with a time window, one row each, earliest first.

Each row has the event's words (its summary) on a line of its own and its window under them, so the
time axis has the chart's whole width on a phone as on a desktop. The scale is piecewise (years up
to the memo's year, then that year by month); the memo's own month is a shaded band. An open side
(a window the memo leaves unbounded there) is a short stub with a triangle pointing the open way,
never a bar to an invented date.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from ..gather import SiteData
from .palette import DASHES, GREY, INK, NARROW, PALETTE, SHAPES, config, cycle
from .render import READER, VEGA_LITE_SCHEMA

# Event fields the timeline draws as positions rather than lists in its details: the window the
# build derives from the stated date and the time links (contract/timeline.py).
DRAWN_DATES = ("time_start", "time_end")
OPEN = "open"
# Bar widths by basis, firmest first (stated, anchored, document-date).
BASIS_WIDTHS = [8, 5, 2.5, 1.5]
ROW = 42  # pixels per event: its words (two lines on a phone) and the bar under them
# Characters a line of words holds on a phone (about 320 px at 12 px DejaVu Sans); longer words
# take two lines there, and Vega cuts the second with an ellipsis if it is still too long.
PHONE_LINE = 50
STUB = 26  # pixels an open side's stub reaches from the known bound
# Below this drawing width the axis labels every tenth year and every third month.
EXPORT_WIDTH = 760


def _next_day(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


def _ms(iso: str) -> int:
    """Milliseconds since 1970 in UTC, as Vega reads dates."""
    day = dt.date.fromisoformat(iso)
    return (day - dt.date(1970, 1, 1)).days * 86_400_000


def memo_month(data: SiteData) -> dict[str, Any] | None:
    """The memo's own date as the documents table states it: first and last day and a label.

    The memo gives a month, so the label is the month (never a day the memo does not print).
    """
    doc = data.document
    if not (doc.get("date_start") and doc.get("date_end")):
        return None
    start = dt.date.fromisoformat(doc["date_start"])
    label = start.strftime("%B %Y") if doc.get("date_precision") == "month" else doc["date_edtf"]
    return {
        "start": _ms(doc["date_start"]),
        "end": _ms(_next_day(doc["date_end"])),
        "label": f"memo dated {label}",
        "edtf": doc.get("date_edtf", ""),
    }


def placed_events(data: SiteData) -> list[dict[str, Any]]:
    """Events with a time window (`time_start` / `time_end`), earliest first: one mark each.

    The window is the one the build derives (contract/timeline.py): a stated date, or the bounds
    the time links give (anchored to another event or to the memo's own date); `time_basis` says
    which. A bound the data leaves open stays open: `start` (or `end`) is then the known bound, and
    the details and the table say "open", never a date.
    """
    events = data.tables["events"]
    fields = events.schema.field_names
    placed = [r for r in events.rows if r.get("time_start") or r.get("time_end")]
    marks = []
    for r in sorted(
        placed,
        key=lambda r: (
            r.get("time_start") or r.get("time_end"),
            r.get("time_end") or "9999",
            r["event_id"],
        ),
    ):
        open_start, open_end = not r.get("time_start"), not r.get("time_end")
        first = r.get("time_start") or r["time_end"]
        last = r.get("time_end") or r["time_start"]
        bounds = {
            (False, False): "closed",
            (True, False): "open start",
            (False, True): "open end",
        }[(open_start, open_end)]
        if bounds != "closed":
            shape = bounds.replace(" ", "_")
        else:
            shape = "point" if first == last else "span"
        start, end = _ms(first), _ms(_next_day(last))  # end exclusive, so a day is a day wide
        marks.append(
            {
                **{f: r.get(f, "") for f in fields if f not in DRAWN_DATES},
                "label": r.get("summary") or r["event_id"],
                "bounds": bounds,
                "first_day": r.get("time_start", OPEN),
                "last_day": r.get("time_end", OPEN),
                "open_start": open_start,
                "open_end": open_end,
                # An open side has no date: the stub hangs off the known bound.
                "start": end if open_start else start,
                "end": start if open_end else end,
                "shape": shape,
                "href": f"{READER}#events/{r['event_id']}",
                "description": f"event {r['event_id']}",
            }
        )
    return marks


def _year_ticks(first_year: int, year: int, step: int) -> list[int]:
    """Years on a multiple of step, none closer than half a step to the memo's year (whose
    January tick names it), so no label is dropped for overlapping its neighbour."""
    return [
        _ms(f"{y}-01-01") for y in range(first_year, year) if y % step == 0 and year - y > step / 2
    ]


def time_axis(values: list[dict[str, Any]], memo: dict[str, Any] | None) -> dict[str, Any]:
    """A piecewise time scale that gives the memo's own year room, and its axis ticks.

    Most events fall in the months before the memo; a few go back decades. One linear scale would
    squeeze those months into a sliver, so years up to the memo's year take the left part and the
    memo's year by month the right part, the change marked by a dashed line. Every January tick
    reads as its year; the other ticks as months. Ticks thin out on a narrow chart, so every
    label fits and none is dropped.
    """
    known = [v["start"] for v in values] + [v["end"] for v in values]
    if memo:
        known += [memo["start"], memo["end"]]
    first = dt.date(1970, 1, 1) + dt.timedelta(milliseconds=min(known))
    last = dt.date(1970, 1, 1) + dt.timedelta(milliseconds=max(known))
    year = last.year if (last.month, last.day) != (1, 1) else last.year - 1
    cut = _ms(f"{year}-01-01")
    lo, hi = _ms(first.isoformat()), _ms(last.isoformat())
    months = [_ms(f"{year}-{m:02d}-01") for m in range(1, 13)]
    months = [m for m in months if lo <= m < hi]
    quarters = [m for i, m in enumerate(months) if i % 3 == 0 or m == cut]
    if lo >= cut:
        scale: dict[str, Any] = {"domain": [lo, hi], "zero": False, "nice": False}
        wide, narrow = months, quarters
        cut_ms = None
    else:
        scale = {
            "domain": [lo, cut, hi],
            "zero": False,
            "range": [0, {"expr": "round(width * 0.45)"}, {"expr": "width"}],
        }
        span = year - first.year
        wide = _year_ticks(first.year, year, 5 if span > 12 else 1) + months
        narrow = _year_ticks(first.year, year, 10 if span > 12 else 2) + quarters
        cut_ms = cut
    return {
        "scale": scale,
        "cut": cut_ms,
        "axis": {
            "values": {"expr": f"width < {NARROW} ? {narrow} : {wide}"},
            "labelExpr": "utcmonth(datum.value) === 0 ? utcFormat(datum.value, '%Y')"
            " : utcFormat(datum.value, '%b')",
            "grid": True,
            "gridColor": "#d9d9d9",
            "orient": "top",
            "labelOverlap": False,
            "labelFlush": True,
            "title": None,
            "titleFontWeight": "normal",
            "titleFontStyle": "italic",
        },
    }


# What the page's drawing reads of an event (its details come with the page's items instead).
PAGE_FIELDS = (
    "event_id",
    "label",
    "time_basis",
    "factuality",
    "start",
    "end",
    "shape",
    "description",
)


def _drawn(value: dict[str, Any]) -> dict[str, Any]:
    lines = textwrap.wrap(
        value["label"], PHONE_LINE, break_on_hyphens=False, break_long_words=False
    )
    rest = " ".join(lines[1:])
    return {**{f: value[f] for f in PAGE_FIELDS}, "lines": [lines[0], rest] if rest else lines}


def timeline_spec(data: SiteData, page: bool = False) -> dict[str, Any]:
    """The timeline as Vega-Lite: for the page (as wide as its container, no title, marks select
    rather than link) or standalone (fixed width, titled, each mark a link to the reader)."""
    events = data.contract["events"]
    bases = [b for b in events.enum("time_basis") if b != "unknown"]
    factuality = events.enum("factuality")
    values = placed_events(data)
    memo = memo_month(data)
    order = [v["event_id"] for v in values]
    axis: dict[str, Any] = (
        time_axis(values, memo) if values else {"scale": {"zero": False}, "cut": None, "axis": {}}
    )
    y = {
        "field": "event_id",
        "type": "nominal",
        "sort": order,
        "title": None,
        "axis": None,
        "scale": {"type": "band", "paddingInner": 0, "paddingOuter": 0},
    }
    x_axis: dict[str, Any] = dict(axis["axis"])
    if memo and x_axis:  # the shaded band's key, above the year labels
        x_axis["title"] = f"shaded: {memo['label']}"
    x = {"field": "start", "type": "quantitative", "scale": axis["scale"], "axis": x_axis}
    # The basis by colour and, for readers who cannot tell the colours apart, by thickness:
    # the firmer the placement, the thicker the bar (stated > anchored > the memo's date only).
    color = {
        "field": "time_basis",
        "type": "nominal",
        "title": "placed by",
        "scale": {"domain": bases, "range": cycle(PALETTE, len(bases))},
        "legend": {"symbolType": "stroke"},
    }
    thickness = {
        "field": "time_basis",
        "type": "nominal",
        "title": "placed by",
        "scale": {"type": "ordinal", "domain": bases, "range": BASIS_WIDTHS[: len(bases)]},
        "legend": {"symbolType": "stroke"},
    }
    bar_y = {**y, "bandPosition": 0.8}
    common: dict[str, Any] = {"y": bar_y, "color": color, "description": {"field": "description"}}
    if not page:
        common["href"] = {"field": "href"}
    dash = {
        "field": "factuality",
        "type": "nominal",
        "title": "factuality (bars)",
        "scale": {"domain": factuality, "range": cycle(DASHES, len(factuality))},
    }
    layers: list[dict[str, Any]] = []
    if memo:
        layers += [
            {
                "data": {"values": [memo]},
                "mark": {"type": "rect", "color": INK, "opacity": 0.08, "aria": False},
                "encoding": {"x": {**x, "field": "start"}, "x2": {"field": "end"}},
            },
        ]
    if axis["cut"] is not None:
        layers.append(
            {
                "data": {"values": [{"cut": axis["cut"]}]},
                "mark": {"type": "rule", "strokeDash": [3, 3], "color": GREY, "aria": False},
                "encoding": {"x": {**x, "field": "cut"}},
            }
        )
    if page:  # every row as one target for a finger or a mouse, tinted when selected
        layers.append(
            {
                "mark": {"type": "rect", "color": PALETTE[0], "cursor": "pointer", "aria": False},
                "encoding": {
                    "y": y,
                    "x": {"value": 0},
                    "x2": {"value": {"expr": "width"}},
                    "opacity": {
                        "condition": {"test": "datum.event_id === sel", "value": 0.12},
                        "value": 0,
                    },
                },
            }
        )
    layers += [
        {
            **(
                {
                    "transform": [
                        {
                            "calculate": f"width < {NARROW} ? datum.lines : datum.label",
                            "as": "words",
                        }
                    ]
                }
                if page
                else {}
            ),
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "top",
                "dy": 3,
                "fontSize": 12,
                "lineHeight": 14,
                "color": INK,
                "limit": {"expr": "width"} if page else EXPORT_WIDTH,
                "aria": False,
            },
            "encoding": {
                "y": {**y, "bandPosition": 0},
                "x": {"value": 0},
                "text": {"field": "words" if page else "label"},
                "fontWeight": {
                    "condition": {"test": "datum.event_id === sel", "value": "bold"},
                    "value": "normal",
                }
                if page
                else {"value": "normal"},
            },
        },
        {
            "transform": [{"filter": "datum.shape === 'span'"}],
            "mark": {"type": "rule", "strokeCap": "butt", "cursor": "pointer"},
            "encoding": {
                **common,
                "x": x,
                "x2": {"field": "end"},
                "strokeWidth": thickness,
                "strokeDash": dash,
            },
        },
        {
            "transform": [{"filter": "datum.shape === 'point'"}],
            "mark": {
                "type": "point",
                "filled": True,
                "size": 90,
                "opacity": 1,
                "cursor": "pointer",
            },
            "encoding": {
                **common,
                "x": x,
                "shape": {
                    "field": "factuality",
                    "type": "nominal",
                    "title": "factuality (points)",
                    "scale": {"domain": factuality, "range": cycle(SHAPES, len(factuality))},
                },
            },
        },
    ]
    # An open side: a stub from the known bound, a triangle at its tip pointing the open way.
    for side, offset, shape in (
        ("open_start", -STUB, "triangle-left"),
        ("open_end", STUB, "triangle-right"),
    ):
        layers += [
            {
                "transform": [{"filter": f"datum.shape === '{side}'"}],
                "mark": {
                    "type": "rule",
                    "strokeCap": "butt",
                    "cursor": "pointer",
                    "xOffset": min(offset, 0),
                    "x2Offset": max(offset, 0),
                },
                "encoding": {
                    **common,
                    "x": x,
                    "x2": {"field": "start"},
                    "strokeWidth": thickness,
                    "strokeDash": dash,
                },
            },
            {
                "name": side,  # the SVG's mark group is then `<side>_marks`
                "transform": [{"filter": f"datum.shape === '{side}'"}],
                "mark": {
                    "type": "point",
                    "shape": shape,
                    "filled": True,
                    "size": 110,
                    "opacity": 1,
                    "xOffset": offset,
                    "aria": False,
                },
                "encoding": {"x": x, "y": bar_y, "color": color},
            },
        ]
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "config": config(3, 6, page),
        "width": "container" if page else EXPORT_WIDTH,
        "height": {"step": ROW},
        "data": {"values": [_drawn(v) for v in values] if page else values},
        "layer": layers,
        "resolve": {"legend": {"shape": "independent"}},
    }
    if page:
        spec["params"] = [{"name": "sel", "value": ""}]
    else:
        counts = {b: sum(v["time_basis"] == b for v in values) for b in bases}
        spec["title"] = {
            "text": "Events of PONARS Eurasia Policy Memo No. 724 in time",
            "subtitle": [
                f"{len(values)} events with a time window, earliest first ("
                + ", ".join(f"{n} {b}" for b, n in counts.items())
                + "); a bar spans every day the memo allows,",
                "a triangle marks a side the memo leaves open"
                + ("; years left of the dashed line, months right of it" if axis["cut"] else ""),
            ],
            "anchor": "start",
        }
    return spec


# The fields the page's details list for an event, in this order (the rest is in the reader).
DETAIL_FIELDS = (
    "event_id",
    "date_text",
    "date_edtf",
    "first_day",
    "last_day",
    "bounds",
    "time_basis",
    "factuality",
)


def timeline_items(data: SiteData) -> dict[str, Any]:
    """What the page's script needs besides the drawing: events in keyboard (time) order."""
    return {
        "key": "event_id",
        "items": [
            {
                "id": v["event_id"],
                "label": v["label"],
                "href": v["href"],
                "fields": [[f, v[f]] for f in DETAIL_FIELDS if v.get(f) not in (None, "")],
            }
            for v in placed_events(data)
        ],
        "links": [],
    }
