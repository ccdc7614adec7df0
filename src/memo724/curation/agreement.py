"""Inter-coder agreement between the main coding and the blind second coding.

Two codings of the same memo are compared in three steps:

1. Units. Within each table, a record of one coding is aligned with a record of the other when
   their evidence spans overlap (overlap coefficient: shared code points over the shorter
   coding's span length) by at least MIN_OVERLAP; pairs are taken best first, one to one. A
   blind record whose fact the split into parts cut in two (the same fact quoted in two parts)
   is merged into the main record it overlaps instead of counting as a unit of its own. The
   committed alignment file overrides the automatic choice for ambiguous pairs, with a reason.
   Unit agreement per table = units both coded / units either coded.
2. Actors. Each part's actor ids are mapped onto the main coding's through shared name
   occurrences (evidence spans), then through the same name as written, then the alignment
   file: reference fields (holder, subject, participants) compare mapped actors.
3. Fields. For every coded field, the matched pairs give percent agreement and Krippendorff's
   alpha (the `krippendorff` package) at the field's level of measurement: nominal, ordinal for
   the ordered certainty scale, interval for dates (days); a bootstrap over units gives a 95%
   interval. Figures are computed from the main coding as it was when the blind coding was
   made (a frozen snapshot), never from an adjudicated one.
"""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from ..contract import Contract
from ..contract.paths import Layout
from ..contract.typed import text_rows
from .audit import overlap
from .blind import build_part, parts

MIN_OVERLAP = 0.5
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 724
MIN_PAIRS = 10  # fields with fewer matched pairs get no alpha (too few to say anything)

# The tables compared as units, their coded fields and each field's level of measurement.
# Reference fields (`actor:`) compare the actors the two codings' ids map to.
COMPARED: dict[str, dict[str, str]] = {
    "actors": {"kind": "nominal"},
    "events": {
        "event_type": "nominal",
        "factuality": "nominal",
        "date_precision": "nominal",
        "date_start": "interval",
    },
    "positions": {
        "holder_actor_id": "nominal",
        "target_actor_id": "nominal",
        "issue": "nominal",
        "stance": "nominal",
        "certainty": "ordinal",
        "attribution": "nominal",
    },
    "risks": {
        "category": "nominal",
        "trend": "nominal",
        "certainty": "ordinal",
        "attribution": "nominal",
    },
    "assessments": {
        "kind": "nominal",
        "subject_actor_id": "nominal",
        "certainty": "ordinal",
        "attribution": "nominal",
    },
    "relations": {
        "relation_type": "nominal",
        "subject_actor_id": "nominal",
        "object_actor_id": "nominal",
    },
    "time_links": {"relation": "nominal"},
    "sources": {"kind": "nominal"},
}
# Child rows compared per (matched parent, main actor): the actor's role in each coding.
CHILDREN = {"events": "event_participants", "risks": "risk_actors"}
ACTOR_FIELDS = {
    "holder_actor_id",
    "target_actor_id",
    "subject_actor_id",
    "object_actor_id",
}
NONE = "(none)"  # an optional field left empty is a value of its own
# What a record joins, besides its words: a relation's two actors, a time link's event and
# anchor (the memo's own date when the anchor is empty). Two records that quote the same words
# but join other records are other units (one phrase often states several ties).
IDENTITY = {
    "relations": {"a": "subject_actor_id", "b": "object_actor_id"},
    "time_links": {"a": "event_id", "b": "anchor_event_id"},
}
DOCUMENT = "(memo date)"
# A time link read from its other end: `a before b` is `b after a`.
INVERSE = {"before": "after", "after": "before", "includes": "during", "during": "includes"}


@dataclass
class Unit:
    table: str
    id: str
    spans: list[tuple[int, int]]
    fields: dict[str, str]
    children: list[tuple[str, str]] = field(default_factory=list)  # (actor id, role)
    names: list[str] = field(default_factory=list)  # actors: names as written
    refs: dict[str, str] = field(default_factory=dict)  # what a link or relation joins


