"""How much of the memo the records cite: every body sentence should carry a statement.

A sentence is covered when an evidence span of a statement-level record (of a table whose schema
states `statement`: an event, position, risk, assessment, relation, or a source that is not a bare
hyperlink anchor) overlaps it. Actor name quotes, time links and link anchors alone do not cover
a sentence: they state nothing (the audits count the same records, curation/audit.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..contract import Contract
from ..contract.paths import REPO, Layout
from ..contract.typed import text_frame

BODY_KINDS = ("paragraph", "footnote")
# A sentence ends at . ! or ? (with any closing quote, bracket or footnote marker), before a space
# and a capital or opening quote. "No." in a ruling number ("No. N ГКПД") does not end one.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"\u201d\u2019)¹²³]*(?= +[\"\u201c(A-Z])")
_NOT_AN_END = ("No.",)


@dataclass(frozen=True)
class Sentence:
    sentence_id: str
    passage_id: str
    start: int
    end: int
    text: str


def split_sentences(passage_id: str, start: int, text: str) -> list[Sentence]:
    cuts, pos = [], 0
    for m in _BOUNDARY.finditer(text):
        if text[: m.start()].endswith(_NOT_AN_END):
            continue
        cuts.append(m.end())
    pieces, pos = [], 0
    for cut in [*cuts, len(text)]:
        raw = text[pos:cut]
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            pieces.append((start + pos + lead, body))
        pos = cut
    return [
        Sentence(f"{passage_id}.s{i}", passage_id, s, s + len(body), body)
        for i, (s, body) in enumerate(pieces, start=1)
    ]


def sentences(passages: pd.DataFrame) -> list[Sentence]:
    out: list[Sentence] = []
    for row in passages.to_dict("records"):
        if row["kind"] in BODY_KINDS:
            out += split_sentences(str(row["passage_id"]), int(str(row["start"])), str(row["text"]))
    return out


# A source that is a bare hyperlink anchor states nothing: the one table coverage reads by name.
SOURCES, SOURCE_KIND, HYPERLINK = "sources", "kind", "hyperlink"
BY = "coverage (a hyperlink source states nothing)"


def coverage_tables(contract: Contract) -> tuple[str, str, str]:
    """The passages, evidence and sources tables coverage reads (refused when one is gone)."""
    passages = contract.only("structure", by=BY)
    contract.require_codes(passages, "kind", *BODY_KINDS, by=BY)  # the sentences it counts
    evidence = contract.only("evidence", by=BY)
    (key,) = contract.require_codes(SOURCES, SOURCE_KIND, HYPERLINK, by=BY).primary_key
    contract.require(evidence, key, by=BY)  # the sources' own spans
    return passages, evidence, SOURCES


def statement_spans(
    evidence: pd.DataFrame, sources: pd.DataFrame, contract: Contract
) -> list[tuple[int, int]]:
    coverage_tables(contract)
    (key,) = contract[SOURCES].primary_key
    links = set(sources.loc[sources[SOURCE_KIND] == HYPERLINK, key])
    columns = [contract.evidence_subjects[t] for t in contract.statement_tables]
    stated = evidence[columns].notna().any(axis=1) & ~evidence[key].isin(links)
    return [
        (int(s), int(e))
        for s, e in zip(evidence.loc[stated, "start"], evidence.loc[stated, "end"], strict=True)
    ]


@dataclass(frozen=True)
class Coverage:
    total: int
    covered: list[Sentence]
    excluded: dict[str, str]  # sentence id -> reason
    missing: list[Sentence]

    @property
    def ratio(self) -> float:
        return (len(self.covered) + len(self.excluded)) / self.total if self.total else 1.0


def exclusions(curation_dir: Path) -> dict[str, str]:
    """Reviewed sentences that carry no fact: exact sentence text -> reason."""
    # Imported here: the YAML reader is the curation extra, which the audits' figures of a
    # copy without its records (`memo724 figures`, through audit.py) never need.
    from .records import load_yaml

    path = curation_dir / "coverage-exclusions.yaml"
    if not path.is_file():
        return {}
    items = load_yaml(path, "curation/coverage-exclusions.yaml") or []
    return {str(i["sentence"]): str(i["reason"]) for i in items}


def coverage(
    passages: pd.DataFrame,
    evidence: pd.DataFrame,
    sources: pd.DataFrame,
    excluded: dict[str, str],
    contract: Contract | None = None,
) -> Coverage:
    """`contract`: the schemas the tables follow (by default the checkout's own)."""
    spans = statement_spans(evidence, sources, contract or Contract(REPO.schemas))
    covered, missing, skipped = [], [], {}
    for s in sentences(passages):
        if any(a < s.end and s.start < b for a, b in spans):
            covered.append(s)
        elif s.text in excluded:
            skipped[s.sentence_id] = excluded[s.text]
        else:
            missing.append(s)
    total = len(covered) + len(missing) + len(skipped)
    return Coverage(total, covered, skipped, missing)


def copy_coverage(layout: Layout) -> Coverage:
    """The coverage of a copy's tables, less the sentences its curation/ excludes."""
    contract = Contract(layout.schemas)
    passages, evidence, sources = coverage_tables(contract)
    return coverage(
        text_frame(layout.table(passages)),
        text_frame(layout.table(evidence)),
        text_frame(layout.table(sources)),
        exclusions(layout.curation),
        contract,
    )
