"""Every body sentence of the memo is quoted by some statement (or is a reviewed exclusion)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable

import pytest

from memo724.cli import main
from memo724.contract.paths import REPO, Layout
from memo724.contract.typed import text_frame as read_frame
from memo724.curation.coverage import coverage, exclusions, split_sentences


def test_sentences_split_where_a_reader_would() -> None:
    text = (
        'It is "stability at any price," i.e., the price. Ruling No. N 03-116, 2003. '
        "The U.S. withdrawal was pending. “momentary fellow travelers.” Next one.³ Last (here.)"
    )
    parts = [s.text for s in split_sentences("p", 100, text)]
    assert parts == [
        'It is "stability at any price," i.e., the price.',
        "Ruling No. N 03-116, 2003.",
        "The U.S. withdrawal was pending.",
        "“momentary fellow travelers.”",
        "Next one.³",
        "Last (here.)",
    ]
    first = split_sentences("p", 100, text)[1]
    assert text[first.start - 100 : first.end - 100] == first.text


def test_every_body_sentence_is_covered(pristine: Layout) -> None:
    frames = {n: read_frame(pristine.table(n)) for n in ("passages", "evidence", "sources")}
    cov = coverage(
        frames["passages"], frames["evidence"], frames["sources"], exclusions(REPO.curation)
    )
    print(
        f"\ncoverage: {len(cov.covered)} covered + {len(cov.excluded)} excluded "
        f"of {cov.total} body sentences = {cov.ratio:.1%}"
    )
    assert cov.total == 98
    assert not cov.missing, "uncovered:\n" + "\n".join(
        f"{s.sentence_id}: {s.text}" for s in cov.missing
    )


def test_reviewed_exclusions_count_only_for_their_exact_sentence(
    pristine: Layout, tmp_path
) -> None:
    frames = {n: read_frame(pristine.table(n)) for n in ("passages", "evidence", "sources")}
    last = frames["passages"].iloc[-1]
    sentence = split_sentences(last["passage_id"], int(last["start"]), last["text"])[-1]
    # Drop every span over that sentence, then exclude it by its exact words.
    ev = frames["evidence"]
    over = (ev["start"].astype(int) < sentence.end) & (ev["end"].astype(int) > sentence.start)
    frames["evidence"] = ev[~over]
    (tmp_path / "coverage-exclusions.yaml").write_text(
        f'- sentence: "{sentence.text}"\n  reason: test\n', encoding="utf-8"
    )
    cov = coverage(frames["passages"], frames["evidence"], frames["sources"], exclusions(tmp_path))
    assert cov.excluded == {sentence.sentence_id: "test"} and not cov.missing
    cov = coverage(frames["passages"], frames["evidence"], frames["sources"], {})
    assert [s.sentence_id for s in cov.missing] == [sentence.sentence_id]


def test_the_coverage_command_fails_while_a_sentence_is_uncovered(
    source_copy: Callable[[], Layout], capsys: pytest.CaptureFixture[str]
) -> None:
    """`memo724 coverage` as a maintainer runs it: exit 0 when every sentence is covered, 1 and
    the sentence named when no span covers it, 0 again once it is a reviewed exclusion."""
    layout = source_copy()
    assert main(["coverage", str(layout.root)]) == 0
    out = capsys.readouterr().out
    assert "uncovered" not in out and out.rstrip().endswith("body sentences = 100.0%")

    passages = read_frame(layout.table("passages"))
    last = passages.iloc[-1]
    sentence = split_sentences(last["passage_id"], int(last["start"]), last["text"])[-1]
    with layout.table("evidence").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    kept = [r for r in rows if int(r["end"]) <= sentence.start or int(r["start"]) >= sentence.end]
    assert len(kept) < len(rows)
    with layout.table("evidence").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)

    assert main(["coverage", str(layout.root)]) == 1
    out = capsys.readouterr().out
    uncovered = [line for line in out.splitlines() if line.startswith("uncovered")]
    assert uncovered == [
        f"uncovered {sentence.sentence_id} [{sentence.start}:{sentence.end}]: {sentence.text}"
    ]

    (layout.curation / "coverage-exclusions.yaml").write_text(
        f"- sentence: {json.dumps(sentence.text)}\n  reason: test\n", encoding="utf-8"
    )
    assert main(["coverage", str(layout.root)]) == 0
    assert "+ 1 excluded" in capsys.readouterr().out
