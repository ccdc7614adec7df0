"""Rules that tie each record to its evidence: it has a span, its verbatim fields are the words of
a passage the span lies in, and the name forms it lists are the spans' own words.

Each applies to a table with an evidence subject column (contract.evidence_subjects), given the
evidence table (and the passages, for verbatim fields).
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np
import pandas as pd

from ..contract import NAME_SEPARATOR, Contract, TableSchema
from .catalogue import Built, register, rule
from .checks import column_check, row_rule
from .columns import isin_test, positions, texts, valid

NAMES_FIELD = "names_as_written"


def _spans(contract: Contract, schema: TableSchema, ctx: Any) -> tuple[str, pd.DataFrame] | None:
    """(subject column, the evidence rows of this table's records), if the context has them."""
    subject = contract.evidence_subjects.get(schema.name)
    evidence = None if contract.evidence_table is None else ctx.tables.get(contract.evidence_table)
    if subject is None or evidence is None or subject not in evidence:
        return None
    return subject, evidence


def _has_evidence(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    found = _spans(contract, schema, ctx)
    if found is None:
        return []
    subject, evidence = found
    check = column_check(
        isin_test(evidence[subject].dropna()),
        rule("has-evidence"),
        "every record needs an evidence span",
    )
    return [(schema.primary_key[0], check)]


register(
    "has-evidence",
    "tables with an evidence subject column (records), given the evidence table",
    "the primary key; the evidence table's subject column",
    "every record needs an evidence span",
)(_has_evidence)


def _verbatim(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    found = _spans(contract, schema, ctx)
    if found is None or not schema.verbatim_fields:
        return []
    subject, evidence = found
    key_fk = next(
        (
            fk
            for fk in contract[contract.evidence_table or ""].foreign_keys
            if fk.resource in contract.tables and contract[fk.resource].role == "structure"
        ),
        None,
    )
    if key_fk is None:
        return []
    passages = ctx.tables.get(key_fk.resource)
    text_fields = contract[key_fk.resource].memo_text("span")
    if passages is None or key_fk.field not in evidence or not text_fields:
        return []
    if key_fk.ref_field not in passages or text_fields[0] not in passages:
        return []
    spans = evidence.loc[evidence[subject].notna(), [subject, key_fk.field]]  # columns first
    table = passages.dropna(subset=[key_fk.ref_field]).drop_duplicates(key_fk.ref_field)
    words = [*texts(table[text_fields[0]]), ""]  # the last entry: a passage that does not exist
    at = positions(spans[key_fk.field], table[key_fk.ref_field])
    span_text = [words[i] for i in at]  # -1 picks the empty text
    span_record = spans[subject]
    pk = schema.primary_key[0]
    built: Built = []
    for name in schema.verbatim_fields:

        def inside(frame: pd.DataFrame, n: str = name) -> np.ndarray:
            record_at = positions(span_record, frame[pk])
            # Each span's record's value, gathered by numpy: `in` then runs in map's C loop
            # (a generator with an index per pair was a second of the 1M-row package).
            values = np.array([*texts(frame[n]), ""], dtype=object)[record_at]
            hit = np.fromiter(map(operator.contains, span_text, values), bool, len(span_text))
            hit &= record_at >= 0  # -1 picked the '' above, which every text contains
            found = np.bincount(record_at[hit], minlength=len(frame)) > 0
            return found | ~valid(frame[n])

        message = "must be words of a passage the record's evidence quotes"
        built.append((None, row_rule(inside, rule("verbatim"), name, message, [pk, name])))
    return built


register(
    "verbatim",
    "verbatim fields (field property verbatim) of a record table, given evidence and passages",
    "the primary key, the field; the record's evidence spans and their passages",
    "must be words of a passage the record's evidence quotes",
)(_verbatim)


def _names(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    found = _spans(contract, schema, ctx)
    if found is None or NAMES_FIELD not in schema.field_names:
        return []
    subject, evidence = found
    quote = next(iter(contract[contract.evidence_table or ""].memo_text("span")), None)
    if quote is None or quote not in evidence:
        return []
    forms = evidence.loc[evidence[subject].notna(), [subject, quote]].dropna().drop_duplicates()
    quotes: dict[str, list[str]] = {}
    for record, said in zip(texts(forms[subject]), texts(forms[quote]), strict=True):
        quotes.setdefault(record, []).append(said)
    expected = {record: NAME_SEPARATOR.join(said) for record, said in quotes.items()}
    pk = schema.primary_key[0]

    def names(frame: pd.DataFrame) -> np.ndarray:
        keys, written = texts(frame[pk]), texts(frame[NAMES_FIELD])
        return np.fromiter(
            (expected.get(k, "") == w for k, w in zip(keys, written, strict=True)),
            bool,
            len(keys),
        )

    message = "must list the actor's evidence quotes in order"
    check = row_rule(names, rule("names-from-evidence"), NAMES_FIELD, message, [pk, NAMES_FIELD])
    return [(None, check)]


register(
    "names-from-evidence",
    f"record tables with a {NAMES_FIELD} field, given the evidence table",
    f"the primary key, {NAMES_FIELD}; the record's evidence quotes",
    "must list the actor's evidence quotes in order",
)(_names)
