"""The release's static site, read as files: every span marked, links resolve, same bytes twice.

The browser tests (tests/test_site_browser.py) check what a reader sees; these check the files.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import struct
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest

from memo724.contract import Contract
from memo724.contract.errors import DatasetError
from memo724.contract.paths import REPO, Layout
from memo724.publication.release import DOCS
from memo724.publication.site import write_site
from memo724.publication.site.figures import clear_render_cache
from memo724.publication.site.figures.timeline import STUB
from memo724.publication.site.gather import Evidence, gather
from memo724.publication.site.marks import DEFAULT_LAYERS, RANK_EVIDENCE, Interval, _render
from memo724.publication.site.profiles import Profiles


def rows(table: str) -> list[dict[str, str]]:
    with REPO.table(table).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# Content table -> its column in evidence, as the contract declares them.
SUBJECTS = Contract(REPO.schemas).evidence_subjects


def record_table(row: dict[str, str]) -> str:
    """The table of the record an evidence row supports: the one subject column filled."""
    return next(t for t, column in SUBJECTS.items() if row.get(column))


class MarkText(HTMLParser):
    """Collects, per evidence id, the text inside its marks and how its fragments are tagged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.text: dict[str, str] = {}
        self.first: list[str] = []
        self.fragments: dict[str, int] = {}
        self.tabindex: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        ev = a.get("data-ev") if tag == "mark" and "sample" not in (a.get("class") or "") else None
        if ev:
            self.fragments[ev] = self.fragments.get(ev, 0) + 1
            if a.get("id"):
                self.first.append(ev)
                assert a["id"] == f"ev-{ev}"
                self.tabindex[ev] = a.get("tabindex") or ""
            else:
                assert "tabindex" not in a
        self.stack.append(ev)

    def handle_endtag(self, tag: str) -> None:
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for ev in set(self.stack):
            if ev:
                self.text[ev] = self.text.get(ev, "") + data


def test_every_evidence_row_is_one_tab_stop_whose_marks_hold_its_exact_words(
    site_release: Path,
) -> None:
    html = (site_release / "site" / "reader.html").read_text(encoding="utf-8")
    article = html[html.index('<article class="memo"') : html.index("</article>")]
    parser = MarkText()
    parser.feed(article)
    evidence = rows("evidence")
    assert sorted(parser.first) == sorted(r["evidence_id"] for r in evidence)
    for r in evidence:
        assert parser.text[r["evidence_id"]] == r["exact"], r["evidence_id"]
        # A tab stop while its layer is drawn; the reader opens with DEFAULT_LAYERS drawn.
        drawn = record_table(r) in DEFAULT_LAYERS
        assert parser.tabindex[r["evidence_id"]] == ("0" if drawn else "-1"), r["evidence_id"]
    # Overlapping spans that cross (neither holds the other) are split into fragments.
    assert any(n > 1 for n in parser.fragments.values())


# Superscript digits, as the memo prints its footnote markers (written out here, not imported).
SUPERSCRIPTS = re.compile("[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+")


class FootnoteLinks(HTMLParser):
    """Each run of superscript digits in the text, with the href of the link around it."""

    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.markers: list[tuple[str, str | None]] = []  # (marker, href of the enclosing <a>)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        links = [a for tag, a in self.stack if tag == "a"]
        for marker in SUPERSCRIPTS.findall(data):
            self.markers.append((marker, links[-1].get("href") if links else None))


def test_every_footnote_marker_in_the_reader_links_to_its_footnote(site_release: Path) -> None:
    html = (site_release / "site" / "reader.html").read_text(encoding="utf-8")
    article = html[html.index('<article class="memo"') : html.index("</article>")]
    parser = FootnoteLinks()
    parser.feed(article)
    footnotes = {r["marker"]: r["source_id"] for r in rows("sources") if r["marker"]}
    assert footnotes == {"\u00b9": "footnote-1", "\u00b2": "footnote-2", "\u00b3": "footnote-3"}
    # Each marker is printed twice: where the text cites it and before the footnote itself.
    printed = SUPERSCRIPTS.findall(REPO.memo.read_text(encoding="utf-8"))
    assert len(printed) == 6
    assert sorted(m for m, _ in parser.markers) == sorted(printed)
    for marker, href in parser.markers:
        assert href == f"#sources/{footnotes[marker]}", (marker, href)


