"""The timeline and the actor network as Vega-Lite specifications, and their SVG and PNG.

The specs are data: Vega-Lite draws them, vl-convert renders them to SVG and PNG without a
browser, and the same spec runs in the page through the Vega bundle vl-convert ships. The network
layout is networkx's spring layout with a fixed seed, computed here at build time, rounded so the
bytes do not depend on the last bits of floating point.

Every coded domain (precision, factuality, actor kinds, relation types) comes from the schemas, so
legends keep their order and a value added to the contract is drawn without a change here.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

import networkx as nx
import vl_convert as vlc

from .gather import SiteData

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
LAYOUT_SEED = 724
PNG_SCALE = 2
READER = "reader.html"
# Event fields the timeline draws as positions rather than lists in its tooltip: the window the
# build derives from the stated date and the time links (contract/timeline.py).
DRAWN_DATES = ("time_start", "time_end")
OPEN = "open"
# Bar widths by basis, firmest first (stated, anchored, document-date).
BASIS_WIDTHS = [8, 5, 2.5, 1.5]
# What the bundle exposes to the page's classic scripts (vl-convert's documented names).
BUNDLE_SNIPPET = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Vega's filled symbols, then SVG paths in the unit square for more kinds than Vega names.
SHAPES = [
    "circle",
    "square",
    "triangle-up",
    "diamond",
    "cross",
    "triangle-down",
    "triangle-right",
    "triangle-left",
    "M0,-1L0.24,-0.33L0.95,-0.31L0.38,0.12L0.59,0.81L0,0.4L-0.59,0.81L-0.38,0.12L-0.95,-0.31"
    "L-0.24,-0.33Z",  # star
    "M0,-1L0.87,-0.5L0.87,0.5L0,1L-0.87,0.5L-0.87,-0.5Z",  # hexagon
    "M-1,-1L1,1L1,-1L-1,1Z",  # bow tie
    "M-1,-0.35H1V0.35H-1Z",  # bar
]
# Tableau's categorical palette for relation types; links from shared events are grey.
TABLEAU = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#86bcb6",
    "#d37295",
    "#a0cbe8",
    "#8cd17d",
    "#b6992d",
]
SHARED = "shared event"
SHARED_COLOUR = "#9a9a9a"
# Stroke dashes, each period short enough to show in a legend symbol: solid, dash, dot, ...
DASHES = [[1, 0], [6, 2], [2, 2], [1, 3.5], [5, 1.5, 1, 1.5], [3, 5]]
CONFIG: dict[str, Any] = {
    "font": "DejaVu Sans, Verdana, sans-serif",
    "view": {"stroke": None},
    "legend": {"labelLimit": 220, "symbolStrokeWidth": 2},
    "axis": {"labelFontSize": 11, "titleFontSize": 12},
}


def _cycle(values: list[Any], n: int) -> list[Any]:
    return list(itertools.islice(itertools.cycle(values), n))


def _next_day(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    spec: dict[str, Any]


def placed_events(data: SiteData) -> list[dict[str, Any]]:
    """Events with a time window (`time_start` / `time_end`), earliest first: one mark each.

    The window is the one the build derives (contract/timeline.py): a stated date, or the bounds
    the time links give (anchored to another event or to the memo's own date); `time_basis` says
    which. A bound the data leaves open is drawn to the edge of the chart (the earliest or latest
    day any window names, at least the memo's own date) and marked open there; its tooltip and the
    table say "open", never that edge's date.
    """
    events = data.tables["events"]
    fields = events.schema.field_names
    placed = [r for r in events.rows if r.get("time_start") or r.get("time_end")]
    if not placed:
        return []
    known = [r[f] for r in placed for f in DRAWN_DATES if r.get(f)]
    earliest = min(known)
    latest = max([*known, *([data.document["date_end"]] if data.document.get("date_end") else [])])
    marks = []
    for r in sorted(
        placed,
        key=lambda r: (r.get("time_start") or earliest, r.get("time_end") or latest, r["event_id"]),
    ):
        open_start, open_end = not r.get("time_start"), not r.get("time_end")
        start = r.get("time_start") or earliest
        last = r.get("time_end") or latest
        bounds = {
            (False, False): "closed",
            (True, False): "open start",
            (False, True): "open end",
            (True, True): "open",
        }[(open_start, open_end)]
        marks.append(
            {
                **{f: r.get(f, "") for f in fields if f not in DRAWN_DATES},
                "bounds": bounds,
                "first_day": r.get("time_start", OPEN),
                "last_day": r.get("time_end", OPEN),
                "open_start": open_start,
                "open_end": open_end,
                "start": _ms(start),
                "end": _ms(_next_day(last)),  # end exclusive, so a day is a day wide
                "edge_start": start,
                "edge_end": last,
                "shape": "point" if bounds == "closed" and start == last else "span",
                "href": f"{READER}#events/{r['event_id']}",
                "description": f"event {r['event_id']}",
            }
        )
    return marks


def _ms(iso: str) -> int:
    """Milliseconds since 1970 in UTC, as Vega reads dates."""
    day = dt.date.fromisoformat(iso)
    return (day - dt.date(1970, 1, 1)).days * 86_400_000


def time_axis(values: list[dict[str, Any]], width: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A time scale that gives the memo's own year room, and its axis.

    Most events fall in the months before the memo; a few go back decades. One linear scale would
    squeeze those months into a sliver, so the scale is piecewise: years up to the memo's year on
    the left part, the memo's year by month on the right part, the change marked on the chart.
    """
    first = min(v["edge_start"] for v in values)
    last = _next_day(max(v["edge_end"] for v in values))
    year = int(last[:4]) if last[5:] != "01-01" else int(last[:4]) - 1
    cut = f"{year}-01-01"
    if first >= cut:
        scale: dict[str, Any] = {"domain": [_ms(first), _ms(last)], "zero": False}
        ticks = [_ms(f"{year}-{m:02d}-01") for m in range(1, 13) if f"{year}-{m:02d}-01" >= first]
    else:
        scale = {
            "domain": [_ms(first), _ms(cut), _ms(last)],
            "zero": False,
            "range": [0, round(width * 0.45), width],
        }
        step = 5 if year - int(first[:4]) > 12 else 1
        years = [y for y in range(int(first[:4]), year) if y % step == 0]
        months = [f"{year}-{m:02d}-01" for m in range(1, 13) if f"{year}-{m:02d}-01" < last]
        ticks = [_ms(f"{y}-01-01") for y in years if f"{y}-01-01" >= first]
        ticks += [_ms(m) for m in months]
    axis = {
        "values": ticks,
        "labelExpr": "utcmonth(datum.value) === 0 ? utcFormat(datum.value, '%Y')"
        " : utcFormat(datum.value, '%b')",
        "grid": True,
        "orient": "top",
        "labelOverlap": True,
    }
    return scale, axis


def timeline_spec(data: SiteData) -> dict[str, Any]:
    events = data.contract["events"]
    bases = [b for b in events.enum("time_basis") if b != "unknown"]
    factuality = events.enum("factuality")
    values = placed_events(data)
    width = 560
    order = [v["event_id"] for v in values]
    # The event's own date fields as the schema has them (new ones included), then the window.
    dates = [f for f in events.field_names if f.startswith("date_")]
    tooltip = [
        {"field": f, "type": "nominal"}
        for f in (
            "event_id",
            "summary",
            *dates,
            "factuality",
            "time_basis",
            "first_day",
            "last_day",
            "bounds",
        )
    ]
    y = {
        "field": "event_id",
        "type": "nominal",
        "sort": order,
        "title": None,
        "axis": {"labelLimit": 260, "labelFontSize": 10},
    }
    scale, axis = time_axis(values, width) if values else ({"zero": False}, {})
    cut = scale["domain"][1] if len(scale.get("domain", [])) == 3 else None
    x = {
        "field": "start",
        "type": "quantitative",
        "title": "first to last possible day the memo supports (a triangle: open on that side)",
        "scale": scale,
        "axis": axis,
    }
    # The basis by colour and, for readers who cannot tell the colours apart, by thickness:
    # the firmer the placement, the thicker the bar (stated > anchored > the memo's date only).
    color = {
        "field": "time_basis",
        "type": "nominal",
        "title": "placed by",
        "scale": {"domain": bases, "range": _cycle(OKABE_ITO, len(bases))},
        "legend": {"symbolType": "stroke"},
    }
    thickness = {
        "field": "time_basis",
        "type": "nominal",
        "title": "placed by",
        "scale": {"type": "ordinal", "domain": bases, "range": BASIS_WIDTHS[: len(bases)]},
        "legend": {"symbolType": "stroke"},
    }
    common = {
        "y": y,
        "color": color,
        "href": {"field": "href"},
        "tooltip": tooltip,
        "description": {"field": "description"},
    }
    layers: list[dict[str, Any]] = []
    if cut is not None:
        layers.append(
            {
                "data": {"values": [{"cut": cut, "note": "years | months"}]},
                "mark": {"type": "rule", "strokeDash": [3, 3], "color": "#555", "aria": False},
                "encoding": {"x": {**x, "field": "cut"}},
            }
        )
    layers += [
        {
            "transform": [{"filter": "datum.shape === 'span'"}],
            "mark": {"type": "rule", "strokeCap": "butt", "cursor": "pointer"},
            "encoding": {
                **common,
                "x": x,
                "x2": {"field": "end"},
                "strokeWidth": thickness,
                "strokeDash": {
                    "field": "factuality",
                    "type": "nominal",
                    "title": "factuality (bars)",
                    "scale": {"domain": factuality, "range": _cycle(DASHES, len(factuality))},
                },
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
                    "scale": {"domain": factuality, "range": _cycle(SHAPES, len(factuality))},
                },
            },
        },
    ]
    # An open side ends in a triangle pointing off the chart: the window goes on past the edge.
    for side, field, shape in (
        ("open_start", "start", "triangle-left"),
        ("open_end", "end", "triangle-right"),
    ):
        layers.append(
            {
                "name": side,  # the SVG's mark group is then `<side>_marks`
                "transform": [{"filter": f"datum.{side}"}],
                "mark": {
                    "type": "point",
                    "shape": shape,
                    "filled": True,
                    "size": 120,
                    "opacity": 1,
                    "aria": False,
                },
                "encoding": {
                    "x": {**x, "field": field},
                    "y": y,
                    "color": color,
                    "tooltip": tooltip,
                },
            }
        )
    counts = {b: sum(v["time_basis"] == b for v in values) for b in bases}
    subtitle = [
        f"{len(values)} events with a time window, earliest first ("
        + ", ".join(f"{n} {b}" for b, n in counts.items())
        + ")",
        "a bar spans every day the memo allows",
    ]
    if cut is not None:
        subtitle[-1] += "; years left of the dashed line, months right of it"
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {
            "text": "Events of PONARS Eurasia Policy Memo No. 724 in time",
            "subtitle": subtitle,
        },
        "config": CONFIG,
        "width": width,
        "data": {"values": values},
        "layer": layers,
        "resolve": {"legend": {"strokeDash": "independent", "shape": "independent"}},
    }