Coding = dict[str, list[Unit]]


def protocol_tables(contract: Contract) -> str:
    """Check that the schemas still have every table and field the frozen protocol compares
    (refused in one line, rule `code-reads`, never compared as empty); the evidence table."""
    by = "the blind coding's protocol (curation/agreement.py)"
    for table, fields in COMPARED.items():
        contract.require(table, *fields, *IDENTITY.get(table, {}).values(), by=by)
    for child in CHILDREN.values():
        contract.require(child, "actor_id", "role", by=by)
    return contract.only("evidence", by=by)


def _units(rows: dict[str, list[dict[str, str]]], contract: Contract, prefix: str = "") -> Coding:
    """Units of every compared table from a coding's rows (tables as built or as released)."""
    subjects = contract.evidence_subjects
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for ev in rows.get(protocol_tables(contract), []):
        for table, column in subjects.items():
            if ev.get(column):
                spans[(table, ev[column])].append((int(ev["start"]), int(ev["end"])))
    out: Coding = {}
    for table, fields in COMPARED.items():
        key = contract[table].primary_key[0]
        units = []
        for row in rows.get(table, []):
            values = {f: row.get(f, "") for f in fields}
            for f in ACTOR_FIELDS & set(values):
                values[f] = f"{prefix}{values[f]}" if values[f] else ""
            unit = Unit(table, f"{prefix}{row[key]}", sorted(spans[(table, row[key])]), values)
            if table == "actors":
                unit.names = [n for n in row.get("names_as_written", "").split(" | ") if n] or [
                    row.get("name", "")
                ]
            if table in IDENTITY:
                unit.refs = {
                    ref: f"{prefix}{row[column]}" if row.get(column) else DOCUMENT
                    for ref, column in IDENTITY[table].items()
                }
            child = CHILDREN.get(table)
            if child:
                unit.children = [
                    (f"{prefix}{c['actor_id']}", c["role"])
                    for c in rows.get(child, [])
                    if c[contract[child].primary_key[0]] == row[key]
                ]
            units.append(unit)
        out[table] = units
    return out


def snapshot(layout: Layout) -> dict[str, Any]:
    """The main coding's units as released (data/), frozen before any adjudication: how
    SNAPSHOT was written when the blind coding was made; a new round of blind coding freezes the
    main coding it will be compared with the same way (written as JSON, read by `load_snapshot`)."""
    contract = Contract(layout.schemas)
    rows = {name: text_rows(layout.table(name)) for name in contract.tables}
    coding = _units(rows, contract)
    return {
        table: [
            {
                "id": u.id,
                "spans": [list(s) for s in u.spans],
                "fields": u.fields,
                **({"children": [list(c) for c in u.children]} if u.children else {}),
                **({"names": u.names} if u.names else {}),
                **({"refs": u.refs} if u.refs else {}),
            }
            for u in units
        ]
        for table, units in coding.items()
    }


def load_snapshot(path: Path) -> Coding:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        table: [
            Unit(
                table,
                u["id"],
                [(int(s[0]), int(s[1])) for s in u["spans"]],
                u["fields"],
                [(str(c[0]), str(c[1])) for c in u.get("children", [])],
                u.get("names", []),
                dict(u.get("refs", {})),
            )
            for u in units
        ]
        for table, units in data.items()
    }


def blind_coding(source: Layout) -> Coding:
    """Every part of the second coding, its ids prefixed with the part's name."""
    contract = Contract(source.schemas)
    out: Coding = {t: [] for t in COMPARED}
    for part in parts(source):
        tables = build_part(source, part)
        for table, units in _units(tables.rows, contract, f"{part.name}:").items():
            out[table] += units
    return out


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> float:
    """Two codings' spans of one fact: shared code points over the shorter side (a coder who
    quotes a clause and one who quotes its sentence coded the same unit)."""
    return overlap(a, b, over="shorter")


