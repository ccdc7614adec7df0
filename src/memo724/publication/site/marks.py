"""The memo's passages as HTML with every evidence span marked, overlaps included.

Spans nest when one holds another and cross when neither does. HTML elements can only nest, so the
text is cut at every span boundary and the open elements are kept as a stack: at each cut the
elements that end or no longer fit are closed and the ones that begin are opened, outermost first.
A span that crosses another is thereby split into fragments; each fragment carries the span's id
in `data-ev`, and only the first has the element id and the tab stop, so every evidence row is one
keyboard stop and one `mark.ev[tabindex]`, however many fragments its words take.

The lost hyperlinks (`[anchor](#)`), the memo's emphasis (`*de facto*`) and the footnote markers
(¹ ²) are decorations placed by the same stack, inside the marks; their markup characters stay in
the page (offsets and quotes count them) but are hidden from view. So is every mention of an actor
(`span.mn[data-a]`, see `gather.mentions`): opening an actor highlights all of them, not only the
one quote per spelling its evidence marks.

The memo opens readable: only the kinds in `DEFAULT_LAYERS` are drawn (the others carry `off` and
leave the tab order) and a mark's depth (`--d`, how far down its underline sits) counts only the
drawn marks around it. The reader's layer switches redraw the rest in the page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from .gather import Evidence, SiteData, mentions

LOST_LINK = re.compile(r"\[([^\]\n]*)\]\(#\)")
EMPHASIS = re.compile(r"\*([^*\n]+)\*")
FOOTNOTE_MARKER = re.compile(r"[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+")
SUPERSCRIPT_DIGITS = str.maketrans(
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "0123456789"
)

# The stylesheet draws this many underline patterns (.k0 to .k7); more kinds reuse them.
PATTERNS = 8
# The kinds of record drawn when the reader opens: one layer, at most two underlines deep.
DEFAULT_LAYERS = ("events",)
# Decorations sit inside marks that share their bounds: a higher rank is opened later (inner).
RANK_EVIDENCE, RANK_LINK, RANK_SYNTAX, RANK_FOOTNOTE = 0, 1, 2, 2


@dataclass(frozen=True)
class Interval:
    start: int
    end: int
    rank: int
    ident: str  # stable tie-breaker and the evidence id of a mark
    evidence: Evidence | None = None
    tag: str = "span"
    attrs: tuple[tuple[str, str], ...] = ()

    def order(self) -> tuple[int, int, int, str]:
        """Outer before inner: earlier start, then later end, then rank, then id."""
        return (self.start, -self.end, self.rank, self.ident)


def _attrs(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {name}="{escape(value)}"' for name, value in pairs)


def decorations(text: str, offset: int, footnotes: dict[str, str]) -> list[Interval]:
    """Lost hyperlinks and footnote markers in one passage's text (offset: its start)."""
    found = []
    for m in LOST_LINK.finditer(text):
        s, e = offset + m.start(), offset + m.end()
        found.append(Interval(s, e, RANK_LINK, f"link-{s}", attrs=(("class", "lost-link"),)))
        hidden = (("class", "syntax"), ("aria-hidden", "true"))
        found.append(Interval(s, s + 1, RANK_SYNTAX, f"syn-{s}", attrs=hidden))
        close = offset + m.end(1)
        found.append(Interval(close, e, RANK_SYNTAX, f"syn-{close}", attrs=hidden))
    for m in EMPHASIS.finditer(text):
        s, e = offset + m.start(), offset + m.end()
        hidden = (("class", "syntax"), ("aria-hidden", "true"))
        found.append(Interval(s, e, RANK_LINK, f"em-{s}", tag="em"))
        found.append(Interval(s, s + 1, RANK_SYNTAX, f"syn-{s}", attrs=hidden))
        found.append(Interval(e - 1, e, RANK_SYNTAX, f"syn-{e - 1}", attrs=hidden))
    for m in FOOTNOTE_MARKER.finditer(text):
        s, e = offset + m.start(), offset + m.end()
        number = m.group().translate(SUPERSCRIPT_DIGITS)
        target = footnotes.get(m.group())
        attrs: list[tuple[str, str]] = [("class", "fn"), ("aria-label", f"footnote {number}")]
        if target:
            attrs.append(("href", f"#{target}"))
        found.append(Interval(s, e, RANK_FOOTNOTE, f"fn-{s}", tag="a", attrs=tuple(attrs)))
    return found