def actor_graph(data: SiteData) -> nx.MultiGraph:
    """Actors as nodes; relations and shared event participation as typed edges."""
    graph = nx.MultiGraph()
    actors = data.tables["actors"]
    for row in sorted(actors.rows, key=lambda r: r["actor_id"]):
        graph.add_node(
            row["actor_id"], name=row.get("name", row["actor_id"]), kind=row.get("kind", "")
        )
    for row in sorted(data.tables["relations"].rows, key=lambda r: r["relation_id"]):
        a, b = row["subject_actor_id"], row["object_actor_id"]
        graph.add_edge(
            a,
            b,
            key=row["relation_id"],
            type=row.get("relation_type", "relation"),
            group="relation",
            label=row.get("summary", row["relation_id"]),
        )
    by_event: dict[str, list[str]] = {}
    for row in data.tables["event_participants"].rows:
        by_event.setdefault(row["event_id"], []).append(row["actor_id"])
    shared: dict[tuple[str, str], list[str]] = {}
    for event, actors_in in sorted(by_event.items()):
        for a, b in itertools.combinations(sorted(set(actors_in)), 2):
            shared.setdefault((a, b), []).append(event)
    for (a, b), events in sorted(shared.items()):
        graph.add_edge(
            a,
            b,
            key=f"shared:{a}:{b}",
            type=SHARED,
            group=SHARED,
            label=f"{len(events)} shared event(s): {', '.join(events)}",
        )
    return graph