@dataclass
class Alignment:
    pairs: dict[str, list[tuple[str, str, float, str]]]  # table -> (main, blind, score, how)
    main_only: dict[str, list[str]]
    blind_only: dict[str, list[str]]
    merged: dict[str, list[tuple[str, str]]]  # table -> (main, blind) cut by the part split
    actors: dict[str, str]  # blind actor id -> main actor id
    reversed_links: set[tuple[str, str]] = field(default_factory=set)  # (main, blind) time links


def _part(unit_id: str) -> str:
    return unit_id.split(":", 1)[0]


def align(main: Coding, blind: Coding, overrides: list[dict[str, Any]]) -> Alignment:
    pairs: dict[str, list[tuple[str, str, float, str]]] = {}
    main_only: dict[str, list[str]] = {}
    blind_only: dict[str, list[str]] = {}
    merged: dict[str, list[tuple[str, str]]] = {}
    reversed_links: set[tuple[str, str]] = set()
    mapped: dict[str, dict[str, str]] = {}  # table -> blind id -> main id, once aligned
    forced: defaultdict[str, dict[str, str | None]] = defaultdict(dict)  # table -> blind -> main
    for o in overrides:
        forced[o["table"]][o["blind"]] = o.get("main")
    for table in COMPARED:
        m_units = {u.id: u for u in main.get(table, [])}
        b_units = {u.id: u for u in blind.get(table, [])}
        chosen: list[tuple[str, str, float, str]] = []
        used_m: dict[str, str] = {}  # main id -> part of the blind unit it is paired with
        used_b: set[str] = set()
        for b_id, m_id in forced[table].items():
            if b_id in b_units:
                used_b.add(b_id)
                if m_id is not None and m_id in m_units:
                    score = _overlap(m_units[m_id].spans, b_units[b_id].spans)
                    chosen.append((m_id, b_id, score, "alignment file"))
                    used_m[m_id] = _part(b_id)
        candidates = _candidates(table, m_units, b_units, mapped)
        merges: list[tuple[str, str]] = []
        for _, score, m_id, b_id, how in candidates:
            if b_id in used_b:
                continue
            if m_id in used_m:
                # The same fact told in two parts: merged, not a unit of its own. Actors are
                # coded per part, so every part's actor maps onto the one main actor.
                if used_m[m_id] != _part(b_id) or table == "actors":
                    merges.append((m_id, b_id))
                    used_b.add(b_id)
                continue
            chosen.append((m_id, b_id, score, how))
            if how == "same link, read from its other end":
                reversed_links.add((m_id, b_id))
            used_m[m_id] = _part(b_id)
            used_b.add(b_id)
        pairs[table] = sorted(chosen)
        merged[table] = sorted(merges)
        main_only[table] = sorted(set(m_units) - set(used_m))
        blind_only[table] = sorted(
            b
            for b in b_units
            if b not in used_b or (b in forced[table] and forced[table][b] is None)
        )
        mapped[table] = {b: m for m, b, _, _ in pairs[table]} | {b: m for m, b in merged[table]}
    return Alignment(pairs, main_only, blind_only, merged, mapped["actors"], reversed_links)


