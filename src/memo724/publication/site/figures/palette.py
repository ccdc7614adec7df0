"""The figures' colours, symbols and dashes, and the contrast rule they keep.

One palette of eight colours serves both charts. It follows Okabe & Ito's hues (told apart with the
common colour-vision deficiencies), darkened where the original falls below 3:1 against the chart's
white background (WCAG 2.1's minimum for graphical objects): their orange, sky blue and yellow
give way to an ochre, a purple and a grey, and black to the page's ink.
"""

from __future__ import annotations

import itertools
from typing import Any

BACKGROUND = "#ffffff"
INK = "#1b1b1b"
PALETTE = [
    "#0072b2",  # blue
    "#d55e00",  # vermillion
    "#009e73",  # bluish green
    "#c4548a",  # reddish purple
    "#8a6d00",  # ochre
    "#6a3d9a",  # purple
    "#5a5a5a",  # grey
    INK,
]
GREY = PALETTE[6]
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
# Stroke dashes, each period short enough to show in a legend symbol: solid, dash, dot, ...
DASHES = [[1, 0], [6, 2], [2, 2], [1, 3.5], [5, 1.5, 1, 1.5], [3, 5]]
FONT = "DejaVu Sans, Verdana, sans-serif"
CONFIG: dict[str, Any] = {
    "background": BACKGROUND,
    "font": FONT,
    "view": {"stroke": None},
    "legend": {"labelLimit": 220, "symbolStrokeWidth": 2, "labelFontSize": 12, "titleFontSize": 12},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": INK, "titleColor": INK},
    "title": {"fontSize": 15, "subtitleFontSize": 12, "color": INK, "subtitleColor": INK},
}


# Below this chart width (px) a chart draws its phone layout: fewer legend columns and labels.
NARROW = 520


def config(phone: int, wide: int, page: bool, **legend: Any) -> dict[str, Any]:
    """CONFIG with the legend under the chart in columns: on a page, `phone` or `wide` by the
    chart's width; in an exported figure, `wide`. `legend` adds or overrides legend settings."""
    return {
        **CONFIG,
        "legend": {
            **CONFIG["legend"],
            "orient": "bottom",
            "layout": {"bottom": {"anchor": "start", "direction": "vertical", "margin": 10}},
            "columns": {"expr": f"width < {NARROW} ? {phone} : {wide}"} if page else wide,
            **legend,
        },
    }


def cycle(values: list[Any], n: int) -> list[Any]:
    return list(itertools.islice(itertools.cycle(values), n))


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour (a few lines: no library is needed)."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str = BACKGROUND) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours, from 1 to 21."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
