"""Vega-Lite specs to SVG, PNG and the compiled Vega the pages draw, with vl-convert.

vl-convert runs Vega in an embedded runtime, so the standalone figures need no browser; the pages
get the spec compiled to Vega at build time (the browser does not compile Vega-Lite) and load Vega
from one shared file, `assets/vega-bundle.js`.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import vl_convert as vlc

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
PNG_SCALE = 2
# What the bundle exposes to the page's classic scripts (vl-convert's documented names). The pages
# call Vega-Embed with the compiled Vega spec. A bundle of Vega alone would be a third smaller (577
# KB against 898 KB), but vl-convert 1.9 binds its `vega` name to Vega's default export, which
# does not exist (null in the browser), and Vega-Embed does not re-export Vega on its function.
BUNDLE_SNIPPET = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"
# The page that marks link to, relative to the site folder; a standalone figure sits one folder
# down (figures/), so its links go up one.
READER = "reader.html"
FIGURE_FOLDER_PREFIX = "../"


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


# vl-convert resolves a mark's relative href against its own default base URL (a website of the
# Vega project): links in the SVG would leave the release. They are made relative to figures/.
_ABSOLUTE_HREF = re.compile(
    r'(href=")[a-z][a-z0-9+.-]*://[^"]*?/(' + re.escape(READER) + r'#[^"]*")'
)


def local_links(svg: str) -> str:
    return _ABSOLUTE_HREF.sub(lambda m: m.group(1) + FIGURE_FOLDER_PREFIX + m.group(2), svg)


# Rendering runs Vega in vl-convert's embedded runtime: seconds, not milliseconds. A release is
# written several times in one test session, so each spec is rendered once per process; the
# byte-identity test clears this cache to render afresh.
@functools.lru_cache(maxsize=8)
def _svg(spec_json: str) -> str:
    return local_links(stable_ids(vlc.vegalite_to_svg(json.loads(spec_json))))


@functools.lru_cache(maxsize=8)
def render_png(svg: str) -> bytes:
    """The PNG of a rendered SVG (no second run of Vega)."""
    return bytes(vlc.svg_to_png(svg, scale=PNG_SCALE))


def render_svg(spec: dict[str, Any]) -> str:
    return _svg(json.dumps(spec, sort_keys=True))


@functools.lru_cache(maxsize=8)
def _vega(spec_json: str) -> str:
    return json.dumps(vlc.vegalite_to_vega(json.loads(spec_json)), sort_keys=True)


def to_vega(spec: dict[str, Any]) -> dict[str, Any]:
    """The Vega spec a Vega-Lite spec compiles to (what the page hands to `vega.View`)."""
    compiled: dict[str, Any] = json.loads(_vega(json.dumps(spec, sort_keys=True)))
    return compiled


def clear_render_cache() -> None:
    _svg.cache_clear()
    _vega.cache_clear()
    render_png.cache_clear()


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one classic script, as vl-convert bundles them."""
    return vlc.javascript_bundle(BUNDLE_SNIPPET)


def bundle_versions() -> dict[str, str]:
    return {
        "vega": vlc.get_vega_version(),
        "vega-lite": vlc.get_vegalite_versions()[-1],
        "vega-embed": vlc.get_vega_embed_version(),
    }
