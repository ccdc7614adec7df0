"""Relative time: deriving each event's time window from its stated date and its time links.

The rule belongs to the contract, so the build (which writes the windows) and the validator
(which re-derives and checks them on any copy) apply the same one. A time link says "event
<relation> anchor" (TimeML TLINK types); the anchor is another event or the memo's own date.

- A stated date gives the window itself (basis `stated`); links on such an event must agree with
  it (their constraints must leave a non-empty window) but do not narrow it.
- Otherwise the window is the intersection of what the links imply, to a fixed point (an anchor's
  own window may be derived):
  before A -> end <= A's latest end; after A -> start >= A's earliest start;
  during / simultaneous / begins / ends A -> both; includes / overlaps A -> nothing.
  With the memo's own date as anchor, `before` and `overlaps` both bound the part of the event the
  memo reports: end <= the memo's last day.
- Basis: `anchored` when a link to another event bounds the window, else `document-date` when a
  link to the memo's date does, else `unknown`.

Stances (positions) and relations are placed the same way once the events' windows are known
(their links' anchors are events or the memo's date, never another stance): a stated as-of date
gives the window; otherwise their own links narrow it, and a stance with no link that bounds it
takes the window of the event that expresses it (basis `expressed-by-event`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The time_basis codes the derivation writes (a placed table with expressed_by_event_id may also
# get EXPRESSED): the time-window rule refuses a schema whose enum lacks one (rule code-reads).
STATED, ANCHORED, DOCUMENT_DATE, UNKNOWN = "stated", "anchored", "document-date", "unknown"
BASES = (STATED, ANCHORED, DOCUMENT_DATE, UNKNOWN)
EXPRESSED = "expressed-by-event"

_LOWER = {"after", "during", "simultaneous", "begins", "ends"}
_UPPER = {"before", "during", "simultaneous", "begins", "ends"}
_DOCUMENT_UPPER = {"before", "overlaps", "during", "simultaneous", "ends"}


@dataclass(frozen=True)
class Window:
    start: date | None
    end: date | None
    basis: str

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class TimeLink:
    link_id: str
    event_id: str
    relation: str
    anchor_event_id: str | None  # None: the anchor is the memo's own date


@dataclass(frozen=True)
class Conflict:
    link_id: str
    event_id: str
    message: str


def _constraint(
    link: TimeLink, anchor: tuple[date | None, date | None]
) -> tuple[date | None, date | None]:
    a_start, a_end = anchor
    if link.anchor_event_id is None:
        return None, (a_end if link.relation in _DOCUMENT_UPPER else None)
    lower = a_start if link.relation in _LOWER else None
    upper = a_end if link.relation in _UPPER else None
    return lower, upper


def _narrow(
    window: tuple[date | None, date | None], bound: tuple[date | None, date | None]
) -> tuple[date | None, date | None]:
    start, end = window
    lo, hi = bound
    if lo is not None and (start is None or lo > start):
        start = lo
    if hi is not None and (end is None or hi < end):
        end = hi
    return start, end


def derive_windows(
    stated: dict[str, tuple[date | None, date | None]],
    links: list[TimeLink],
    document: tuple[date | None, date | None],
) -> tuple[dict[str, Window], list[Conflict]]:
    """Each event's window and basis, and every link that contradicts the windows.

    `stated` maps every event id to its stated (start, end); (None, None) when it has no date.
    Links naming an unknown event or anchor are skipped (foreign keys report them).
    """
    has_date = {e for e, (s, t) in stated.items() if s is not None or t is not None}
    links = [
        k
        for k in links
        if k.event_id in stated and (k.anchor_event_id is None or k.anchor_event_id in stated)
    ]
    windows = {e: stated[e] if e in has_date else (None, None) for e in stated}
    for _ in range(len(links) + 1):
        changed = False
        for link in links:
            if link.event_id in has_date:
                continue
            anchor = document if link.anchor_event_id is None else windows[link.anchor_event_id]
            new = _narrow(windows[link.event_id], _constraint(link, anchor))
            if new != windows[link.event_id]:
                windows[link.event_id], changed = new, True
        if not changed:
            break
    conflicts = []
    for link in links:
        anchor = document if link.anchor_event_id is None else windows[link.anchor_event_id]
        start, end = _narrow(windows[link.event_id], _constraint(link, anchor))
        if start is not None and end is not None and start > end:
            conflicts.append(
                Conflict(
                    link.link_id,
                    link.event_id,
                    f"'{link.relation}' its anchor leaves no day for the event ({start} > {end})",
                )
            )
    # Each event's own links, grouped once (a scan of every link per event is quadratic).
    links_of: dict[str, list[TimeLink]] = {}
    for link in links:
        links_of.setdefault(link.event_id, []).append(link)
    result = {}
    for event, (start, end) in windows.items():
        own = links_of.get(event, [])
        basis = STATED if event in has_date else _basis(own, windows, document)
        result[event] = Window(start, end, basis if (start or end) else UNKNOWN)
    return result, conflicts


def _basis(
    links: list[TimeLink],
    windows: dict[str, tuple[date | None, date | None]],
    document: tuple[date | None, date | None],
) -> str:
    """How an undated event's window is known, from its own links."""
    by_event = by_document = False
    for link in links:
        anchor = document if link.anchor_event_id is None else windows[link.anchor_event_id]
        lo, hi = _constraint(link, anchor)
        if lo is None and hi is None:
            continue
        if link.anchor_event_id is None:
            by_document = True
        else:
            by_event = True
    if by_event:
        return ANCHORED
    return DOCUMENT_DATE if by_document else UNKNOWN