def _candidates(
    table: str,
    m_units: dict[str, Unit],
    b_units: dict[str, Unit],
    mapped: dict[str, dict[str, str]],
) -> list[tuple[tuple[float, float], float, str, str, str]]:
    """Possible pairs, best first: (rank, overlap, main id, blind id, how they were paired).

    Records pair when their evidence overlaps by MIN_OVERLAP. A relation or time link is also
    defined by what it joins: among overlapping relations, those joining the same two actors
    come first; a time link pairs only with one joining the same two events (or event and the
    memo's date), in either direction, whatever words each coding quoted for it.
    """
    if table == "actors":
        return [
            ((score, score), min(score, 1.0), m, b, "name")
            for score, m, b in _actor_candidates(m_units, b_units)
        ]
    out = []
    ref_table = {"relations": "actors", "time_links": "events"}.get(table)
    for m in m_units.values():
        for b in b_units.values():
            score = _overlap(m.spans, b.spans)
            joined = None
            if ref_table is not None:
                known = mapped.get(ref_table, {})
                a, z = (known.get(b.refs[k], b.refs[k]) for k in ("a", "b"))
                if (m.refs["a"], m.refs["b"]) == (a, z):
                    joined = "same"
                elif table == "time_links" and (m.refs["a"], m.refs["b"]) == (z, a):
                    joined = "reversed"
            if table == "time_links":
                if joined is not None:
                    how = "same link" if joined == "same" else "same link, read from its other end"
                    out.append(((1.0, score), score, m.id, b.id, how))
            elif score >= MIN_OVERLAP:
                how = "overlap and the same actors" if joined else "overlap"
                out.append(((1.0 if joined else 0.0, score), score, m.id, b.id, how))
    return sorted(out, reverse=True)


def _norm(name: str) -> str:
    text = name.lower().replace("\u2019", "'")  # a curly apostrophe as a straight one
    return " ".join(w for w in text.split() if w not in ("the", "a", "an"))


def _actor_candidates(
    m_units: dict[str, Unit], b_units: dict[str, Unit]
) -> list[tuple[float, str, str]]:
    """Actor pairs by shared name occurrences (1 + their share), else a shared name, else the
    same id.

    An occurrence is shared when the two name spans overlap by half the longer one: a name
    inside a longer name ("UN Security Council" in "non-Western permanent members of the UN
    Security Council") is another actor's.
    """
    out = []
    for m in m_units.values():
        m_names = {_norm(n) for n in m.names}
        for b in b_units.values():
            shared = sum(
                1
                for s1, e1 in m.spans
                for s2, e2 in b.spans
                if min(e1, e2) - max(s1, s2) >= 0.5 * max(e1 - s1, e2 - s2)
            )
            score = shared / min(len(m.spans), len(b.spans)) if m.spans and b.spans else 0.0
            if shared:
                out.append((1 + score, m.id, b.id))
            elif m_names & {_norm(n) for n in b.names}:
                out.append((1.0, m.id, b.id))
            elif b.id.split(":", 1)[-1] == m.id:  # the same slug, chosen for the same name
                out.append((0.9, m.id, b.id))
    return sorted(out, reverse=True)


# -- agreement -----------------------------------------------------------------------------


def _value(unit: Unit, name: str, actors: dict[str, str] | None) -> str:
    """A unit's value of a field; a blind coding's actor mapped onto the main coding's."""
    value = unit.fields.get(name, "")
    if actors is not None and name in ACTOR_FIELDS and value:
        value = actors.get(value, f"unmapped:{value}")
    return value or NONE


def _blind_value(main: Unit, blind: Unit, name: str, alignment: Alignment) -> str:
    """The blind coding's value, its actors mapped; a time link read from its other end gives
    the inverse relation (`a before b` coded as `b after a`)."""
    value = _value(blind, name, alignment.actors)
    if (main.id, blind.id) in alignment.reversed_links and name == "relation":
        value = INVERSE.get(value, value)
    return value


def _numeric(values: list[str], level: str, domain: list[str]) -> list[float]:
    """Values as numbers: days for dates, else the index in the domain (the ordered scale for
    ordinal fields, every value either coding used for nominal ones)."""
    if level == "interval":
        return [
            float(date.fromisoformat(v).toordinal()) if v != NONE else float("nan") for v in values
        ]
    return [float(domain.index(v)) if v in domain else float("nan") for v in values]


