"""The timeline and the network as files: legible colours, honest time, local links, light pages.

What a reader sees and does in a browser is in tests/test_charts_browser.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from memo724.contract.paths import REPO, Layout
from memo724.publication.site.figures import palette
from memo724.publication.site.figures.timeline import NARROW
from memo724.publication.site.gather import gather

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
XLINK = "{http://www.w3.org/1999/xlink}href"


def rows(table: str) -> list[dict[str, str]]:
    with REPO.table(table).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def day_ms(iso: str) -> int:
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days * 86_400_000


def drawn_colours(node: Any, inside: bool = False) -> set[str]:
    """Every #rrggbb a spec draws marks with: under a color, fill or stroke key (a mark's
    property, an encoding's value or condition, or a scale's range)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            found |= drawn_colours(value, inside or key in ("color", "fill", "stroke"))
    elif isinstance(node, list):
        for value in node:
            found |= drawn_colours(value, inside)
    elif isinstance(node, str) and inside:
        found |= {c.lower() for c in HEX.findall(node)}
    return found


def figure_specs(site: Path) -> dict[str, dict[str, Any]]:
    """Each chart's standalone Vega-Lite spec and the Vega its page draws."""
    out = {}
    for name in ("timeline", "network"):
        out[f"{name}.vl.json"] = json.loads(
            (site / "figures" / f"{name}.vl.json").read_text(encoding="utf-8")
        )
        html = (site / f"{name}.html").read_text(encoding="utf-8")
        block = re.search(r'<script type="application/json" id="chart-spec">(.*?)</script>', html)
        assert block, name
        out[f"{name}.html"] = json.loads(block.group(1))
    return out


def test_the_contrast_ratio_is_wcags() -> None:
    assert palette.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert palette.contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert palette.contrast("#777777") == pytest.approx(4.48, abs=0.01)
    # The colours the issue found illegible fail the rule the palette is held to.
    assert palette.contrast("#f0e442") < 3 and palette.contrast("#e69f00") < 3


def test_every_chart_draws_with_at_most_eight_colours_each_3_to_1_on_its_background(
    site_release: Path,
) -> None:
    assert len(palette.PALETTE) <= 8
    for name, spec in figure_specs(site_release / "site").items():
        background = spec.get("background") or spec["config"]["background"]
        assert background.lower() == palette.BACKGROUND, name
        colours = drawn_colours(spec) - {background.lower()}
        assert colours, name
        assert len(colours) <= 8, (name, sorted(colours))
        low = {c: round(palette.contrast(c, background), 2) for c in colours}
        assert all(ratio >= 3 for ratio in low.values()), (name, low)
        assert colours <= {c.lower() for c in palette.PALETTE}, name
        # Drawn at full strength: a mark's opacity would pale its colour below the ratio.
        for layer in spec.get("layer", []):
            mark = layer["mark"]
            if mark.get("type") in ("point", "rule") and mark.get("aria") is not False:
                assert mark.get("opacity", 1 if mark["type"] == "rule" else 0.7) == 1, (name, mark)
    # The chart's box on the page has the background the ratios were computed against.
    css = (site_release / "site" / "assets" / "site.css").read_text(encoding="utf-8")
    box = re.search(r"^\.chart \{[^}]*background: (#[0-9a-f]+);", css, re.MULTILINE)
    assert box and box.group(1) in ("#fff", palette.BACKGROUND)


def test_the_exported_figures_link_only_inside_the_release(site_release: Path) -> None:
    figures = site_release / "site" / "figures"
    for name in ("timeline", "network"):
        svg = ElementTree.parse(figures / f"{name}.svg").getroot()
        links = [e.get("href") or e.get(XLINK) for e in svg.iter() if e.get("href") or e.get(XLINK)]
        assert links, name  # every mark still opens its record
        for link in links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, link
            assert (figures / parts.path).resolve().is_file(), link
        text = (figures / f"{name}.svg").read_text(encoding="utf-8")
        assert not re.search(r'(?<!xmlns)(?<!xmlns:xlink)="https?://', text), name