def derive_placed(
    stated: dict[str, tuple[date | None, date | None]],
    links: list[TimeLink],
    events: dict[str, Window],
    document: tuple[date | None, date | None],
    expressed_by: dict[str, str] | None = None,
) -> tuple[dict[str, Window], list[Conflict]]:
    """The windows of records placed relative to events (positions, relations).

    `stated` maps every record id to its stated as-of (start, end); a link's `event_id` is the
    record it places. `expressed_by` maps a stance to the event expressing it, whose window the
    stance takes when no link of its own bounds it. Links naming an unknown record or anchor are
    skipped (foreign keys report them).
    """
    expressed_by = expressed_by or {}
    links = [
        k
        for k in links
        if k.event_id in stated and (k.anchor_event_id is None or k.anchor_event_id in events)
    ]
    links_of: dict[str, list[TimeLink]] = {}
    for link in links:
        links_of.setdefault(link.event_id, []).append(link)

    def anchor_of(link: TimeLink) -> tuple[date | None, date | None]:
        if link.anchor_event_id is None:
            return document
        w = events[link.anchor_event_id]
        return w.start, w.end

    result: dict[str, Window] = {}
    conflicts: list[Conflict] = []
    for record, own_date in stated.items():
        window: tuple[date | None, date | None] = (None, None)
        by_event = by_document = False
        for link in links_of.get(record, []):
            bound = _constraint(link, anchor_of(link))
            if bound == (None, None):
                continue
            window = _narrow(window, bound)
            if link.anchor_event_id is None:
                by_document = True
            else:
                by_event = True
        has_date = own_date != (None, None)
        if has_date:
            checked = _narrow(own_date, window)
            window, basis = own_date, STATED
        else:
            checked = window
            event = expressed_by.get(record)
            expressed = events.get(event) if event else None
            if not by_event and expressed is not None and expressed.bounded:
                window = _narrow(window, (expressed.start, expressed.end))
                checked = window
                basis = EXPRESSED
            else:
                basis = ANCHORED if by_event else DOCUMENT_DATE if by_document else UNKNOWN
        start, end = checked
        if start is not None and end is not None and start > end:
            bad = next(iter(links_of.get(record, [])), None)
            conflicts.append(
                Conflict(
                    bad.link_id if bad else "",
                    record,
                    f"its time links leave no day for {record!r} ({start} > {end})",
                )
            )
        start, end = window
        result[record] = Window(start, end, basis if (start or end) else UNKNOWN)
    return result, conflicts