def test_crossing_spans_nest_as_fragments_that_keep_their_id() -> None:
    def ev(eid: str, start: int, end: int) -> Evidence:
        return Evidence(eid, "events", eid, start, end, "", "p")

    text = "abcdefghij"
    spans = [ev("a", 0, 6), ev("b", 3, 9), ev("c", 4, 5)]
    intervals = [Interval(e.start, e.end, RANK_EVIDENCE, e.evidence_id, e) for e in spans]
    html = str(_render(text, 0, 10, intervals, {"events": 0}))
    parser = MarkText()
    parser.feed(html)
    assert parser.text == {"a": "abcdef", "b": "defghi", "c": "e"}
    assert parser.fragments == {"a": 1, "b": 2, "c": 1}
    assert sorted(parser.first) == ["a", "b", "c"]
    assert html.count("<mark") == html.count("</mark>") == 4


def test_the_site_is_byte_identical_when_rebuilt(site_release: Path, tmp_path: Path) -> None:
    again = tmp_path / "site"
    clear_render_cache()  # render the figures afresh, as another process would
    write_site(Layout(site_release), again)
    first = sorted(p.relative_to(site_release / "site") for p in (site_release / "site").rglob("*"))
    second = sorted(p.relative_to(again) for p in again.rglob("*"))
    assert first == second
    for rel in first:
        if (again / rel).is_file():
            assert (again / rel).read_bytes() == (site_release / "site" / rel).read_bytes(), rel


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def test_every_link_of_every_page_resolves_inside_the_release(site_release: Path) -> None:
    site = site_release / "site"
    pages = sorted(site.rglob("*.html"))
    top = ["index.html", "network.html", "profiles.html", "reader.html", "timeline.html"]
    profiles = [f"actors/{r['actor_id']}.html" for r in rows("actors")]
    profiles += [f"events/{r['event_id']}.html" for r in rows("events")]
    assert sorted(p.relative_to(site).as_posix() for p in pages) == sorted(top + profiles)
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.links, page.name
        for link in parser.links:
            assert not re.match(r"^[a-z]+:", link), f"{page.name} points outside: {link}"
            path = link.split("#", 1)[0]
            if path:
                assert (page.parent / path).resolve().is_file(), f"{page.name}: {link} is missing"
    for asset in (site / "assets").glob("*.css"):
        assert "url(http" not in asset.read_text(encoding="utf-8")
        assert "@import" not in asset.read_text(encoding="utf-8")


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_figures_are_written_standalone_with_one_mark_per_record(site_release: Path) -> None:
    figures = site_release / "site" / "figures"
    placed = {r["event_id"] for r in rows("events") if r["time_start"] or r["time_end"]}
    actors = {r["actor_id"] for r in rows("actors")}
    for name, prefix, expected in (("timeline", "event ", placed), ("network", "actor ", actors)):
        svg = ElementTree.parse(figures / f"{name}.svg").getroot()
        labels = [
            e.get("aria-label", "")[len(prefix) :]
            for e in svg.iter()
            if e.get("aria-label", "").startswith(prefix)
        ]
        assert sorted(labels) == sorted(expected), name
        width, height = png_size(figures / f"{name}.png")
        assert width >= 2 * int(float(svg.get("width", "0"))) > 0
        assert height >= 2 * int(float(svg.get("height", "0"))) > 0
        spec = json.loads((figures / f"{name}.vl.json").read_text(encoding="utf-8"))
        assert spec["$schema"].endswith("vega-lite/v6.json")


def test_index_counts_every_table_and_links_its_files(site_release: Path) -> None:
    html = (site_release / "site" / "index.html").read_text(encoding="utf-8")
    for table in sorted(p.stem for p in REPO.schemas.glob("*.json")):
        count = len(rows(table))
        assert re.search(rf"<code>{table}</code></th><td class=\"num\">{count}</td>", html), table
        assert f'href="../data/{table}.csv"' in html
    for doc in DOCS:  # the codebook, the data card and the rest the release ships
        assert f'href="../{doc}"' in html, doc
    assert "How to cite" in html