class Assets(HTMLParser):
    """The files a page loads: scripts, stylesheets and images, and any inline script's size."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []
        self.inline = 0
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.files.append(a["src"] or "")
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.files.append(a.get("href") or "")
        self._script = tag == "script" and not a.get("src") and a.get("type") is None

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.inline += len(data)


@pytest.mark.parametrize("page", ["timeline", "network"])
def test_a_chart_page_loads_the_shared_vega_bundle_as_a_file(site_release: Path, page: str) -> None:
    site = site_release / "site"
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    parser = Assets()
    parser.feed(html)
    assert "assets/vega-bundle.js" in parser.files
    assert parser.inline == 0  # no code inlined, least of all the bundle
    for src in parser.files:
        assert not urlsplit(src).scheme and (site / src).is_file(), src
    bundle = (site / "assets" / "vega-bundle.js").stat().st_size
    page_bytes = len(html.encode("utf-8"))
    # The page itself is a small share of what it loads; the bundle is cached across pages.
    assert page_bytes < 0.2 * bundle, (page_bytes, bundle)


def _ticks(expr: str, narrow: bool) -> list[int]:
    match = re.fullmatch(r"width < (\d+) \? (\[[^]]*\]) : (\[[^]]*\])", expr)
    assert match, expr
    assert int(match.group(1)) == NARROW
    return json.loads(match.group(2) if narrow else match.group(3))


def _scale(x: dict[str, Any], width: float) -> Any:
    domain = x["domain"]
    stops = {"round(width * 0.45)": round(width * 0.45), "width": width}
    span = [stops[r["expr"]] if isinstance(r, dict) else r for r in x.get("range", [0, width])]

    def px(ms: float) -> float:
        for (d0, d1), (r0, r1) in zip(pairwise(domain), pairwise(span), strict=True):
            if d0 <= ms <= d1:
                return r0 + (ms - d0) / (d1 - d0) * (r1 - r0)
        raise AssertionError(ms)

    return px


def timeline_x(site_release: Path) -> dict[str, Any]:
    spec = json.loads(
        (site_release / "site" / "figures" / "timeline.vl.json").read_text(encoding="utf-8")
    )
    return next(
        layer["encoding"]["x"]
        for layer in spec["layer"]
        if layer.get("encoding", {}).get("x", {}).get("field") == "start"
    )


@pytest.mark.parametrize("width", [320, 1180], ids=["phone", "desktop"])
def test_the_time_axis_labels_every_year_and_its_labels_never_overlap(
    site_release: Path, width: int
) -> None:
    x = timeline_x(site_release)
    axis = x["axis"]
    assert axis["labelOverlap"] is False  # Vega may not drop a label: none may need dropping
    assert "utcmonth(datum.value) === 0 ? utcFormat(datum.value, '%Y')" in axis["labelExpr"]
    ticks = _ticks(axis["values"]["expr"], narrow=width < NARROW)
    px = _scale(x["scale"], width)
    days = [dt.date(1970, 1, 1) + dt.timedelta(milliseconds=t) for t in ticks]
    labels = [str(d.year) if d.month == 1 else d.strftime("%b") for d in days]
    memo = rows("documents")[0]
    assert memo["date_start"][:4] in labels  # the memo's year is printed
    assert all(d.day == 1 for d in days)
    # 7 px a character at 12 px DejaVu Sans, labels centred on their tick: a gap between any two.
    for (a, la), (b, lb) in pairwise(zip(ticks, labels, strict=True)):
        assert px(b) - px(a) >= 3.5 * (len(la) + len(lb)) + 4, (la, lb, width)


def test_the_memo_month_is_marked_as_the_documents_table_gives_it(site_release: Path) -> None:
    memo = rows("documents")[0]
    spec = json.loads(
        (site_release / "site" / "figures" / "timeline.vl.json").read_text(encoding="utf-8")
    )
    bands = [
        layer["data"]["values"][0]
        for layer in spec["layer"]
        if layer.get("mark", {}).get("type") == "rect" and "data" in layer
    ]
    assert len(bands) == 1
    band = bands[0]
    assert band["start"] == day_ms(memo["date_start"])
    end = dt.date.fromisoformat(memo["date_end"]) + dt.timedelta(days=1)
    assert band["end"] == day_ms(end.isoformat())
    month = dt.date.fromisoformat(memo["date_start"]).strftime("%B %Y")
    assert memo["date_precision"] == "month" and band["label"] == f"memo dated {month}"
    assert not re.search(r"\b\d{1,2} " + month, band["label"])  # a month, never a day


def test_an_open_side_has_no_date_and_reaches_no_edge(site_release: Path) -> None:
    spec = json.loads(
        (site_release / "site" / "figures" / "timeline.vl.json").read_text(encoding="utf-8")
    )
    values = {v["event_id"]: v for v in spec["data"]["values"]}
    events = [r for r in rows("events") if r["time_start"] or r["time_end"]]
    earliest = min(day_ms(r["time_start"]) for r in events if r["time_start"])
    opened = [r for r in events if not (r["time_start"] and r["time_end"])]
    assert opened
    for r in opened:
        v = values[r["event_id"]]
        known = r["time_start"] or r["time_end"]
        assert v["bounds"] in ("open start", "open end")
        assert v["start"] == v["end"]  # one point in time: the known bound, nothing invented
        bound = day_ms(known) if r["time_start"] else day_ms(known) + 86_400_000
        assert v["start"] == bound, r["event_id"]
        if not r["time_start"]:
            assert v["first_day"] == "open" and v["start"] > earliest


def test_rows_are_labelled_by_their_words_with_the_id_in_the_details(site_release: Path) -> None:
    html = (site_release / "site" / "timeline.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="chart-items">(.*?)</script>', html)
    assert block
    items = json.loads(block.group(1))["items"]
    summaries = {r["event_id"]: r["summary"] for r in rows("events")}
    assert items and all(item["label"] == summaries[item["id"]] for item in items)
    assert all(["event_id", item["id"]] in item["fields"] for item in items)


class TextList(HTMLParser):
    """The network page's text alternative: actor id -> the words of its list item."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: dict[str, str] = {}
        self._id: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "li" and (a.get("id") or "").startswith("actor-"):
            self._id = (a["id"] or "")[6:]
            self.items[self._id] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._id = None

    def handle_data(self, data: str) -> None:
        if self._id:
            self.items[self._id] += data


