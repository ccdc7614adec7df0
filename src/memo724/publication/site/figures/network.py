"""The actor network: actors as nodes, relations and shared events as links.

The layout is networkx's ForceAtlas2 with a fixed seed, computed at build time and rounded so the
bytes do not depend on the last bits of floating point. Colour is spent on the actor's kind only
(with a shape each, so colour is never the only cue); links are grey, solid for a standing relation
and dashed for a shared event, since fifteen relation types cannot take fifteen legible colours.
On the page a selected actor's links turn dark and its neighbours are labelled; a relation type
can be chosen to show only those links (the page's script sets `sel`, `nb` and `rel`).
"""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx

from ..gather import SiteData
from .palette import GREY, INK, NARROW, PALETTE, SHAPES, config, cycle
from .render import READER, VEGA_LITE_SCHEMA

LAYOUT_SEED = 724
SHARED = "shared event"
RELATION = "relation"
# Labels drawn before any selection: the best-linked actors, fewer on a narrow chart.
LABELS_WIDE, LABELS_NARROW = 15, 6
EXPORT_WIDTH = 640
# The kinds' colours: the palette's hues, not its grey and ink (those draw the links and labels).
KIND_COLOURS = PALETTE[:6]


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
            # The graph is undirected; the relation's direction is kept here.
            subject=a,
            object=b,
            type=row.get("relation_type", RELATION),
            group=RELATION,
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
            subject=a,
            object=b,
            type=SHARED,
            group=SHARED,
            label=f"{len(events)} shared event(s): {', '.join(events)}",
            events=events,
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


def network_data(data: SiteData) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes (by name) and the links (by key) as the chart and the page's script read them."""
    graph = actor_graph(data)
    pos = layout_positions(graph)
    degree = dict(graph.degree())
    ranked = sorted(graph.nodes, key=lambda n: (-degree[n], graph.nodes[n]["name"], n))
    rank = {n: i for i, n in enumerate(ranked)}
    nodes = [
        {
            "actor_id": n,
            "name": graph.nodes[n]["name"],
            "kind": graph.nodes[n]["kind"],
            "links": degree[n],
            "rank": rank[n],
            "x": pos[n][0],
            "y": pos[n][1],
            "href": f"{READER}#actors/{n}",
            "description": f"actor {n}",
        }
        for n in sorted(graph.nodes, key=lambda n: (graph.nodes[n]["name"].casefold(), n))
    ]
    edges = [
        {
            "key": key,
            "source": attrs["subject"],
            "target": attrs["object"],
            "type": attrs["type"],
            "group": attrs["group"],
            "label": attrs["label"],
            "x": pos[attrs["subject"]][0],
            "y": pos[attrs["subject"]][1],
            "x2": pos[attrs["object"]][0],
            "y2": pos[attrs["object"]][1],
        }
        for _, _, key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2])
    ]
    return nodes, edges


def link_lines(data: SiteData) -> dict[str, list[str]]:
    """actor id -> its links in words, for the page's text alternative: one line per link type
    and direction, the other actors by name ("leads → A, B"; "← leads C": C leads this actor;
    "same event as D")."""
    nodes, edges = network_data(data)
    name = {n["actor_id"]: n["name"] for n in nodes}
    grouped: dict[str, dict[tuple[str, str], list[str]]] = {}
    for e in edges:
        for me, other, way in ((e["source"], e["target"], "→"), (e["target"], e["source"], "←")):
            key = (e["type"], "" if e["group"] == SHARED else way)
            grouped.setdefault(me, {}).setdefault(key, []).append(name[other])
    out: dict[str, list[str]] = {}
    for actor, by_type in grouped.items():
        lines = []
        for (kind, way), others in sorted(
            by_type.items(), key=lambda kv: (kv[0][0] == SHARED, kv[0])
        ):
            listed = ", ".join(sorted(set(others), key=str.casefold))
            if kind == SHARED:
                lines.append(f"same event as {listed}")
            elif way == "→":
                lines.append(f"{kind} → {listed}")
            else:
                lines.append(f"← {kind} {listed}")
        out[actor] = lines
    return out


