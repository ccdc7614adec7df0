"""Rules that tie each record to its evidence: it has a span, its verbatim fields are the words of
a passage the span lies in, and the name forms it lists are the spans' own words.

Each applies to a table with an evidence subject column (contract.evidence_subjects), given the
evidence table (and the passages, for verbatim fields).
"""

from __future__ import annotations

import operator
import weakref
from typing import Any

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from ..contract import NAME_SEPARATOR, Contract, TableSchema
from .catalogue import Built, register, rule
from .checks import column_check, row_rule
from .columns import arrow, isin_test, positions, text_data, texts, valid

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
    ref, words_field = key_fk.ref_field, text_fields[0]

    def passage_words() -> tuple[np.ndarray, np.ndarray]:
        """Each evidence row's passage position, and the passages' words as Python strings ('' for
        a passage that does not exist, the last entry): computed once for every record table."""
        table = passages.dropna(subset=[ref]).drop_duplicates(ref)
        at = positions(evidence[key_fk.field], table[ref])
        words = np.array([*texts(table[words_field]), ""], dtype=object)
        return np.where(at >= 0, at, len(words) - 1), words

    at, words = ctx.memoized(f"verbatim-passages:{key_fk.field}", passage_words)
    has_record = valid(evidence[subject])
    span_record, span_words = evidence[subject][has_record], at[has_record]
    pk = schema.primary_key[0]
    built: Built = []
    # The frame last looked up (weakly: a check holding its frame would keep both, and the
    # schema Pandera registers on it, alive) and where each span's record is in it.
    last: list[Any] = [lambda: None, None]

    def records_at(frame: pd.DataFrame) -> np.ndarray:
        if last[0]() is not frame:  # one lookup per frame for all its verbatim fields
            last[:] = [weakref.ref(frame), positions(span_record, frame[pk])]
        return np.asarray(last[1])

    for name in schema.verbatim_fields:

        def inside(frame: pd.DataFrame, n: str = name) -> np.ndarray:
            record_at = records_at(frame)
            filled = valid(frame[n])
            # Only spans whose record exists and has a value can find it: the pairs are
            # gathered by numpy (the passages' strings shared, not copied) and `in` runs in
            # map's C loop; Arrow has no substring kernel with one pattern per row.
            pair = np.flatnonzero(record_at >= 0)
            pair = pair[filled[record_at[pair]]]
            values = pc.cast(arrow(frame[n]), pyarrow.string())
            needles = values.take(pyarrow.array(record_at[pair])).to_pylist()
            hay = words[span_words[pair]].tolist()
            hit = np.fromiter(map(operator.contains, hay, needles), bool, len(pair))
            found = np.bincount(record_at[pair[hit]], minlength=len(frame)) > 0
            return found | ~filled

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
    records, joined = _joined_by_record(forms[subject], forms[quote])
    pk = schema.primary_key[0]

    def names(frame: pd.DataFrame) -> np.ndarray:
        at = positions(frame[pk], records)
        expected = pc.fill_null(pc.take(joined, pyarrow.array(at, mask=at < 0)), "")
        written = pc.fill_null(text_data(frame[NAMES_FIELD]), "")
        same = pc.equal(pc.cast(expected, written.type), written)
        return np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool)

    message = "must list the actor's evidence quotes in order"
    check = row_rule(names, rule("names-from-evidence"), NAMES_FIELD, message, [pk, NAMES_FIELD])
    return [(None, check)]


def _joined_by_record(records: pd.Series, quotes: pd.Series) -> tuple[pd.Series, pyarrow.Array]:
    """(each record once, its quotes joined by NAME_SEPARATOR in the order given), grouped by
    numpy and joined by Arrow: a Python dict of lists took 3 s of a 10M-row validate."""
    codes, uniques = pd.factorize(records)
    order = np.argsort(codes, kind="stable")
    offsets = np.zeros(len(uniques) + 1, dtype=np.int32)
    np.cumsum(np.bincount(codes, minlength=len(uniques)), out=offsets[1:])
    said = pc.take(text_data(quotes), pyarrow.array(order))
    if isinstance(said, pyarrow.ChunkedArray):
        said = said.combine_chunks()
    lists = pyarrow.ListArray.from_arrays(pyarrow.array(offsets), said)
    return pd.Series(uniques), pc.binary_join(lists, pyarrow.scalar(NAME_SEPARATOR, said.type))


register(
    "names-from-evidence",
    f"record tables with a {NAMES_FIELD} field, given the evidence table",
    f"the primary key, {NAMES_FIELD}; the record's evidence quotes",
    "must list the actor's evidence quotes in order",
)(_names)
