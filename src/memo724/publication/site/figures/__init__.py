"""The timeline and the actor network as Vega-Lite specifications, and their SVG, PNG and Vega.

The specs are data: vl-convert renders them to SVG and PNG without a browser and compiles them to
the Vega the pages draw with the bundled Vega. Every coded domain (precision, factuality, actor
kinds, relation types) comes from the schemas, so legends keep their order and a value added to
the contract is drawn without a change here. Modules, one job each: `palette` (colours, symbols,
the contrast rule), `timeline` and `network` (one spec each, for the page and standalone),
`render` (vl-convert: SVG, PNG, Vega, the bundle).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..gather import SiteData
from .network import link_lines, link_types, network_items, network_spec
from .render import (
    bundle_versions,
    clear_render_cache,
    render_png,
    render_svg,
    to_vega,
    vega_bundle,
)
from .timeline import memo_month, placed_events, timeline_items, timeline_spec

__all__ = [
    "Figure",
    "bundle_versions",
    "clear_render_cache",
    "figures",
    "link_lines",
    "link_types",
    "memo_month",
    "placed_events",
    "render_png",
    "render_svg",
    "to_vega",
    "vega_bundle",
]


@dataclass(frozen=True)
class Figure:
    """A chart: `spec` standalone (the SVG, PNG and .vl.json), `page` the Vega the page draws."""

    name: str
    title: str
    spec: dict[str, Any]
    page: dict[str, Any]
    items: dict[str, Any]


def figures(data: SiteData) -> list[Figure]:
    return [
        Figure(
            "timeline",
            "Timeline of events",
            timeline_spec(data),
            to_vega(timeline_spec(data, page=True)),
            timeline_items(data),
        ),
        Figure(
            "network",
            "Actor network",
            network_spec(data),
            _square(to_vega(network_spec(data, page=True))),
            network_items(data),
        ),
    ]


def _square(vega: dict[str, Any]) -> dict[str, Any]:
    """The page's network as tall as it is wide (Vega-Lite has no height that follows width)."""
    vega.pop("height", None)
    vega["signals"] = [
        *vega.get("signals", []),
        {"name": "height", "update": "max(280, min(width, 720))"},
    ]
    return vega
