"""The coder's manual: what a blind second coder reads besides the memo.

Built from the schemas (tables, fields, which ones a coder writes) and the codebook (definitions,
unitizing and coding rules), with every example that quotes the memo taken out: a coder who sees
the main coding's examples would copy them, and the agreement would measure the copying.
"""

from __future__ import annotations

import re
from typing import Any

from ..contract import Contract
from ..contract.errors import DatasetError, Problem
from ..contract.paths import Layout
from .build import derived_fields
from .codebook import resolve_definitions

MANUAL_PATH = "curation/blind/MANUAL.md"


def coded_tables(contract: Contract) -> list[str]:
    """The tables a coder writes records for, in reading order: those of role "record" (the
    document and its passages are the memo's structure, link tables are a record's lists, and
    evidence is located by the build)."""
    return contract.with_role("record")


# Quoted stretches, straight or curly; a parenthesis holding one is an example and goes whole.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
_PAREN = re.compile(r"\s*\([^()]*\)")
_WORD = re.compile(r"[a-z0-9']+")
# Words shared with the memo in a row this long are a quote, whatever the punctuation around them.
SHARED_WORDS = 5


def _grams(text: str, n: int = SHARED_WORDS) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def strip_examples(text: str, memo: str) -> str:
    """Drop each parenthesis or phrase that carries the memo's words; keep the definition.

    A parenthesis goes whole when it quotes anything or shares a run of words with the memo
    (examples such as a list of the memo's actors); a quoted phrase outside one goes too, and
    with it an `e.g.` that introduced it.
    """
    memo_grams = _grams(memo, 2)
    folded = memo.lower()

    def quoted_from_memo(inner: str) -> bool:
        return any(q[1:-1].strip().lower() in folded for q in _QUOTED.findall(inner))

    def example(inner: str) -> bool:
        return quoted_from_memo(inner) or bool(_grams(inner, 2) & memo_grams)

    text = _PAREN.sub(lambda m: "" if example(m.group(0)) else m.group(0), text)
    text = re.sub(
        r",?\s*(?:e\.g\.|for example|such as)?\s*(" + _QUOTED.pattern + ")",
        lambda m: "" if quoted_from_memo(m.group(1)) else m.group(0),
        text,
    )
    return re.sub(r"\s+([,.;:])", r"\1", text).strip()


def leaked_phrases(text: str, memo: str) -> list[str]:
    """Runs of SHARED_WORDS words that a manual shares with the memo's body (empty when blind).

    The title block is exempt: the coder reads the memo anyway, and the manual names it.
    """
    body = memo.split("\n", 5)[-1]
    shared = _grams(text) & _grams(body)
    title = _grams(memo.split("\n", 1)[0])
    return sorted(" ".join(g) for g in shared - title)


def coder_fields(contract: Contract, table: str) -> list[dict[str, Any]]:
    """The fields a coder writes for a table: not the key, not what the build derives."""
    schema = contract[table]
    derived = derived_fields(schema) | set(schema.primary_key)
    return [f for f in schema.fields if f["name"] not in derived]