def alpha(pairs: list[tuple[str, str]], level: str, scale: list[str]) -> float | None:
    import krippendorff
    import numpy as np

    domain = scale if level == "ordinal" else sorted({v for pair in pairs for v in pair})
    main = _numeric([a for a, _ in pairs], level, domain)
    blind = _numeric([b for _, b in pairs], level, domain)
    data = np.array([main, blind], dtype=float)
    if np.isnan(data).all(axis=0).all():
        return None
    observed = [v for v in data.flatten() if not np.isnan(v)]
    if len(set(observed)) < 2:  # one value only: no expected disagreement, alpha undefined
        return 1.0 if all(a == b for a, b in pairs) else None
    measure: Literal["nominal", "ordinal", "interval"] = (
        "ordinal" if level == "ordinal" else "interval" if level == "interval" else "nominal"
    )
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=measure))


def bootstrap(
    pairs: list[tuple[str, str]], level: str, scale: list[str]
) -> tuple[float | None, float | None]:
    rng = random.Random(BOOTSTRAP_SEED)
    found = []
    for _ in range(BOOTSTRAP_SAMPLES):
        sample = [pairs[rng.randrange(len(pairs))] for _ in pairs]
        a = alpha(sample, level, scale)
        if a is not None:
            found.append(a)
    if not found:
        return None, None
    found.sort()
    return found[int(0.025 * (len(found) - 1))], found[int(0.975 * (len(found) - 1))]


@dataclass(frozen=True)
class FieldAgreement:
    table: str
    field: str
    level: str
    pairs: int
    agreement: float
    alpha: float | None
    low: float | None
    high: float | None