def _render(
    text: str,
    start: int,
    end: int,
    intervals: list[Interval],
    kinds: dict[str, int],
    shown: Iterable[str] | None = None,
) -> Markup:
    """The text from start to end with its intervals as nested elements; shown: the tables
    whose marks are drawn (default: all)."""
    visible = set(kinds if shown is None else shown)
    inside = [iv for iv in intervals if iv.start < end and iv.end > start and iv.start < iv.end]
    cuts = sorted(
        {start, end} | {max(start, min(end, p)) for iv in inside for p in (iv.start, iv.end)}
    )
    out: list[str] = []
    stack: list[Interval] = []
    fragments: dict[str, int] = {}
    for a, b in itertools.pairwise(cuts):
        active = sorted((iv for iv in inside if iv.start <= a and iv.end >= b), key=Interval.order)
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        for iv in reversed(stack[keep:]):
            out.append(f"</{'mark' if iv.evidence else iv.tag}>")
        del stack[keep:]
        for iv in active[keep:]:
            depth = sum(1 for o in stack if o.evidence and o.evidence.table in visible) + 1
            stack.append(iv)
            if iv.evidence is None:
                out.append(f"<{iv.tag}{_attrs(iv.attrs)}>")
                continue
            ev = iv.evidence
            part = fragments.get(ev.evidence_id, 0)
            fragments[ev.evidence_id] = part + 1
            on = ev.table in visible
            attrs = [("class", f"ev k{kinds[ev.table] % PATTERNS}" + ("" if on else " off"))]
            if part == 0:
                attrs += [("id", f"ev-{ev.evidence_id}"), ("tabindex", "0" if on else "-1")]
            attrs += [
                ("data-ev", ev.evidence_id),
                ("data-t", ev.table),
                ("data-start", str(a)),
                ("data-end", str(b)),
                ("style", f"--d:{depth}"),
            ]
            out.append(f"<mark{_attrs(attrs)}>")
        out.append(str(escape(text[a:b])))
    for iv in reversed(stack):
        out.append(f"</{'mark' if iv.evidence else iv.tag}>")
    return Markup("".join(out))


@dataclass(frozen=True)
class Passage:
    passage_id: str
    kind: str
    section: str
    html: Markup
    depth: int  # the deepest stack of marks in the passage: the room its underlines need


def _footnote_targets(data: SiteData) -> dict[str, str]:
    """Footnote marker -> deep link of the record it stands for (a table with a marker field)."""
    targets = {}
    for name in data.record_tables:
        table = data.tables[name]
        if "marker" in table.schema.field_names and table.key:
            for row in table.rows:
                if "marker" in row:
                    targets[row["marker"]] = f"{name}/{row[table.key]}"
    return targets


def marked_passages(data: SiteData) -> list[Passage]:
    """Every passage of the memo, in order, with its evidence marks and decorations."""
    kinds = {name: i for i, name in enumerate(data.record_tables)}
    footnotes = _footnote_targets(data)
    spans = [Interval(ev.start, ev.end, RANK_EVIDENCE, ev.evidence_id, ev) for ev in data.evidence]
    spans += [
        Interval(
            m.start,
            m.end,
            RANK_LINK,
            f"mn-{m.start}",
            attrs=(("class", "mn"), ("data-a", " ".join(m.actors))),
        )
        for m in mentions(data)
    ]
    shown = [t for t in DEFAULT_LAYERS if t in kinds]
    passages = []
    for p in data.passages():
        start, end = int(p["start"]), int(p["end"])
        local = [iv for iv in spans if iv.start < end and iv.end > start]
        local += decorations(data.memo[start:end], start, footnotes)
        drawn = [iv for iv in local if iv.evidence and iv.evidence.table in shown]
        depth = max(
            (
                sum(1 for iv in drawn if iv.start <= c < iv.end)
                for c in sorted({max(start, iv.start) for iv in drawn})
            ),
            default=0,
        )
        html = _render(data.memo, start, end, local, kinds, shown)
        passages.append(Passage(p["passage_id"], p["kind"], p.get("section", ""), html, depth))
    return passages