def manual_markdown(contract: Contract, codebook: dict[str, Any], memo: str) -> str:
    rules = codebook["coder_manual"]
    definitions = resolve_definitions(codebook)
    out = [
        "# Coder's manual: a second, blind coding of PONARS Eurasia Policy Memo No. 724",
        "",
        "<!-- Written by `memo724 manual` from schemas/ and curation/codebook.yaml; "
        "do not edit. -->",
        "",
        "You code the memo a second time, on your own. Read only the memo "
        "(`data/ponars-policy-memo-724.txt`) and this manual: not `data/`'s tables, not "
        "`curation/records/`, not `curation/reviews/`, not CODEBOOK.md or any other coding of "
        "the memo. Your coding is compared with the main one to measure how reliable the coding "
        "is; a look at the other coding would make the figure worthless.",
        "",
        "## How to write records",
        "",
        "- Write YAML files in your part's folder, `curation/blind/<part>/records/` "
        "(for example `10-coding.yaml`). A file maps a table name to a list of records.",
        "- Every record has an `id` of your choosing (a readable slug: lower-case words joined "
        "by hyphens), the fields listed below for its table, and `evidence`: a list of quotes.",
        "- A quote is a string copied exactly from the memo (markup such as `[anchor](#)` and "
        "`*emphasis*`, curly quotes and dashes included), or a mapping with `quote`, optional "
        "`context` (a longer exact string that occurs once in the memo and contains the quote "
        "once: use it when the quote alone occurs more than once) and optional `cites` (the id "
        "of the source the memo attaches to the claim).",
        "- Records refer to each other by id (actors, events, positions, risks, assessments, "
        "sources within your part). Define every actor you refer to in your part.",
        "- Dates: a `date:` group (events, sources) or `as_of:` group (positions) with `text` "
        "(the memo's words, verbatim) and `edtf`: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, seasons "
        "`YYYY-21`..`YYYY-24` (spring, summer, autumn, winter), decades `YYYX`, intervals `A/B` "
        "with `..` for an open end. Never more precise than the words; leave the group out when "
        "the memo gives no date.",
        "- Child lists: an event's `participants: [{actor_id, role}]`; a risk's "
        "`actors: [{actor_id, role}]`.",
        "- A time link's anchor is another event (`anchor_event_id`) or the memo's own date "
        "(`anchor_document_id: ponars-memo-724`).",
        "- Check your part as you go: `.venv/bin/memo724 second-coding check "
        "curation/blind/<part>` locates every quote and checks every coded value and reference; "
        "it prints each problem with its file and line.",
        "",
        "## Deciding the units",
        "",
        *[f"- {rule}" for rule in rules["unitizing"]],
        "",
        "## Coding the values",
        "",
        *[f"- {rule}" for rule in rules["coding"]],
        "",
        "## Tables, fields and values",
    ]
    for table in coded_tables(contract):
        schema = contract[table]
        out += ["", f"### {table}", "", strip_examples(schema.descriptor["description"], memo), ""]
        for child, child_table in contract.record_lists.get(table, {}).items():
            out.append(
                f"- `{child}`: a list of `{{actor_id, role}}` "
                f"({strip_examples(contract[child_table].descriptor['description'], memo)})"
            )
        for f in coder_fields(contract, table):
            name = f["name"]
            required = " Required." if f.get("constraints", {}).get("required") else ""
            out.append(f"- `{name}`: {strip_examples(f.get('description', ''), memo)}{required}")
        groups = [f"{table}.{f['name']}" for f in coder_fields(contract, table)]
        groups += [f"{t}.role" for t in contract.record_lists.get(table, {}).values()]
        for key in groups:
            values = definitions.get(key, {})
            if not values or key.endswith(("_precision", "plover_event_type", "quad_class")):
                continue
            out += ["", f"Values of `{key.split('.', 1)[1]}`"]
            if key.endswith(".role"):
                out[-1] += f" in `{key.split('.')[0]}`"
            out += [""] + [f"- `{v}`: {strip_examples(d, memo)}" for v, d in values.items()]
    return "\n".join(out) + "\n"


def refresh_manual(layout: Layout, check_only: bool = False) -> bool:
    """Whether the committed manual (MANUAL_PATH) differs from what layout's schemas and codebook
    give; unless `check_only`, it is then written."""
    from ..contract.memo import read_memo
    from .records import load_yaml

    text = manual_markdown(
        Contract(layout.schemas),
        load_yaml(layout.curation / "codebook.yaml", "curation/codebook.yaml"),
        read_memo(layout.memo),
    )
    leaks = leaked_phrases(text, read_memo(layout.memo))
    if leaks:
        raise DatasetError(
            [Problem(MANUAL_PATH, "blind-manual", f"would quote the memo: {'; '.join(leaks[:5])}")]
        )
    target = layout.root / MANUAL_PATH
    stale = not target.is_file() or target.read_text(encoding="utf-8") != text
    if not check_only:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return stale