class JsonLd(HTMLParser):
    """The text of every `<script type="application/ld+json">` of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self.inside:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.blocks[-1] += data


def test_index_embeds_the_dataset_as_schema_org_json_ld(site_release: Path) -> None:
    parser = JsonLd()
    parser.feed((site_release / "site" / "index.html").read_text(encoding="utf-8"))
    (block,) = parser.blocks
    assert "<" not in block  # nothing in the JSON can close the script early
    dataset = json.loads(block)
    descriptor = json.loads((site_release / "datapackage.json").read_text(encoding="utf-8"))
    cff = (site_release / "CITATION.cff").read_text(encoding="utf-8")
    assert dataset["@context"] == "https://schema.org/" and dataset["@type"] == "Dataset"
    assert dataset["name"] == descriptor["title"]
    assert dataset["description"] == descriptor["description"]
    assert dataset["version"] == descriptor["version"]
    assert dataset["license"] == ["https://creativecommons.org/licenses/by/4.0/"]
    assert dataset["keywords"] == descriptor["keywords"]
    author = re.search(r'^authors:\n  - name: "(.+)"$', cff, re.MULTILINE)
    assert author and dataset["creator"] == {"@type": "Organization", "name": author[1]}
    # Dated as the citation is: between releases (an Unreleased top entry) neither has a date.
    released = re.search(r'^date-released: "(.+)"$', cff, re.MULTILINE)
    assert dataset.get("datePublished") == (released[1] if released else None)
    # A download for the memo and every table, each a file of the package beside the site.
    data_files = sorted(p.name for p in (site_release / "data").iterdir())
    downloads = dataset["distribution"]
    assert sorted(d["contentUrl"].removeprefix("../data/") for d in downloads) == data_files
    for download in downloads:
        assert download["@type"] == "DataDownload"
        assert (site_release / "site" / download["contentUrl"]).is_file()
        suffix = download["contentUrl"].rsplit(".", 1)[1]
        assert download["encodingFormat"] == {"csv": "text/csv", "txt": "text/plain"}[suffix]


def day_ms(iso: str) -> int:
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days * 86_400_000


def next_day(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


def x_scale(spec: dict) -> tuple[Callable[[int], float], tuple[float, float]]:
    """The timeline's x scale as the spec declares it (piecewise linear) and its pixel range."""
    x = next(
        layer["encoding"]["x"]["scale"]
        for layer in spec["layer"]
        if layer["encoding"]["x"]["field"] == "start"
    )
    domain = x["domain"]
    width = spec["width"]
    # The range's inner stops are expressions of the width (`round(width * 0.45)`, `width`).
    stops = {"round(width * 0.45)": round(width * 0.45), "width": width}
    span = [stops[r["expr"]] if isinstance(r, dict) else r for r in x.get("range", [0, width])]
    return (lambda ms: float(np.interp(ms, domain, span))), (span[0], span[-1])


def drawn_events(svg: ElementTree.Element) -> dict[str, tuple[str, float, float, float, str, str]]:
    """event id -> (mark kind, first pixel, last pixel, row pixel, stroke or fill, stroke width)."""
    out = {}
    for e in svg.iter():
        label = e.get("aria-label", "")
        if not label.startswith("event "):
            continue
        x, y = translate(e)
        tag = e.tag.rsplit("}", 1)[-1]
        x2 = x + float(e.get("x2", "0")) if tag == "line" else x
        colour = e.get("stroke") if tag == "line" else e.get("fill")
        out[label[6:]] = (tag, x, x2, y, colour or "", e.get("stroke-width", ""))
    return out


def translate(e: ElementTree.Element) -> tuple[float, float]:
    match = re.search(r"translate\(([-\d.e]+),([-\d.e]+)\)", e.get("transform", ""))
    assert match, e.attrib
    return float(match.group(1)), float(match.group(2))


def open_triangles(svg: ElementTree.Element, side: str) -> list[tuple[float, float]]:
    """Where the triangles marking open sides stand: (x, y) of each symbol in `<side>_marks`."""
    groups = [g for g in svg.iter() if f"{side}_marks" in (g.get("class") or "").split()]
    assert len(groups) == 1, side
    return [translate(p) for p in groups[0] if p.tag.rsplit("}", 1)[-1] == "path"]