def field_pairs(
    main: Coding, blind: Coding, alignment: Alignment
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(table, field) -> the (main, blind) values of every matched pair."""
    by_id = {t: {u.id: u for u in main.get(t, []) + blind.get(t, [])} for t in COMPARED}
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for table, fields in COMPARED.items():
        matched = [(by_id[table][m], by_id[table][b]) for m, b, _, _ in alignment.pairs[table]]
        for name, level in fields.items():
            values = [
                (_value(m, name, None), _blind_value(m, b, name, alignment)) for m, b in matched
            ]
            if level == "interval":  # a date is compared where both codings give one
                values = [(a, b) for a, b in values if NONE not in (a, b)]
            out[(table, name)] = values
        child = CHILDREN.get(table)
        if child:
            roles = []
            for m, b in matched:
                theirs = defaultdict(set)
                for actor, role in b.children:
                    theirs[alignment.actors.get(actor, f"unmapped:{actor}")].add(role)
                ours = defaultdict(set)
                for actor, role in m.children:
                    ours[actor].add(role)
                for actor in sorted(set(ours) | set(theirs)):
                    a = "+".join(sorted(ours.get(actor, ()))) or NONE
                    r = "+".join(sorted(theirs.get(actor, ()))) or NONE
                    roles.append((a, r))
            out[(child, "role")] = roles
    return out


def field_agreement(
    contract: Contract, pairs: dict[tuple[str, str], list[tuple[str, str]]]
) -> list[FieldAgreement]:
    rows = []
    for (table, name), values in pairs.items():
        level = COMPARED.get(table, {}).get(name, "nominal")
        scale = list(contract[table].field(name).get("constraints", {}).get("enum", []))
        agree = sum(a == b for a, b in values) / len(values) if values else 0.0
        a = low = high = None
        if len(values) >= MIN_PAIRS:
            a = alpha(values, level, scale)
            low, high = bootstrap(values, level, scale)
        rows.append(FieldAgreement(table, name, level, len(values), agree, a, low, high))
    return rows


def unit_agreement(alignment: Alignment) -> list[tuple[str, int, int, int, float]]:
    """table, units both coded, main only, blind only, both / either."""
    out = []
    for table in COMPARED:
        both = len(alignment.pairs[table])
        m, b = len(alignment.main_only[table]), len(alignment.blind_only[table])
        out.append((table, both, m, b, both / (both + m + b) if both + m + b else 0.0))
    return out


# -- the published tables ------------------------------------------------------------------

RELIABILITY_DIR = "reliability"
SNAPSHOT = "curation/blind/main-0.2.1.json"  # the main coding the blind coding is compared with
ALIGNMENT = "curation/blind/alignment.yaml"  # pairs the overlap rule gets wrong, with reasons


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def reliability_rows(source: Layout) -> dict[str, list[dict[str, str]]]:
    """The rows of reliability/*.csv, from the committed codings and alignment file."""
    from .records import load_yaml

    contract = Contract(source.schemas)
    main = load_snapshot(source.root / SNAPSHOT)
    blind = blind_coding(source)
    overrides_doc = load_yaml(source.root / ALIGNMENT, ALIGNMENT) or {}
    overrides = list(overrides_doc.get("pairs") or [])
    alignment = align(main, blind, overrides)
    units = [
        {
            "table": t,
            "both": str(both),
            "main_only": str(m),
            "blind_only": str(b),
            "unit_agreement": _fmt(ratio),
        }
        for t, both, m, b, ratio in unit_agreement(alignment)
    ]
    fields = [
        {
            "table": f.table,
            "field": f.field,
            "level": f.level,
            "pairs": str(f.pairs),
            "percent_agreement": _fmt(100 * f.agreement),
            "alpha": _fmt(f.alpha),
            "alpha_low": _fmt(f.low),
            "alpha_high": _fmt(f.high),
        }
        for f in field_agreement(contract, field_pairs(main, blind, alignment))
    ]
    reasons = {(o["table"], o["blind"]): o.get("reason", "") for o in overrides}
    aligned = []
    for t in COMPARED:
        for m, b, score, how in alignment.pairs[t]:
            aligned.append(_aligned(t, m, b, "matched", score, how, reasons))
        for m, b in alignment.merged[t]:
            aligned.append(_aligned(t, m, b, "merged", None, "part split", reasons))
        aligned += [
            _aligned(t, m, "", "main-only", None, "", reasons) for m in alignment.main_only[t]
        ]
        aligned += [
            _aligned(t, "", b, "blind-only", None, "", reasons) for b in alignment.blind_only[t]
        ]
    return {
        "units": units,
        "agreement": fields,
        "alignment": aligned,
        "adjudication": adjudication_rows(source),
    }


def _aligned(
    table: str,
    main: str,
    blind: str,
    status: str,
    score: float | None,
    how: str,
    reasons: dict[tuple[str, str], str],
) -> dict[str, str]:
    return {
        "table": table,
        "main_id": main,
        "blind_id": blind,
        "status": status,
        "overlap": _fmt(score),
        "how": how,
        "reason": reasons.get((table, blind), ""),
    }


def write_reliability(source: Layout, target: Path) -> list[Path]:
    """Write reliability/<name>.csv under target in the column order of each table's schema."""
    written = []
    for name, rows in reliability_rows(source).items():
        schema = json.loads(
            (source.root / RELIABILITY_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
        )
        columns = [f["name"] for f in schema["fields"]]
        path = target / RELIABILITY_DIR / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows([{c: r.get(c, "") for c in columns} for r in rows])
        written.append(path)
    return written


def disagreements(source: Layout) -> list[dict[str, str]]:
    """Every item a third reader must settle: each field on which a matched pair differs, and
    each unit only one coding has; with both codings' values and words."""
    from ..contract.memo import read_memo
    from .records import load_yaml

    memo = read_memo(source.memo)
    main = load_snapshot(source.root / SNAPSHOT)
    blind = blind_coding(source)
    overrides = list((load_yaml(source.root / ALIGNMENT, ALIGNMENT) or {}).get("pairs") or [])
    alignment = align(main, blind, overrides)
    by_id = {t: {u.id: u for u in main.get(t, []) + blind.get(t, [])} for t in COMPARED}

    def words(unit: Unit | None) -> str:
        return "" if unit is None else " [...] ".join(memo[s:e] for s, e in unit.spans)

    def item(table: str, what: str, m: str, b: str, mv: str, bv: str) -> dict[str, str]:
        return {
            "item": f"{table}.{what}:{m or '-'}~{b or '-'}",
            "table": table,
            "field": what,
            "main_id": m,
            "blind_id": b,
            "main_value": mv,
            "blind_value": bv,
            "main_words": words(by_id[table].get(m)),
            "blind_words": words(by_id[table].get(b)),
        }

    out = []
    for table, fields in COMPARED.items():
        for m, b, _, _ in alignment.pairs[table]:
            mu, bu = by_id[table][m], by_id[table][b]
            for name in fields:
                mv, bv = _value(mu, name, None), _blind_value(mu, bu, name, alignment)
                if mv != bv and not (fields[name] == "interval" and NONE in (mv, bv)):
                    out.append(item(table, name, m, b, mv, bv))
            child = CHILDREN.get(table)
            if child:
                ours = sorted(f"{a}={r}" for a, r in mu.children)
                theirs = sorted(
                    f"{alignment.actors.get(a, 'unmapped:' + a)}={r}" for a, r in bu.children
                )
                if ours != theirs:
                    out.append(item(table, f"{child}", m, b, "; ".join(ours), "; ".join(theirs)))
        out += [
            item(table, "unit", m, "", "coded", "not coded") for m in alignment.main_only[table]
        ]
        out += [
            item(table, "unit", "", b, "not coded", "coded") for b in alignment.blind_only[table]
        ]
    return out


ADJUDICATION_DIR = "curation/blind/adjudication"
DECISIONS = {
    "field": ("main", "blind", "neither", "both"),
    "main-only": ("keep", "drop", "covered"),
    "blind-only": ("add", "covered", "reject"),
}


def decisions(source: Layout) -> dict[str, dict[str, str]]:
    """The third reader's decisions, by item, from every log file."""
    from .records import load_yaml

    out: dict[str, dict[str, str]] = {}
    folder = source.root / ADJUDICATION_DIR
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        doc = load_yaml(path, f"{ADJUDICATION_DIR}/{path.name}") or {}
        for entry in doc.get("decisions") or []:
            out[str(entry["item"])] = {
                "decision": str(entry.get("decision", "")),
                "reason": str(entry.get("reason", "")),
                "change": str(entry.get("change", "")),
                "log": f"{ADJUDICATION_DIR}/{path.name}",
            }
    return out


def kind_of(item: dict[str, str]) -> str:
    if item["field"] != "unit":
        return "field"
    return "main-only" if item["main_id"] else "blind-only"


def adjudication_rows(source: Layout) -> list[dict[str, str]]:
    """Every disagreement with the third reader's decision (empty where none is logged)."""
    found = decisions(source)
    rows = []
    for item in disagreements(source):
        d = found.get(item["item"], {})
        rows.append(
            {
                **{k: v for k, v in item.items() if not k.endswith("_words")},
                "kind": kind_of(item),
                "decision": d.get("decision", ""),
                "reason": d.get("reason", ""),
                "change": d.get("change", ""),
            }
        )
    return rows


def refresh_reliability(source: Layout, check_only: bool = False) -> list[str]:
    """The names of reliability/'s files that differ from what the codings give; unless
    `check_only`, those files are then replaced (each written whole, then moved into place)."""
    import os
    import tempfile

    folder = source.root / RELIABILITY_DIR
    with tempfile.TemporaryDirectory(prefix=".reliability-") as tmp:
        written = write_reliability(source, Path(tmp))
        stale = [
            p.name
            for p in written
            if not (folder / p.name).is_file() or (folder / p.name).read_bytes() != p.read_bytes()
        ]
        if not check_only:
            for p in written:
                os.replace(p, folder / p.name)
    return stale