def layout_positions(graph: nx.MultiGraph) -> dict[str, tuple[float, float]]:
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    for a, b in sorted({tuple(sorted((a, b))) for a, b in graph.edges()}):
        simple.add_edge(a, b)
    # ForceAtlas2 with strong gravity keeps the actors linked to nothing near the rest.
    pos = nx.forceatlas2_layout(simple, seed=LAYOUT_SEED, max_iter=500, strong_gravity=True)
    pos = nx.rescale_layout_dict(pos, scale=1)
    return {n: (round(float(x), 3), round(float(y), 3)) for n, (x, y) in sorted(pos.items())}


def network_spec(data: SiteData) -> dict[str, Any]:
    graph = actor_graph(data)
    pos = layout_positions(graph)
    kinds = data.contract["actors"].enum("kind")
    relation_types = data.contract["relations"].enum("relation_type")
    link_types = [*relation_types, SHARED]
    link_colours = [*_cycle(TABLEAU, len(relation_types)), SHARED_COLOUR]
    degree = dict(graph.degree())
    label_at = sorted(degree.values(), reverse=True)[min(14, len(degree) - 1)] if degree else 0
    nodes = [
        {
            "actor_id": n,
            "name": graph.nodes[n]["name"],
            "kind": graph.nodes[n]["kind"],
            "links": degree[n],
            "x": pos[n][0],
            "y": pos[n][1],
            "labelled": degree[n] >= max(label_at, 1),
            "href": f"{READER}#actors/{n}",
            "description": f"actor {n}",
        }
        for n in sorted(graph.nodes)
    ]
    edges = [
        {
            "source": a,
            "target": b,
            "type": attrs["type"],
            "group": attrs["group"],
            "label": attrs["label"],
            "x": pos[a][0],
            "y": pos[a][1],
            "x2": pos[b][0],
            "y2": pos[b][1],
        }
        for a, b, _key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2])
    ]
    axis_x = {
        "field": "x",
        "type": "quantitative",
        "axis": None,
        "scale": {"domain": [-1.1, 1.1], "nice": False},
    }
    axis_y = {
        "field": "y",
        "type": "quantitative",
        "axis": None,
        "scale": {"domain": [-1.1, 1.1], "nice": False},
    }
    n_rel = len(data.tables["relations"].rows)
    n_shared = len(edges) - n_rel
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {
            "text": "Actors of PONARS Eurasia Policy Memo No. 724",
            "subtitle": f"{len(nodes)} actors; {n_rel} relations (solid) and {n_shared} pairs "
            "taking part in the same event (dashed)",
        },
        "config": CONFIG,
        "width": 620,
        "height": 560,
        "layer": [
            {
                "data": {"values": edges},
                "mark": {"type": "rule", "strokeWidth": 1.5, "opacity": 0.75},
                "encoding": {
                    "x": axis_x,
                    "y": axis_y,
                    "x2": {"field": "x2"},
                    "y2": {"field": "y2"},
                    "color": {
                        "field": "type",
                        "type": "nominal",
                        "title": "link",
                        "scale": {"domain": link_types, "range": link_colours},
                    },
                    "strokeDash": {
                        "field": "group",
                        "type": "nominal",
                        "title": "link source",
                        "scale": {"domain": ["relation", SHARED], "range": [[1, 0], [4, 3]]},
                    },
                    "tooltip": [{"field": "label", "type": "nominal"}],
                },
            },
            {
                "data": {"values": nodes},
                "mark": {
                    "type": "point",
                    "filled": True,
                    "opacity": 1,
                    "stroke": "white",
                    "strokeWidth": 0.8,
                    "cursor": "pointer",
                },
                "encoding": {
                    "x": axis_x,
                    "y": axis_y,
                    "shape": {
                        "field": "kind",
                        "type": "nominal",
                        "title": "actor kind",
                        "scale": {"domain": kinds, "range": _cycle(SHAPES, len(kinds))},
                    },
                    "fill": {
                        "field": "kind",
                        "type": "nominal",
                        "title": "actor kind",
                        "scale": {"domain": kinds, "range": _cycle(OKABE_ITO, len(kinds))},
                    },
                    "size": {
                        "field": "links",
                        "type": "quantitative",
                        "title": "links",
                        "scale": {"range": [60, 400]},
                    },
                    "href": {"field": "href"},
                    "description": {"field": "description"},
                    "tooltip": [
                        {"field": "name", "type": "nominal"},
                        {"field": "actor_id", "type": "nominal"},
                        {"field": "kind", "type": "nominal"},
                        {"field": "links", "type": "quantitative"},
                    ],
                },
            },
            {
                "data": {"values": nodes},
                "transform": [{"filter": "datum.labelled"}],
                "mark": {"type": "text", "dy": -11, "fontSize": 10, "aria": False},
                "encoding": {"x": axis_x, "y": axis_y, "text": {"field": "name"}},
            },
        ],
        "resolve": {"scale": {"color": "independent"}},
    }