def test_every_event_with_a_window_is_drawn_over_exactly_its_window(site_release: Path) -> None:
    """Each event that has a time window (time_start / time_end, derived from the stated date and
    the time links) is one mark spanning that window and nothing more; an open side is a short
    stub from the known bound with a triangle at its tip, never a bar to the chart's edge; the
    basis is told apart by colour and thickness."""
    figures = site_release / "site" / "figures"
    spec = json.loads((figures / "timeline.vl.json").read_text(encoding="utf-8"))
    svg = ElementTree.parse(figures / "timeline.svg").getroot()
    drawn = drawn_events(svg)
    px, (left, right) = x_scale(spec)
    events = [r for r in rows("events") if r["time_start"] or r["time_end"]]
    assert {r["time_basis"] for r in events} == {"stated", "anchored", "document-date"}
    assert sorted(drawn) == sorted(r["event_id"] for r in events)
    by_basis: dict[str, set[tuple[str, str]]] = {}
    triangles: dict[str, list[tuple[float, float]]] = {"open_start": [], "open_end": []}
    for r in events:
        tag, first, last, y, colour, width = drawn[r["event_id"]]
        start = px(day_ms(r["time_start"])) if r["time_start"] else None
        end = px(day_ms(next_day(r["time_end"]))) if r["time_end"] else None
        if start is None:  # open start: the stub ends at the known bound, the tip points left
            assert end is not None and tag == "line", r["event_id"]
            start = end - STUB
            assert start > left - 0.5, r["event_id"]
        if end is None:
            assert tag == "line", r["event_id"]
            end = start + STUB
            assert end < right + 0.5, r["event_id"]
        if tag == "line":
            assert abs(first - start) < 0.5 and abs(last - end) < 0.5, (r["event_id"], first, last)
            by_basis.setdefault(r["time_basis"], set()).add((colour, width))
        else:  # a single day: a point at that day
            assert r["time_start"] == r["time_end"], r["event_id"]
            assert start - 0.5 < first < end + 0.5, r["event_id"]
        if not r["time_start"]:
            triangles["open_start"].append((start, y))
        if not r["time_end"]:
            triangles["open_end"].append((end, y))
    assert triangles["open_start"] and triangles["open_end"]
    # The spec's own data, to the day: the window's first day and the day after its last.
    values = {v["event_id"]: v for v in spec["data"]["values"]}
    for r in events:
        v = values[r["event_id"]]
        assert (v["first_day"], v["last_day"]) == (
            r["time_start"] or "open",
            r["time_end"] or "open",
        )
        if r["time_start"]:
            assert v["start"] == day_ms(r["time_start"]), r["event_id"]
        if r["time_end"]:
            assert v["end"] == day_ms(next_day(r["time_end"])), r["event_id"]
        if not (r["time_start"] and r["time_end"]):  # an open side: both on the known bound
            assert v["start"] == v["end"], r["event_id"]
    for side, expected in triangles.items():
        found = sorted(open_triangles(svg, side))
        assert len(found) == len(expected), side
        for (fx, fy), (ex, ey) in zip(found, sorted(expected), strict=True):
            assert abs(fx - ex) < 0.5 and abs(fy - ey) < 0.5, (side, fx, fy, ex, ey)
    styles = {basis: next(iter(s)) for basis, s in by_basis.items() if len(s) == 1}
    assert len(styles) == len(by_basis) == 3, by_basis
    assert len({colour for colour, _ in styles.values()}) == 3
    widths = [float(styles[b][1]) for b in ("stated", "anchored", "document-date")]
    assert widths == sorted(widths, reverse=True) and len(set(widths)) == 3


def test_the_timeline_table_says_open_and_the_basis_never_an_edge_date(site_release: Path) -> None:
    html = (site_release / "site" / "timeline.html").read_text(encoding="utf-8")
    for r in rows("events"):
        row = re.search(
            rf'<tr data-event="{re.escape(r["event_id"])}" data-basis="([^"]*)">(.*?)</tr>', html
        )
        if not (r["time_start"] or r["time_end"]):
            assert row is None, r["event_id"]
            assert f'reader.html#events/{r["event_id"]}"' in html
            continue
        assert row, r["event_id"]
        cells = re.findall(r"<td>(.*?)</td>", row.group(2))
        assert cells[0] == f'<a href="reader.html#events/{r["event_id"]}">{r["event_id"]}</a>'
        assert row.group(1) == r["time_basis"] == cells[3]
        assert cells[1] == (r["time_start"] or "open") and cells[2] == (r["time_end"] or "open")