def test_the_network_in_words_says_whom_each_actor_is_linked_to(site_release: Path) -> None:
    html = (site_release / "site" / "network.html").read_text(encoding="utf-8")
    parser = TextList()
    parser.feed(html)
    actors = {r["actor_id"]: r["name"] for r in rows("actors")}
    assert list(parser.items) == sorted(actors, key=lambda a: (actors[a].casefold(), a))
    for r in rows("relations"):
        subject, kind, other = r["subject_actor_id"], r["relation_type"], r["object_actor_id"]
        said = re.search(rf"{re.escape(kind)} → ([^;]*)", parser.items[subject])
        assert said and actors[other] in said.group(1), (subject, kind, other)
        heard = re.search(rf"← {re.escape(kind)} ([^;]*)", parser.items[other])
        assert heard and actors[subject] in heard.group(1), (other, kind, subject)


def test_the_relation_filter_offers_each_drawn_link_type_with_its_count(
    site_release: Path,
) -> None:
    html = (site_release / "site" / "network.html").read_text(encoding="utf-8")
    options = re.findall(r'<option value="([^"]*)">[^<]*\((\d+)\)</option>', html)
    counts: dict[str, int] = {}
    for r in rows("relations"):
        counts[r["relation_type"]] = counts.get(r["relation_type"], 0) + 1
    offered = dict(options)
    assert {t: int(offered[t]) for t in counts} == counts
    # The codebook's order, types with no relation left out.
    enum = gather(Layout(site_release)).contract["relations"].enum("relation_type")
    listed = [t for t, _ in options if t in enum]
    assert listed == [t for t in enum if t in counts]


def test_on_a_phone_a_rows_words_take_two_lines_and_lose_none(site_release: Path) -> None:
    spec = figure_specs(site_release / "site")["timeline.html"]
    values = next(
        d["values"] for d in spec["data"] if d.get("values") and "lines" in d["values"][0]
    )
    summaries = {r["event_id"]: r["summary"] for r in rows("events")}
    for v in values:
        assert 1 <= len(v["lines"]) <= 2, v["event_id"]
        assert " ".join(v["lines"]) == v["label"] == summaries[v["event_id"]]
    assert any(len(v["lines"]) == 2 for v in values)