def link_types(data: SiteData) -> list[tuple[str, int]]:
    """The link types drawn, in the codebook's order, shared events last, with their counts."""
    _, edges = network_data(data)
    order = [*data.contract["relations"].enum("relation_type"), SHARED]
    counts = {t: sum(e["type"] == t for e in edges) for t in order}
    return [(t, n) for t, n in counts.items() if n]


def network_items(data: SiteData) -> dict[str, Any]:
    """What the page's script needs besides the drawing: actors in keyboard order, and links."""
    nodes, edges = network_data(data)
    return {
        "key": "actor_id",
        "items": [
            {
                "id": n["actor_id"],
                "label": n["name"],
                "href": n["href"],
                "fields": [["actor_id", n["actor_id"]], ["kind", n["kind"]], ["links", n["links"]]],
            }
            for n in nodes
        ],
        "links": [{"source": e["source"], "target": e["target"], "type": e["type"]} for e in edges],
    }


def network_spec(data: SiteData, page: bool = False) -> dict[str, Any]:
    """The network as Vega-Lite: for the page (square, as wide as its container, no title, nodes
    select rather than link) or standalone (fixed size, titled, each node a link to the reader)."""
    nodes, edges = network_data(data)
    kinds = data.contract["actors"].enum("kind")
    n_rel = sum(e["group"] == RELATION for e in edges)
    axis_x = {
        "field": "x",
        "type": "quantitative",
        "axis": None,
        "scale": {"domain": [-1.1, 1.1], "nice": False, "zero": False},
    }
    axis_y = {**axis_x, "field": "y"}
    on = "datum.source === sel || datum.target === sel"
    near = "sel === '' || datum.actor_id === sel || indexof(nb, '|' + datum.actor_id + '|') >= 0"
    shown = "rel === '' || datum.type === rel"
    edge_layer: dict[str, Any] = {
        "data": {"name": "links"},
        "mark": {"type": "rule", "aria": False},
        "encoding": {
            "x": axis_x,
            "y": axis_y,
            "x2": {"field": "x2"},
            "y2": {"field": "y2"},
            "color": {"value": GREY},
            "strokeWidth": {"value": 1.2},
            "strokeDash": {
                "field": "group",
                "type": "nominal",
                "title": "link",
                "scale": {"domain": [RELATION, SHARED], "range": [[1, 0], [4, 3]]},
                "legend": {
                    "labelExpr": "datum.label === 'relation' ? 'standing relation'"
                    " : 'in the same event'"
                },
            },
        },
    }
    node_encoding: dict[str, Any] = {
        "x": axis_x,
        "y": axis_y,
        "shape": {
            "field": "kind",
            "type": "nominal",
            "title": "actor kind",
            "scale": {"domain": kinds, "range": cycle(SHAPES, len(kinds))},
        },
        "fill": {
            "field": "kind",
            "type": "nominal",
            "title": "actor kind",
            "scale": {"domain": kinds, "range": cycle(KIND_COLOURS, len(kinds))},
        },
        "size": {
            "field": "links",
            "type": "quantitative",
            "title": "links",
            "scale": {"range": [70, 420]},
            "legend": None,
        },
        "description": {"field": "description"},
    }
    label_filter = f"datum.rank < {LABELS_WIDE}"
    if page:
        edge_layer["transform"] = [{"filter": shown}]
        edge_layer["encoding"]["color"] = {"condition": {"test": on, "value": INK}, "value": GREY}
        edge_layer["encoding"]["strokeWidth"] = {
            "condition": {"test": on, "value": 2.6},
            "value": 1.2,
        }
        edge_layer["encoding"]["opacity"] = {
            "condition": {"test": f"sel === '' || {on}", "value": 1},
            "value": 0.18,
        }
        node_encoding["opacity"] = {"condition": {"test": near, "value": 1}, "value": 0.25}
        label_filter = (
            f"sel === '' ? datum.rank < (width < {NARROW} ? {LABELS_NARROW} : {LABELS_WIDE})"
            f" : ({near})"
        )
    else:
        node_encoding["href"] = {"field": "href"}
    # On the page, a disc round each node wider than a fingertip: a tap near a node selects it.
    targets = {
        "data": {"name": "actors"},
        "mark": {
            "type": "point",
            "filled": True,
            "size": 900,
            "color": INK,
            "opacity": 0,
            "cursor": "pointer",
            "aria": False,
        },
        "encoding": {"x": axis_x, "y": axis_y},
    }
    layers: list[dict[str, Any]] = [
        edge_layer,
        *([targets] if page else []),
        {
            "data": {"name": "actors"},
            "mark": {
                "type": "point",
                "filled": True,
                "opacity": 1,  # Vega-Lite's default for points, 0.7, would pale the colours
                "stroke": "#ffffff",
                "strokeWidth": 0.8,
                "cursor": "pointer",
            },
            "encoding": node_encoding,
        },
    ]
    if page:  # a ring round the selected actor
        layers.append(
            {
                "data": {"name": "actors"},
                "transform": [{"filter": "datum.actor_id === sel"}],
                "mark": {
                    "type": "point",
                    "size": 700,
                    "strokeWidth": 2.5,
                    "color": INK,
                    "aria": False,
                },
                "encoding": {"x": axis_x, "y": axis_y},
            }
        )
    # A label runs from its node towards the middle, so none reaches past the chart's edges.
    label_mark = {
        "type": "text",
        "dy": -12,
        "fontSize": 11,
        "color": INK,
        "align": {"expr": "datum.x < 0 ? 'left' : 'right'"},
        "dx": {"expr": "datum.x < 0 ? -6 : 6"},
        "limit": {"expr": "width * 0.6"} if page else EXPORT_WIDTH * 0.6,
    }
    layers.append(
        {
            "data": {"name": "actors"},
            "transform": [{"filter": label_filter}],
            "mark": {
                **label_mark,
                "stroke": "#ffffff",
                "strokeWidth": 3,
                "strokeOpacity": 0.85,
                "aria": False,
            },
            "encoding": {"x": axis_x, "y": axis_y, "text": {"field": "name"}},
        }
    )
    # Vega draws a text's halo over its fill; a second pass puts the words back on top.
    layers.append(
        {
            "data": {"name": "actors"},
            "transform": [{"filter": label_filter}],
            "mark": {**label_mark, "aria": False},
            "encoding": {"x": axis_x, "y": axis_y, "text": {"field": "name"}},
        }
    )
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "config": config(
            2, 4, page, labelLimit={"expr": f"width < {NARROW} ? 120 : 220"} if page else 220
        ),
        "width": "container" if page else EXPORT_WIDTH,
        "height": EXPORT_WIDTH,
        # Named once, drawn by several layers (links; nodes, ring and labels).
        "datasets": {
            "actors": nodes,
            # The page's details say what a link is; its drawing needs only the ends and type.
            "links": [{k: v for k, v in e.items() if k != "label"} for e in edges]
            if page
            else edges,
        },
        "layer": layers,
    }
    if page:
        spec["params"] = [
            {"name": "sel", "value": ""},
            {"name": "nb", "value": ""},
            {"name": "rel", "value": ""},
        ]
    else:
        spec["title"] = {
            "text": "Actors of PONARS Eurasia Policy Memo No. 724",
            "subtitle": f"{len(nodes)} actors; {n_rel} relations (solid) and "
            f"{len(edges) - n_rel} pairs taking part in the same event (dashed)",
            "anchor": "start",
        }
    return spec
