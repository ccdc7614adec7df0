"""Profiles: one page per actor and per event that reads like an entry in a reference work.

Every line of a profile is a row of a table, shown by its summary with its time window and the
memo's own words (its evidence quotes), each quote linking to the place it stands in the reader.
Nothing is inferred here beyond joining rows by their keys and sorting them by their windows: an
actor's stances (`positions` it holds), the events it takes part in (`event_participants`), its
relations (grouped by type, with whom and since when), the risks it is linked to (`risk_actors`
and `risks.attributed_to_actor_id`), the assessments about it, and for each other actor the events
they share, by date, so "when did Russia first meet the Taliban after the takeover" is one look.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ...contract.errors import DatasetError, Problem
from .gather import Evidence, SiteData, mentions

# Ids become file names (`actors/<id>.html`): the schemas' own id pattern, checked again here.
SAFE_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
OPEN = "open"
PROFILED = ("actors", "events")
# What the profiles read by name (an actor's events, stances, relations, risks and judgments; an
# event's time links and the rows that name it): refused in one line when a schema no longer has
# it (Contract.require), never shown as an empty profile.
READS: dict[str, tuple[str, ...]] = {
    "actors": ("actor_id", "name"),
    "events": ("event_id",),
    "event_participants": ("event_id", "actor_id", "role"),
    "positions": ("holder_actor_id", "target_actor_id", "expressed_by_event_id"),
    "relations": ("subject_actor_id", "object_actor_id"),
    "risks": ("risk_id", "manifested_by_event_id"),
    "risk_actors": ("risk_id", "actor_id", "role"),
    "assessments": ("about_event_id",),
    "time_links": ("event_id", "anchor_event_id", "relation"),
    "sources": ("records_event_id",),
}


@dataclass
class Item:
    """One row shown in a profile: what it says, when, and the memo's words for it."""

    table: str
    id: str
    summary: str
    when: str = ""
    sort: tuple[str, str] = ("", "")
    quotes: list[Evidence] = field(default_factory=list)
    note: str = ""  # the row's role or kind, as the table codes it
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (words, table, id)


def window(row: dict[str, str]) -> str:
    """The row's dates as the tables give them: the date as written, then its time window."""
    parts = []
    written = row.get("date_text") or row.get("as_of_text")
    edtf = row.get("date_edtf") or row.get("as_of_edtf")
    if edtf:
        parts.append(f"{edtf} (\u201c{written}\u201d)" if written else edtf)
    elif written:
        parts.append(f"\u201c{written}\u201d")
    start, end = row.get("time_start"), row.get("time_end")
    if start or end:
        basis = row.get("time_basis", "")
        parts.append(f"window {start or OPEN} to {end or OPEN}" + (f", {basis}" if basis else ""))
    return "; ".join(parts) or "not placed in time"


def sort_key(row: dict[str, str]) -> tuple[str, str]:
    """Earliest window first; rows with no window last."""
    return (row.get("time_start") or row.get("time_end") or "~", row.get("time_end") or "~")