def figures(data: SiteData) -> list[Figure]:
    return [
        Figure("timeline", "Timeline of events", timeline_spec(data)),
        Figure("network", "Actor network", network_spec(data)),
    ]


def stable_ids(svg: str) -> str:
    """Number the SVG's element ids (Vega's clip paths) by first use, not by a process counter.

    Vega numbers clip paths from a counter that lives as long as the JavaScript runtime, so the
    second rendering in one process would otherwise get other ids than the first.
    """
    ids = list(dict.fromkeys(re.findall(r'\bid="([A-Za-z_-]+)(\d+)"', svg)))
    mapping: dict[str, str] = {}
    counters: dict[str, int] = {}
    for prefix, number in ids:
        counters[prefix] = counters.get(prefix, 0) + 1
        mapping[f"{prefix}{number}"] = f"{prefix}{counters[prefix]}"
    if not mapping:
        return svg
    pattern = re.compile(r'(id="|url\(#|href="#)(' + "|".join(map(re.escape, mapping)) + r")\b")
    return pattern.sub(lambda m: m.group(1) + mapping[m.group(2)], svg)


# Rendering runs Vega in vl-convert's embedded runtime: seconds, not milliseconds. A release is
# written several times in one test session, so each spec is rendered once per process; the
# byte-identity test clears this cache to render afresh.
@functools.lru_cache(maxsize=8)
def _svg(spec_json: str) -> str:
    return stable_ids(vlc.vegalite_to_svg(json.loads(spec_json)))


@functools.lru_cache(maxsize=8)
def render_png(svg: str) -> bytes:
    """The PNG of a rendered SVG (no second run of Vega)."""
    return bytes(vlc.svg_to_png(svg, scale=PNG_SCALE))


def render_svg(spec: dict[str, Any]) -> str:
    return _svg(json.dumps(spec, sort_keys=True))


def clear_render_cache() -> None:
    _svg.cache_clear()
    render_png.cache_clear()


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one classic script, as vl-convert ships them."""
    return vlc.javascript_bundle(BUNDLE_SNIPPET)


def bundle_versions() -> dict[str, str]:
    return {
        "vega": vlc.get_vega_version(),
        "vega-lite": vlc.get_vegalite_versions()[-1],
        "vega-embed": vlc.get_vega_embed_version(),
    }
