"""Every footnote and hyperlink anchor of the memo is a source, anchored where it is printed."""

from __future__ import annotations

import re

from memo724.contract.memo import read_memo
from memo724.contract.paths import Layout
from memo724.contract.typed import text_frame as read_frame

ANCHOR = re.compile(r"\[[^\]]+\]\(#\)")


def test_every_hyperlink_anchor_is_a_source_without_a_url(pristine: Layout) -> None:
    text = read_memo(pristine.memo)
    anchors = [(m.start(), m.end()) for m in ANCHOR.finditer(text)]
    assert len(anchors) == 13
    sources = read_frame(pristine.table("sources"))
    evidence = read_frame(pristine.table("evidence"))
    links = sources[sources["kind"] == "hyperlink"]
    assert len(links) == 13
    spans = evidence[evidence["source_id"].isin(links["source_id"])]
    assert sorted(zip(spans["start"].astype(int), spans["end"].astype(int), strict=True)) == anchors
    assert not sources.apply(lambda r: r.astype(str).str.contains("http").any(), axis=1).any()
    # Each link supports some claim: a record's evidence cites it.
    assert set(links["source_id"]) <= set(evidence["cites_source_id"].dropna())


def test_every_footnote_is_a_source_with_its_marker(pristine: Layout) -> None:
    sources = read_frame(pristine.table("sources"))
    footnotes = sources[sources["kind"] == "footnote"]
    assert set(footnotes["marker"]) == {"¹", "²", "³"} and len(footnotes) == 3
    passages = read_frame(pristine.table("passages"))
    texts = set(passages.loc[passages["kind"] == "footnote", "text"])
    for citation, marker in zip(footnotes["citation_text"], footnotes["marker"], strict=True):
        assert f"{marker} {citation}" in texts
    assert "ГКПД" in " ".join(sources["citation_text"])  # the Cyrillic in the ruling number stays


def test_document_keeps_printed_and_corrected_date(pristine: Layout) -> None:
    doc = read_frame(pristine.table("documents")).iloc[0]
    assert doc["date_as_printed"] == "November 2012"
    assert (doc["date_edtf"], doc["date_start"], doc["date_end"]) == (
        "2021-11",
        "2021-11-01",
        "2021-11-30",
    )
    assert "2021" in doc["date_correction"]