class Profiles:
    """The profiles of a package's actors and events, from the tables gathered for the site."""

    def __init__(self, data: SiteData) -> None:
        self.data = data
        for table, fields in READS.items():
            data.contract.require(table, *fields, by="the site's profiles")
        self.quotes: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
        for ev in sorted(data.evidence, key=lambda e: (e.start, e.end, e.evidence_id)):
            self.quotes[(ev.table, ev.record_id)].append(ev)
        self.mentions: dict[str, int] = defaultdict(int)
        for m in mentions(data):
            for actor in m.actors:
                self.mentions[actor] += 1
        problems = []
        for table in PROFILED:
            column = self.data.tables[table].key or ""
            for line, row in enumerate(self.rows(table), start=2):  # the header is line 1
                if not SAFE_ID.fullmatch(row[column]):
                    problems.append(
                        Problem(
                            f"{table}.csv",
                            "profile-page-name",
                            f"{column} must match {SAFE_ID.pattern} to name a profile page",
                            row=line,
                            field=column,
                            value=row[column],
                        )
                    )
        if problems:
            raise DatasetError(problems)

    def rows(self, table: str) -> list[dict[str, str]]:
        return self.data.tables[table].rows if table in self.data.tables else []

    def name(self, actor_id: str) -> str:
        for row in self.rows("actors"):
            if row["actor_id"] == actor_id:
                return row.get("name", actor_id)
        return actor_id

    def summary(self, table: str, key: str) -> str:
        t = self.data.tables[table]
        try:
            return t.row(key).get(t.label, key)
        except KeyError:
            return key

    def item(self, table: str, row: dict[str, str], note: str = "") -> Item:
        key = row[self.data.tables[table].key or ""]
        return Item(
            table=table,
            id=key,
            summary=row.get("summary") or row.get("name") or key,
            when=window(row),
            sort=sort_key(row),
            quotes=self.quotes.get((table, key), []),
            note=note,
        )

    def participants(self, event_id: str) -> list[tuple[str, str]]:
        """(actor id, role) of an event's participants, in the table's order."""
        return [
            (r["actor_id"], r.get("role", ""))
            for r in self.rows("event_participants")
            if r["event_id"] == event_id
        ]

    def actor(self, actor_id: str) -> dict[str, Any]:
        row = self.data.tables["actors"].row(actor_id)
        events = {r["event_id"]: r for r in self.rows("events")}
        taking_part = []
        shared: dict[str, list[Item]] = defaultdict(list)
        for p in self.rows("event_participants"):
            if p["actor_id"] != actor_id or p["event_id"] not in events:
                continue
            item = self.item("events", events[p["event_id"]], p.get("role", ""))
            for other, role in self.participants(p["event_id"]):
                if other != actor_id:
                    item.links.append((f"{self.name(other)} ({role})", "actors", other))
                    shared[other].append(item)
            taking_part.append(item)
        taking_part.sort(key=lambda i: (i.sort, i.id))

        stances: list[Item] = []
        toward: list[Item] = []
        for r in self.rows("positions"):
            mine = r.get("holder_actor_id") == actor_id
            if not mine and r.get("target_actor_id") != actor_id:
                continue
            item = self.item("positions", r, r.get("stance", ""))
            for col, words in (("holder_actor_id", "held by"), ("target_actor_id", "toward")):
                if r.get(col) and r[col] != actor_id:
                    item.links.append((f"{words} {self.name(r[col])}", "actors", r[col]))
            (stances if mine else toward).append(item)
        stances.sort(key=lambda i: (i.sort, i.id))
        toward.sort(key=lambda i: (i.sort, i.id))

        relations: dict[str, list[Item]] = defaultdict(list)
        glance: list[dict[str, Any]] = []  # one line per relation: subject, type, object, window
        for r in self.rows("relations"):
            if actor_id not in (r.get("subject_actor_id"), r.get("object_actor_id")):
                continue
            outgoing = r.get("subject_actor_id") == actor_id
            other = r["object_actor_id"] if outgoing else r["subject_actor_id"]
            kind = r.get("relation_type", "")
            label = kind if outgoing else f"{kind}, the other actor as subject"
            item = self.item("relations", r, kind)
            item.links.append((self.name(other), "actors", other))
            relations[label].append(item)
            glance.append(
                {
                    "subject": (self.name(r["subject_actor_id"]), r["subject_actor_id"]),
                    "type": kind,
                    "object": (self.name(r["object_actor_id"]), r["object_actor_id"]),
                    "when": item.when,
                    "sort": (kind, item.sort, r["relation_id"]),
                    "id": r["relation_id"],
                }
            )
        glance.sort(key=lambda g: g["sort"])
        for items in relations.values():
            items.sort(key=lambda i: (i.sort, i.id))

        risk_rows = {r["risk_id"]: r for r in self.rows("risks")}
        roles: dict[str, list[str]] = defaultdict(list)  # one entry per risk, with every role
        for ra in self.rows("risk_actors"):
            if ra["actor_id"] == actor_id and ra["risk_id"] in risk_rows:
                roles[ra["risk_id"]].append(ra.get("role", ""))
        for r in risk_rows.values():
            if r.get("attributed_to_actor_id") == actor_id:
                roles[r["risk_id"]].append("states it")
        risks = [self.item("risks", risk_rows[k], ", ".join(v)) for k, v in sorted(roles.items())]

        assessments = [
            self.item("assessments", r, r.get("kind", ""))
            for r in self.rows("assessments")
            if r.get("subject_actor_id") == actor_id
        ]
        counterparts: list[dict[str, Any]] = [
            {"id": other, "name": self.name(other), "events": sorted(items, key=lambda i: i.sort)}
            for other, items in shared.items()
        ]
        counterparts.sort(key=lambda c: (-len(c["events"]), c["name"]))
        parent = row.get("parent_actor_id")
        members = [
            (r.get("name", r["actor_id"]), r["actor_id"])
            for r in self.rows("actors")
            if r.get("parent_actor_id") == actor_id
        ]
        return {
            "table": "actors",
            "id": actor_id,
            "row": row,
            "title": row.get("name", actor_id),
            "names": [n.strip() for n in row.get("names_as_written", "").split(" | ") if n.strip()],
            "parent": (self.name(parent), parent) if parent else None,
            "members": members,
            "mentions": self.mentions.get(actor_id, 0),
            "quotes": self.quotes.get(("actors", actor_id), []),
            "sections": [
                s
                for s in (
                    ("stances", "Stances over time", stances),
                    ("toward", "Stances of others toward it", toward),
                    ("events", "Events it takes part in, by date", taking_part),
                    ("risks", "Risks it is linked to", risks),
                    ("assessments", "The author's assessments about it", assessments),
                )
                if s[2]
            ],
            "relations": sorted(relations.items()),
            "glance": glance,
            "counterparts": counterparts,
        }

    def event(self, event_id: str) -> dict[str, Any]:
        row = self.data.tables["events"].row(event_id)
        participants = [(self.name(a), a, role) for a, role in self.participants(event_id)]
        links = []
        for r in self.rows("time_links"):
            if r.get("event_id") == event_id:
                item = self.item("time_links", r, r.get("relation", ""))
                if r.get("anchor_event_id"):
                    other = r["anchor_event_id"]
                    item.links.append((self.summary("events", other), "events", other))
                links.append(item)
            elif r.get("anchor_event_id") == event_id and r.get("event_id"):
                item = self.item("time_links", r, f"{r.get('relation', '')} (this event anchors)")
                item.links.append((self.summary("events", r["event_id"]), "events", r["event_id"]))
                links.append(item)
        related = []
        for table, col in (
            ("sources", "records_event_id"),
            ("risks", "manifested_by_event_id"),
            ("positions", "expressed_by_event_id"),
            ("assessments", "about_event_id"),
        ):
            for r in self.rows(table):
                if r.get(col) == event_id:
                    item = self.item(table, r, table.rstrip("s"))
                    if table == "sources":
                        item.summary = r.get("citation_text", item.summary)
                    related.append(item)
        return {
            "table": "events",
            "id": event_id,
            "row": row,
            "title": row.get("summary", event_id),
            "when": window(row),
            "participants": participants,
            "quotes": self.quotes.get(("events", event_id), []),
            "sections": [
                s
                for s in (
                    ("time", "How the memo places it in time", links),
                    ("related", "Sources, risks, stances and assessments about it", related),
                )
                if s[2]
            ],
        }

    def listing(self) -> dict[str, list[tuple[str, str, str]]]:
        """(title, id, a line under it) of every actor and every event, for the profiles page,
        and first the eight actors the memo names most often."""
        actors = sorted(
            (
                (r.get("name", r["actor_id"]), r["actor_id"], r.get("kind", ""))
                for r in self.rows("actors")
            ),
            key=lambda a: a[0].casefold(),
        )
        events = [
            (r.get("summary", r["event_id"]), r["event_id"], window(r))
            for r in sorted(self.rows("events"), key=lambda r: (sort_key(r), r["event_id"]))
        ]
        named = sorted(actors, key=lambda a: (-self.mentions.get(a[1], 0), a[0].casefold()))
        most = [(n, k, f"{self.mentions.get(k, 0)} mentions") for n, k, _ in named[:8]]
        return {"most": most, "actors": actors, "events": events}
