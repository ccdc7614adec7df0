"""The memo's structure as passages, named by curation/structure.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..contract.errors import DatasetError, Problem
from ..contract.memo import read_memo, sha256_of
from .records import load_yaml

FOOTNOTE_MARKERS = "¹²³⁴⁵⁶⁷⁸⁹"


@dataclass(frozen=True)
class Passage:
    passage_id: str
    ordinal: int
    kind: str
    section: str
    start: int
    end: int
    text: str
    continues: str | None = None


@dataclass(frozen=True)
class Structure:
    document_id: str
    sha256: str
    passages: list[Passage]

    def passage_at(self, offset: int) -> Passage | None:
        for p in self.passages:
            if p.start <= offset < p.end:
                return p
        return None


def read_structure(curation_dir: Path, memo_path: Path) -> Structure:
    """Split the memo into its non-empty lines and name each by curation/structure.yaml.

    Each paragraph of the memo is one line, so a line is a passage. The structure file lists the
    front-matter lines, the section headings and the page breaks; footnotes are the lines that
    start with a superscript marker, everything else is a paragraph of the current section.
    """
    shown = "curation/structure.yaml"
    spec = load_yaml(curation_dir / "structure.yaml", shown)
    problems: list[Problem] = []
    actual = sha256_of(memo_path)
    if actual != spec["sha256"]:
        raise DatasetError(
            [
                Problem(
                    "data/" + memo_path.name,
                    "memo-hash",
                    f"sha256 {actual} differs from {spec['sha256']} in {shown}: "
                    "the memo must ship byte for byte as given",
                )
            ]
        )
    text = read_memo(memo_path)
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    front = list(spec["front_matter"])
    headings = {h["text"]: h["section"] for h in spec["sections"] if h.get("text")}
    first_section = next(h["section"] for h in spec["sections"] if not h.get("text"))
    breaks = set(spec.get("page_breaks_after", []))

    passages: list[Passage] = []
    counts: dict[str, int] = {}
    section = first_section
    continues_next: str | None = None
    for ordinal, (start, end, line) in enumerate(lines, start=1):
        continues, continues_next = continues_next, None
        if front:
            item = front.pop(0)
            if item["text"] != line:
                problems.append(
                    Problem(shown, "front-matter", f"expected {item['text']!r}, memo has {line!r}")
                )
            kind, pid, sec = item["kind"], item["kind"], "front-matter"
        elif line in headings:
            section = headings[line]
            counts["heading"] = counts.get("heading", 0) + 1
            kind, pid, sec = "heading", f"heading-{counts['heading']}", section
        elif line[0] in FOOTNOTE_MARKERS:
            kind, sec = "footnote", "footnotes"
            pid = f"footnote-{FOOTNOTE_MARKERS.index(line[0]) + 1}"
        else:
            counts["paragraph"] = counts.get("paragraph", 0) + 1
            kind, pid, sec = "paragraph", f"paragraph-{counts['paragraph']:02d}", section
            if any(line.endswith(b) for b in breaks):
                continues_next = pid
        passages.append(Passage(pid, ordinal, kind, sec, start, end, line, continues))
    missing = set(headings) - {p.text for p in passages if p.kind == "heading"}
    problems += [
        Problem(shown, "heading", f"heading {h!r} is not a line of the memo") for h in missing
    ]
    if front:
        problems.append(Problem(shown, "front-matter", "more front-matter lines than the memo has"))
    if problems:
        raise DatasetError(problems)
    return Structure(spec["document_id"], actual, passages)