class Elements(HTMLParser):
    """Every element of a page as (tag, attributes, its text), in document order."""

    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str], list[str]]] = []
        self.open: list[int] = []
        self.within: list[str] = []  # per element: the data-record of the nearest one around it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        around = [
            self.found[i][1]["data-record"] for i in self.open if "data-record" in self.found[i][1]
        ]
        self.within.append(around[-1] if around else "")
        self.found.append((tag, {k: v or "" for k, v in attrs}, []))
        if tag not in self.VOID:
            self.open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for i in self.open:
            self.found[i][2].append(data)

    def select(self, tag: str, cls: str = "") -> list[tuple[dict[str, str], str]]:
        return [
            (a, "".join(t))
            for g, a, t in self.found
            if g == tag and (not cls or cls in a.get("class", "").split())
        ]


def page(site_release: Path, rel: str) -> Elements:
    parser = Elements()
    parser.feed((site_release / "site" / rel).read_text(encoding="utf-8"))
    return parser


def test_the_reader_opens_on_one_layer_at_most_two_underlines_deep(site_release: Path) -> None:
    reader = page(site_release, "reader.html")
    marks = reader.select("mark", "ev")
    drawn = [a for a, _ in marks if "off" not in a["class"].split()]
    assert drawn and {a["data-t"] for a in drawn} == set(DEFAULT_LAYERS)
    assert {a["data-t"] for a, _ in marks if "off" in a["class"].split()} == (
        {record_table(r) for r in rows("evidence")} - set(DEFAULT_LAYERS)
    )
    assert max(int(a["style"].removeprefix("--d:")) for a in drawn) <= 2
    # Line height grows only past two drawn underlines, and no passage starts past two.
    assert "max(0, var(--dmax, 0) - 2)" in (site_release / "site/assets/site.css").read_text()
    assert max(int(a["style"].removeprefix("--dmax:")) for a, _ in reader.select("p", "passage"))
    assert all(
        int(a["style"].removeprefix("--dmax:")) <= 2
        for tag in ("p", "h2", "h3")
        for a, _ in reader.select(tag, "passage")
    )
    # One switch per kind of record, the default ones on.
    switches = [a for a in reader.select("input") if a[0].get("name") == "layer"]
    assert sorted(a["value"] for a, _ in switches) == sorted(
        {record_table(r) for r in rows("evidence")}
    )
    assert {a["value"] for a, _ in switches if "checked" in a} == set(DEFAULT_LAYERS)


def test_every_mention_of_an_actor_is_marked_not_one_per_spelling(site_release: Path) -> None:
    reader = page(site_release, "reader.html")
    mentions = reader.select("span", "mn")
    memo = REPO.memo.read_text(encoding="utf-8")
    russia = [t for a, t in mentions if "russia" in a["data-a"].split()]
    spellings = {r["exact"] for r in rows("evidence") if r["actor_id"] == "russia"}
    assert len(spellings) < 10 < len(russia)
    assert set(russia) <= spellings | {"Russia", "Moscow", "Russian", "Russian Federation"}
    # Every "Moscow" and every "Russia" standing alone in the memo is a marked mention.
    alone = len(re.findall(r"(?<!\w)Moscow(?!\w)", memo))
    alone += len(re.findall(r"(?<!\w)Russia(?!\w)", memo))
    assert russia.count("Moscow") + russia.count("Russia") == alone
    # Each actor's evidence words are themselves marked as its mention.
    marked: dict[str, list[str]] = {}
    for a, t in mentions:
        for actor in a["data-a"].split():
            marked.setdefault(actor, []).append(t)
    for r in rows("evidence"):
        if r["actor_id"]:
            assert r["exact"] in marked.get(r["actor_id"], []), r["evidence_id"]


def test_every_actor_and_event_has_a_profile_built_from_its_rows(site_release: Path) -> None:
    evidence = rows("evidence")

    def quotes(table: str, key: str) -> list[str]:
        column = SUBJECTS[table]
        return sorted(r["exact"] for r in evidence if r[column] == key)

    def items(parser: Elements) -> dict[str, list[str]]:
        """data-record -> the quotes listed under it in the profile."""
        found: dict[str, list[str]] = {}
        for (tag, a, text), within in zip(parser.found, parser.within, strict=True):
            if tag == "li" and "data-record" in a:
                found.setdefault(a["data-record"], [])
            elif tag == "a" and within and "reader.html#ev-" in a.get("href", ""):
                found[within].append("".join(text))
        return found

    russia = page(site_release, "actors/russia.html")
    listed = items(russia)
    expected = {
        f"relations/{r['relation_id']}"
        for r in rows("relations")
        if "russia" in (r["subject_actor_id"], r["object_actor_id"])
    }
    expected |= {
        f"events/{r['event_id']}" for r in rows("event_participants") if r["actor_id"] == "russia"
    }
    expected |= {
        f"positions/{r['position_id']}"
        for r in rows("positions")
        if "russia" in (r["holder_actor_id"], r["target_actor_id"])
    }
    expected |= {f"risks/{r['risk_id']}" for r in rows("risk_actors") if r["actor_id"] == "russia"}
    expected |= {
        f"risks/{r['risk_id']}" for r in rows("risks") if r["attributed_to_actor_id"] == "russia"
    }
    expected |= {
        f"assessments/{r['assessment_id']}"
        for r in rows("assessments")
        if r["subject_actor_id"] == "russia"
    }
    assert set(listed) == expected
    for record, shown in listed.items():
        table, key = record.split("/")
        assert sorted(shown) == quotes(table, key), record
    # Whom Russia cooperates with: the cooperates-with relations, each with its window.
    text = (site_release / "site/actors/russia.html").read_text(encoding="utf-8")
    for r in rows("relations"):
        if r["subject_actor_id"] == "russia" and r["relation_type"] == "cooperates-with":
            assert f'data-record="relations/{r["relation_id"]}"' in text
            assert f"window {r['time_start'] or 'open'} to {r['time_end'] or 'open'}" in text
    # The events Russia shares with the Taliban, earliest first, in one row of one table.
    row = re.search(
        r'<tr><th scope="row"><a href="\.\./actors/taliban\.html">Taliban</a></th>(.*?)</tr>',
        text,
        re.S,
    )
    assert row
    shared = re.findall(r'href="\.\./events/([a-z0-9-]+)\.html"', row.group(1))
    both = {
        e
        for e in {p["event_id"] for p in rows("event_participants") if p["actor_id"] == "russia"}
        if any(
            p["event_id"] == e and p["actor_id"] == "taliban" for p in rows("event_participants")
        )
    }
    assert sorted(shared) == sorted(both)
    starts = {r["event_id"]: r["time_start"] or r["time_end"] or "~" for r in rows("events")}
    assert [starts[e] for e in shared] == sorted(starts[e] for e in shared)
    # An event's profile: its summary, who took part in which role, and its quotes.
    for r in rows("events"):
        event = page(site_release, f"events/{r['event_id']}.html")
        (heading,) = [t for a, t in event.select("h1")]
        assert heading == r["summary"]
        own = items(event).pop("", None)
        assert own is None  # every quote of another row sits inside that row's item
        shown = [
            "".join(t)
            for (tag, a, t), within in zip(event.found, event.within, strict=True)
            if tag == "a" and "#ev-" in a.get("href", "") and not within
        ]
        assert sorted(shown) == quotes("events", r["event_id"])
        for record, listed_quotes in items(event).items():
            assert sorted(listed_quotes) == quotes(*record.split("/")), record
        who = {a["href"] for a, _ in event.select("a") if a["href"].startswith("../actors/")}
        assert who >= {
            f"../actors/{p['actor_id']}.html"
            for p in rows("event_participants")
            if p["event_id"] == r["event_id"]
        }


def test_an_id_that_cannot_name_a_profile_page_is_one_clear_error() -> None:
    data = gather(REPO)
    data.tables["actors"].rows[2] = {**data.tables["actors"].rows[2], "actor_id": "../evil"}
    with pytest.raises(DatasetError) as caught:
        Profiles(data)
    (line,) = str(caught.value).splitlines()
    assert line.startswith("actors.csv, row 4, field actor_id: value '../evil':")
    assert "(rule: profile-page-name)" in line


def test_each_table_is_named_in_lists_by_its_schemas_label_field() -> None:
    """The reader and the lists name a row by its schema's `labelField` (a passage by its
    words, an actor by its name); a table without one falls back to its first field."""
    data = gather(REPO)
    labels = {name: table.label for name, table in data.tables.items()}
    assert labels["passages"] == "text"
    assert labels["actors"] == "name" and labels["sources"] == "citation_text"
    assert labels["evidence"] == "evidence_id"  # no labelField: its first field
    stated = {n: s.descriptor.get("labelField") for n, s in data.contract.tables.items()}
    assert {n for n, label in labels.items() if stated[n] == label} == {
        n for n, f in stated.items() if f
    }
