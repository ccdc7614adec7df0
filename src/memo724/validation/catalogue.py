"""The catalogue of row rules: every rule the validators check, one registered record each.

A record (`Entry`) holds the rule (`contract.errors.Rule`: its name as users see it, the contract
facts it applies to, the fields it reads, its message) with an example failure line and, for the
rules memo724 derives itself, the builder that makes its checks for one table. Pandera's own
column options (dtype, required, unique, the column set) and the typed reader report the other
rules; they are registered here too, with no builder, so every rule a report names is an object
of this catalogue and the docs list them all (`memo724 build` writes the list into CODEBOOK.md).

The rules of a copy's files (descriptor, schemas, paths, sizes, JSON, UTF-8), of each cell's text,
and those the build, the release and `memo724 verify` report are registered here as well (no
builder; `kind` says which stage reports them), so that every rule a Problem can carry is one
record here (tests/test_rule_names.py reads src/ to hold that).

The form follows pycldf's validators and Pandera's registered checks: a list of records, each
applying by what the contract states (fields with an enum, date groups, the table that holds
evidence, ...), never by a table's name. `derive` (schemas.py) asks every builder in the
catalogue's stated order (`entries()`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ..contract.csv_rows import CELL_COUNT, CELL_SIZE, DUPLICATE_COLUMN, UNCLOSED_QUOTE
from ..contract.errors import Rule
from ..contract.rules import SPREADSHEET_RULE

if TYPE_CHECKING:
    import pandera.pandas as pa

    from ..contract import Contract, TableSchema

# What a builder returns: (field, check) pairs; field None for a check on the whole frame.
Built = list[tuple[str | None, "pa.Check"]]
Builder = Callable[["Contract", "TableSchema", Any], Built]


@dataclass(frozen=True)
class Entry:
    rule: Rule
    build: Builder | None = None  # None: Pandera's column options or the typed reader report it
    # What checks it: "table-schema" (a rule Table Schema states; Frictionless has it too),
    # "provenance" (derived by memo724), "contract" (written into the patterns both validators
    # read), "text" (each cell's text), "file" (a copy's files, before any row is read); and,
    # outside `memo724 validate`: "records" (the build), "release", "verify".
    kind: str = "provenance"

    @property
    def example(self) -> str:
        """A failure line as `memo724 validate` (or the build, release or blind-coding command
        that reports the rule) prints it (EXAMPLES), with this release's version and the
        versions it knows filled in: they change with every release."""
        text = EXAMPLES.get(self.rule.name, "")
        if VERSION in text or KNOWN in text:
            from ..contract.release import known_versions
            from ..contract.version import __version__, version_order

            text = text.replace(VERSION, __version__)
            # As this version's release prints it: it knows itself, though a checkout's
            # descriptor names this version only once the build (which writes these docs) ran.
            known = version_order({*known_versions(), __version__})
            text = text.replace(KNOWN, ", ".join(known))
        return text


# Every registered rule, by name, in the order of registration (which depends on what a process
# imported first: read `entries()` for the whole catalogue in its stated order).
CATALOGUE: dict[str, Entry] = {}

# The modules that register builders, in the order their checks run and the docs list them:
# Table Schema's constraints and keys, then the memo and the date groups, then the data model's
# rules, then each record's evidence. The catalogue's own rules (no builder) come first.
REGISTRARS = ("table_schema", "provenance", "rules", "records")


def register(
    name: str, applies: str, reads: str, message: str, kind: str = "provenance"
) -> Callable[[Builder], Builder]:
    """Return a function that registers a builder as the rule `name` (a rule is registered once).

    Called after the builder's definition, `register(...)(builder)`, never as a decorator:
    mutmut skips decorated functions, and the builders hold the rules' logic.
    """

    def decorate(build: Builder) -> Builder:
        _add(Entry(Rule(name, applies, reads, message), build, kind))
        return build

    return decorate


def declare(name: str, applies: str, reads: str, message: str, kind: str = "table-schema") -> Rule:
    """Register a rule that Pandera's own options or the typed reader check (no builder)."""
    return _add(Entry(Rule(name, applies, reads, message), None, kind)).rule


def adopt(rule: Rule, kind: str = "table-schema") -> Rule:
    """Register a rule defined where it is checked (the CSV reader, the contract's rules)."""
    return _add(Entry(rule, None, kind)).rule


def _add(entry: Entry) -> Entry:
    if entry.rule.name in CATALOGUE:
        raise ValueError(f"rule {entry.rule.name!r} is registered twice")
    CATALOGUE[entry.rule.name] = entry
    return entry


def entries() -> list[Entry]:
    """Every rule of the catalogue, in its stated order (REGISTRARS), whatever a process imported
    first: the registering modules are imported here, so no rule is missing either."""
    rank = {f"{__package__}.{name}": i for i, name in enumerate(REGISTRARS)}
    for module in rank:
        import_module(module)
    # A stable sort: within a module, rules keep the order the module registers them in.
    return sorted(CATALOGUE.values(), key=lambda e: rank.get(_module(e), -1))


def _module(entry: Entry) -> str:
    return entry.build.__module__ if entry.build is not None else __name__


def rule(name: str) -> Rule:
    """The registered rule of that name (KeyError for a name no record has)."""
    return CATALOGUE[name].rule


TYPE = declare(
    "type",
    "every field (its Table Schema type)",
    "the field",
    "must be a(n) {type}",
)
REQUIRED = declare(
    "required",
    "fields with constraints.required",
    "the field",
    "fails required",
)
UNIQUE = declare(
    "unique",
    "fields with constraints.unique (a one-field primary key is checked as this)",
    "the field",
    "fails unique",
)
PRIMARY_KEY = declare(
    "primaryKey",
    "tables whose primaryKey has several fields",
    "the key's fields",
    "fails primaryKey",
)
MISSING_COLUMN = declare(
    "missing-column",
    "every field of the schema",
    "the header",
    "fails missing-column",
)
UNEXPECTED_COLUMN = declare(
    "unexpected-column",
    "every table (a column the schema lacks)",
    "the header",
    "fails unexpected-column",
)
COLUMN_ORDER = declare(
    "column-order",
    "every table (the schema's field order)",
    "the header",
    "fails column-order",
)
SPREADSHEET = adopt(
    SPREADSHEET_RULE,
    kind="contract",  # written into the patterns both validators read; not Table Schema's own
)
for _csv_rule in (CELL_COUNT, UNCLOSED_QUOTE, CELL_SIZE, DUPLICATE_COLUMN):
    adopt(_csv_rule)

# The text rules of every table's cells (text.py scans them; their messages name the character).
CONTROL_CHARACTER = declare(
    "control-character",
    "every text file (by byte offset) and every cell, the memo's words included",
    "the file's text; each cell",
    "no C0 control but tab, LF and CR, no DEL, no C1 control",
    kind="text",
)
BIDI_CONTROL = declare(
    "bidi-control",
    "every cell but the memo's words at offsets (memoText fields)",
    "each cell",
    "no bidirectional embedding, override, isolate or mark (Trojan Source)",
    kind="text",
)
ZERO_WIDTH = declare(
    "zero-width",
    "every cell but the memo's words at offsets (memoText fields)",
    "each cell",
    "no zero-width space, joiner, non-joiner, word joiner or BOM",
    kind="text",
)
LINE_SEPARATOR = declare(
    "line-separator",
    "every cell, the memo's words included",
    "each cell",
    "no U+2028 or U+2029",
    kind="text",
)
NFC = declare(
    "nfc",
    "every cell but the memo's words at offsets (memoText fields)",
    "each cell",
    "text is in Unicode normalization form C",
    kind="text",
)
BLANK_LINE = declare(
    "blank-line",
    "every table's CSV",
    "its lines",
    "no empty line (it is reported, then removed from what both validators read)",
    kind="text",
)
READABLE_CSV = declare(
    "readable-csv",
    "every table's CSV",
    "the file",
    "a table can be read and has at least a header row",
    kind="text",
)

# The rules of a copy's files, its descriptor and its schemas, checked before any row is read.
DESCRIPTOR_RULE = declare(
    "descriptor",
    "the copy's datapackage.json",
    "the descriptor",
    "there is one, a JSON object listing every table as a resource with its path and schema",
    kind="file",
)
RELEASE_VERSION = declare(
    "release-version",
    "the descriptor's version (a copy is judged by the release it names)",
    "version",
    "names a release this memo724 knows (else: --contract VERSION for a package of its own)",
    kind="file",
)
CONTRACT_DRIFT = declare(
    "contract-drift",
    "the descriptor and every schema of a copy",
    "every property but a release's own (identity, bytes, hash)",
    "equal to the release's contract: what was added, removed, changed or reordered",
    kind="file",
)
CHANGED_SINCE_RELEASE = declare(
    "changed-since-release",
    "every data file of a copy of a release",
    "the file's bytes",
    "its sha256 is the release's (its rows are still checked)",
    kind="file",
)
LINE_ENDINGS = declare(
    "line-endings",
    "every data file of a copy of a release (and memo724 verify)",
    "the file's bytes",
    "the release's bytes; CRLF line ends alone are named with the fix, and the rows read",
    kind="file",
)
BYTE_COUNT = declare(
    "byte-count",
    "every resource of a package of its own that states bytes",
    "the file's size",
    "the size the descriptor states",
    kind="file",
)
HASH_COUNT = declare(
    "hash-count",
    "every resource of a package of its own that states a hash",
    "the file's sha256 (or MD5 without a prefix)",
    "the hash the descriptor states, sha256 or MD5",
    kind="file",
)
MISSING = declare(
    "missing",
    "every file the release lists",
    "the copy's folder",
    "the file is there",
    kind="file",
)
UNREADABLE = declare(
    "unreadable",
    "every file read",
    "the file",
    "the system lets it be read",
    kind="file",
)
NOT_A_REGULAR_FILE = declare(
    "not-a-regular-file",
    "every file read (and curated YAML)",
    "the file's type",
    "only regular files are read: no FIFO, device, socket or folder",
    kind="file",
)
FILE_SIZE = declare(
    "file-size",
    "every file read (and curated YAML)",
    "the file's size",
    "no larger than the limit for its kind (contract.files); not parsed when over",
    kind="file",
)
COPY_SIZE = declare(
    "copy-size",
    "a copy's data files together (memo724 validate and verify)",
    "their sizes",
    "no more than the copy's limit (contract.limits); not parsed when over",
    kind="file",
)
MEMORY = declare(
    "memory",
    "a copy's data files together",
    "their sizes and the system's available memory",
    "validating them needs no more memory than the system has; not parsed when it would",
    kind="file",
)
for _name, _what in (
    ("path", "non-empty text without a NUL character"),
    ("path-url", "not a URL: a copy is validated offline and nothing is fetched"),
    ("path-absolute", "relative to the copy"),
    ("path-parent", "never climbs out of the copy with '..'"),
    ("path-outside", "its real location, after symlinks, is inside the copy"),
):
    declare(
        _name,
        "every path the descriptor names (resources, schemas, dialects) and the release lists",
        "the path",
        _what,
        kind="file",
    )
JSON = declare(
    "json",
    "the descriptor and every schema",
    "the file's text",
    "parses as JSON",
    kind="file",
)
JSON_STRICT = declare(
    "json-strict",
    "the descriptor and every schema",
    "every key and number",
    "no duplicate key, NaN, Infinity, lone surrogate or integer beyond 2**53",
    kind="file",
)
JSON_DEPTH = declare(
    "json-depth",
    "the descriptor and every schema",
    "its nesting",
    "nested no more than 64 levels (contract.limits.MAX_JSON_DEPTH)",
    kind="file",
)
UTF_8 = declare(
    "utf-8",
    "every text file (and curated YAML)",
    "the file's bytes",
    "valid UTF-8, named by byte offset",
    kind="file",
)
UTF_8_BOM = declare(
    "utf-8-bom",
    "every text file",
    "its first bytes",
    "no byte order mark: the package is UTF-8 without BOM",
    kind="file",
)
TABLE_SCHEMA = declare(
    "table-schema",
    "every schema (the copy's, and the checkout's before a build)",
    "its fields and constraints",
    "a Table Schema object memo724 can derive checks from: fields with names and constraints",
    kind="file",
)
UNSUPPORTED_TYPE = declare(
    "unsupported-type",
    "every field of every schema",
    "type",
    "a type the validators derive checks for",
    kind="file",
)
UNSUPPORTED_CONSTRAINT = declare(
    "unsupported-constraint",
    "every field of every schema",
    "constraints",
    "a constraint the validators derive checks for",
    kind="file",
)
INVALID_PATTERN = declare(
    "invalid-pattern",
    "fields with constraints.pattern",
    "the pattern",
    "a regular expression both validators can compile, within the length and nesting limits",
    kind="file",
)
SCHEMA_PROPERTY = declare(
    "schema-property",
    "every schema that states memo724's own properties (contract/schema.py)",
    "role, statement, labelField, recordList, placesInTime; on a field, memoText and verbatim",
    "each as stated: a role of ROLES, true or false, a field of the table, a record's key, a"
    " key that names what it places, a kind of MEMO_TEXT_KINDS",
    kind="file",
)

# The rules of the curated records, checked by `memo724 build` before any table is written
# (curation/). `enum`, `required`, `edtf`, `verbatim` and `memo-hash` are the row rules of the
# same name, applied to the records; `utf-8`, `file-size` and `not-a-regular-file` the file rules.
for _name, _reads, _what in (
    ("yaml-syntax", "the file's text", "parses as YAML"),
    ("yaml-size", "its nesting and aliases", "within the limits of nesting and alias expansion"),
    ("yaml-tag", "its tags", "only the core schema's tags"),
    ("file-shape", "the file", "a mapping of table names to lists of records"),
    ("unknown-table", "its table names", "a record table of the contract"),
    ("record-shape", "each record", "a mapping"),
    ("unknown-key", "each record's keys", "a field of its table, or evidence or a record list"),
    ("scalar", "each key", "one value where the field takes one"),
    ("child-shape", "a record list (an event's participants)", "a list of mappings of its keys"),
    ("date-group", "a date group", "only the keys of a date group"),
    ("duplicate-id", "each record's id", "unique in its table"),
    ("evidence-required", "each record", "has evidence"),
    ("evidence-shape", "each evidence item", "a quote, or quote, context and cites as text"),
    ("quote", "each quote", "found in the memo exactly once (with its context)"),
    ("series-line", "the document's series line", "a line of the memo"),
    ("time-link", "each time link", "its subject and anchor name records"),
    ("front-matter", "the document's front matter", "the memo's first lines, in order"),
    ("heading", "the document's headings", "lines of the memo"),
    ("blind-part", "a blind coding's parts", "no part named as the document's own file"),
    ("reference", "a blind coding's keys", "each names a record of its part"),
    ("blind-manual", "the coder's manual", "quotes none of the memo's words"),
):
    declare(_name, "the curated records (memo724 build)", _reads, _what, kind="records")

# The rules of building and releasing (publication/).
for _name, _reads, _what in (
    ("busy", "the output folder's lock", "no other build or release is writing there"),
    ("generated", "every generated file", "equal to a fresh build (never edited by hand)"),
    ("changelog-entry", "CHANGELOG.md", "its top entry names the version being released"),
    ("python-dists", "pyproject.toml", "the wheel and sdist build"),
    ("release-exists", "releases/", "a version is released once"),
    ("site-extra", "the installed extras", "the site's dependencies are installed"),
    ("profile-page-name", "the label of each profiled record", "a safe page name"),
    (
        "code-reads",
        "the tables, fields and roles a feature of the code reads by name (CURATING.md)",
        "the schemas still have them: a renamed table fails loudly, never as an empty result",
    ),
):
    declare(_name, "the build and the release", _reads, _what, kind="release")

# The rules of `memo724 verify` (use/verify.py): a copy's files against a release's hashes.
for _name, _reads, _what in (
    ("against", "the list of hashes given", "a release's list of hashes"),
    ("drifted", "each listed file", "its sha256 is the release's"),
    ("unverified", "each file of the copy", "covered by the list of hashes"),
):
    declare(_name, "a copy's files (memo724 verify)", _reads, _what, kind="verify")

# Pandera's names of its built-in checks, as the registered rule they enforce.
PANDERA_RULES = {
    "not_nullable": REQUIRED,
    "field_uniqueness": UNIQUE,
    "multiple_fields_uniqueness": PRIMARY_KEY,
    "column_in_dataframe": MISSING_COLUMN,
    "column_in_schema": UNEXPECTED_COLUMN,
    "column_ordered": COLUMN_ORDER,
}


def table_schema_rules() -> frozenset[str]:
    """The rules Table Schema states (both validators enforce them); the others are provenance."""
    return frozenset(e.rule.name for e in entries() if e.kind == "table-schema")


def checks_for(contract: Contract, schema: TableSchema, ctx: Any) -> Built:
    """Every registered builder's checks for one table, in catalogue order."""
    built: Built = []
    for entry in entries():
        if entry.build is not None:
            built += entry.build(contract, schema, ctx)
    return built


# One real failure line per rule: the first failing case of tests/test_rule_catalogue.py, as
# `memo724 validate` prints it (that test proves each line; the docs list them).
# Placeholders of the examples that name this release or the releases it knows.
VERSION, KNOWN = "<this version>", "<known versions>"
EXAMPLES: dict[str, str] = {
    "type": (
        "events, row 6, field date_start: value '2021-02-30': must be a date (rule: type) [pandera]"
    ),
    "required": "actors, row 2, field name: fails required (rule: required) [pandera]",
    "unique": (
        "actors, row 4, field actor_id: value 'abdul-latif-pedram': fails unique (rule: "
        "unique) [pandera]"
    ),
    "primaryKey": (
        "risk_actors, row 3, field risk_id: fails primaryKey (rule: primaryKey) [pandera]"
    ),
    "missing-column": "events, field place: fails missing-column (rule: missing-column) [pandera]",
    "unexpected-column": (
        "events, field notes: fails unexpected-column (rule: unexpected-column) [pandera]"
    ),
    "column-order": "events, field summary: fails column-order (rule: column-order) [pandera]",
    "cell-count": (
        "actors, row 2: has 8 cells; the header has 7 (the row is not checked further) "
        "(rule: cell-count) [memo724]"
    ),
    "unclosed-quote": (
        "actors, row 2, field name: the quote opened on line 2 is never closed: it runs "
        "on to line 42, where a quote is followed by 'L'; the rows from line 3 on are "
        "read again (the row is not checked further) (rule: unclosed-quote) [memo724]"
    ),
    "cell-size": (
        "actors, row 2, field role_title: a cell of 1,048,577 characters, over the limit "
        "of 1,048,576 a cell may hold; it is not read (the row is not checked further) "
        "(rule: cell-size) [memo724]"
    ),
    "duplicate-column": (
        "actors, row 1, field name: the header names this column again as column 3; only "
        "the first is checked (rule: duplicate-column) [memo724]"
    ),
    "enum": (
        "events, row 2, field factuality: value 'Hypothetical': must be one of "
        "['occurred', 'reported', 'expected', 'hypothetical', 'negated'] (rule: enum) "
        "[pandera]"
    ),
    "pattern": (
        "actors, row 11, field iso3: value 'afg': must match [A-Z]{3} (rule: pattern) [pandera]"
    ),
    "minLength": (
        "actors, row 2, field role_title: value 'abcd': at least 5 characters (rule: "
        "minLength) [pandera]"
    ),
    "maxLength": (
        "actors, row 2, field actor_id: value "
        "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': at most 64 "
        "characters (rule: maxLength) [pandera]"
    ),
    "minimum": "documents, row 2, field number: value '0': must be >= 1 (rule: minimum) [pandera]",
    "maximum": (
        "documents, row 2, field number: value '725': must be <= 724 (rule: maximum) [pandera]"
    ),
    "spreadsheet-safe": (
        "actors, row 2, field role_title: value '=1+1': must not begin with =, +, -, @, "
        "tab or carriage return (a spreadsheet would run it as a formula) (rule: "
        "spreadsheet-safe) [pandera]"
    ),
    "foreignKey": (
        "risk_actors, row 2, field actor_id: value 'nobody': must be a actors.actor_id "
        "(rule: foreignKey) [pandera]"
    ),
    "date-order": (
        "events, row 6, field date_end: value '2021-09-30': date_end before date_start "
        "(rule: date-order) [pandera]"
    ),
    "edtf": (
        "events, row 6, field date_edtf: value '2021-13': must be an EDTF value of the "
        "codebook (rule: edtf) [pandera]"
    ),
    "edtf-bounds": (
        "events, row 6, field date_start: value '2021-09-30': must be the start that "
        "date_edtf gives (rule: edtf-bounds) [pandera]"
    ),
    "one-record": (
        "evidence, row 2, field evidence_id: value 'actor.abdul-latif-pedram.14235': "
        "exactly one of ['actor_id', 'event_id', 'position_id', 'risk_id', 'source_id', "
        "'assessment_id', 'relation_id', 'time_link_id'] must be filled (rule: "
        "one-record) [pandera]"
    ),
    "id-names-record": (
        "evidence, row 2, field evidence_id: value 'actor.abdul-latif-pedram.14235': must be "
        "<kind>.<record id>.<start> of the record its row points to (rule: id-names-record) "
        "[pandera]"
    ),
    "exact-at-offsets": (
        "evidence, row 2, field exact: value 'abdul latif pedram': memo[start:end] must "
        "equal exact (rule: exact-at-offsets) [pandera]"
    ),
    "prefix-at-offsets": (
        "evidence, row 2, field start: value '14235': prefix must be the 32 code points "
        "before start (rule: prefix-at-offsets) [pandera]"
    ),
    "suffix-at-offsets": (
        "evidence, row 2, field end: value '14253': suffix must be the 32 code points "
        "after end (rule: suffix-at-offsets) [pandera]"
    ),
    "span-in-passage": (
        "evidence, row 2, field passage_id: value 'title': the span must lie inside this "
        "passage (rule: span-in-passage) [pandera]"
    ),
    "text-at-offsets": (
        "passages, row 2, field text: value \"RUSSIA'S APPROACH TO AFGHANISTAN FOLLOWING "
        'THE TALIBAN TAKEOVER": memo[start:end] must equal text (rule: text-at-offsets) '
        "[pandera]"
    ),
    "memo-hash": (
        "documents, row 2, field sha256: value "
        "'0000000000000000000000000000000000000000000000000000000000000000': the shipped "
        "memo's sha256 is "
        "15d7950851dcc052a5ce54949b520583fbbda05fc50f5b111c8ca50198eda4a3 (rule: "
        "memo-hash) [pandera]"
    ),
    "memo-length": (
        "documents, row 2, field code_points: value '16901': the shipped memo has 16900 "
        "code points (rule: memo-length) [pandera]"
    ),
    "certainty-needs-hedge": (
        "risks, row 2, field certainty: value 'possible': a certainty below 'asserted' "
        "must show the memo's words in hedge (rule: certainty-needs-hedge) [pandera]"
    ),
    "band-needs-hedge": (
        "risks, row 5, field likelihood: value 'likely': an ICD 203 band needs the words "
        "that name a probability in hedge (rule: band-needs-hedge) [pandera]"
    ),
    "view-holder": (
        "risks, row 3, field attributed_to_actor_id: value 'russia': filled exactly when "
        "the view is an actor's (attribution other than 'author') (rule: view-holder) "
        "[pandera]"
    ),
    "view-holder-perceives": (
        "risks, row 2, field attributed_to_actor_id: value 'taliban': the actor whose "
        "view a risk is must be one of its perceivers (risk_actors) (rule: "
        "view-holder-perceives) [pandera]"
    ),
    "time-window": (
        "events, row 5, field time_start: value '2021-01-02': time_start must be what the "
        "stated date and the time links give (contract.timeline) (rule: time-window) "
        "[pandera]"
    ),
    "time-consistent": (
        "time_links, row 76, field relation: value 'after': the link contradicts the "
        "dates and links of its event and anchor (rule: time-consistent) [pandera]"
    ),
    "one-subject": (
        "time_links, row 2, field event_id: value 'spread-of-abandoned-arms': exactly one "
        "of event_id, position_id, relation_id must be filled (rule: one-subject) "
        "[pandera]"
    ),
    "one-anchor": (
        "time_links, row 2, field anchor_event_id: value "
        "'taliban-takeover-of-afghanistan': exactly one of anchor_event_id and "
        "anchor_document_id must be filled (rule: one-anchor) [pandera]"
    ),
    "not-self": (
        "time_links, row 5, field anchor_event_id: value "
        "'taliban-engage-isis-k-militarily': an event cannot be its own anchor (rule: "
        "not-self) [pandera]"
    ),
    "has-evidence": (
        "actors, row 77, field actor_id: value 'zz-actor-with-no-evidence': every record "
        "needs an evidence span (rule: has-evidence) [pandera]"
    ),
    "verbatim": (
        'events, row 2, field place: value "the country\'s gray areas itself": must be '
        "words of a passage the record's evidence quotes (rule: verbatim) [pandera]"
    ),
    "names-from-evidence": (
        "actors, row 4, field names_as_written: value 'the nascent anti-Taliban Afghan "
        "resistance | anti-Taliban resistance': must list the actor's evidence quotes in "
        "order (rule: names-from-evidence) [pandera]"
    ),
    # the rules of a copy's files and of each cell's text (FILE_CASES of that test)
    "descriptor": "datapackage.json: must be a JSON object (rule: descriptor)",
    "release-version": (
        'datapackage.json, field version: names version "9.9.9", not a release this memo724 '
        f"knows ({KNOWN}); install the memo724 of that version to "
        "judge it, or, if it is a package of its own in memo724's schemas, name the contract "
        "it follows: memo724 validate PATH --contract VERSION (rule: release-version)"
    ),
    "contract-drift": (
        "schemas/events.json, field factuality: constraints.enum changed: removed "
        '["occurred", "reported", "expected", "hypothetical", "negated"]; added ["Occurred"] '
        "(rule: contract-drift)"
    ),
    "changed-since-release": (
        f"data/actors.csv: changed since release {VERSION} (sha256 b49078862d58ea3e..., the "
        "release has ddf630dba27fe52d...); its rows are checked below (rule: "
        "changed-since-release)"
    ),
    "line-endings": (
        "data/actors.csv: only its line ends changed, LF to CRLF (Git's core.autocrlf?): put "
        "the release's .gitattributes in the copy's folder, then restore the files (copy "
        "them again, or `git rm --cached -r FOLDER` and `git checkout -- FOLDER`) (rule: "
        "line-endings)"
    ),
    "byte-count": (
        "actors: the descriptor says 7867 bytes; the file has 7866 (rule: byte-count) [memo724]"
    ),
    "hash-count": (
        "actors: the descriptor says sha256 "
        "0000000000000000000000000000000000000000000000000000000000000000; the file's is "
        "ddf630dba27fe52d178777c99999fbcc1504e272968c0b894de6b5f8dcf522cb (rule: hash-count) "
        "[memo724]"
    ),
    "missing": "data/sources.csv: the file is missing (rule: missing)",
    "unreadable": "data/sources.csv: Too many levels of symbolic links (rule: unreadable)",
    "not-a-regular-file": (
        "data/sources.csv: is a folder; only regular files are read (rule: not-a-regular-file)"
    ),
    "file-size": (
        "schemas/events.json: 1048577 bytes, more than the 1048576 bytes allowed here; not "
        "parsed (rule: file-size)"
    ),
    "copy-size": (
        "the copy: its data files hold 288013 bytes together, more than the 288012 bytes a "
        "copy may hold; not parsed (rule: copy-size)"
    ),
    "memory": (
        "the copy: its data files hold 288013 bytes together; validating them needs about 3x "
        "that in memory, more than the 864038 bytes this system has available; not parsed "
        "(rule: memory)"
    ),
    "path": (
        "datapackage.json, field resources[sources].path: a path must be non-empty text, not "
        "str (rule: path)"
    ),
    "path-url": (
        "datapackage.json, field resources[sources].path: "
        "'https://example.invalid/sources.csv' is a URL; a copy is validated offline and "
        "nothing is fetched (rule: path-url)"
    ),
    "path-absolute": (
        "datapackage.json, field resources[sources].path: '/data/sources.csv' is absolute; "
        "paths are relative to the copy (rule: path-absolute)"
    ),
    "path-parent": (
        "datapackage.json, field resources[sources].path: '../sources.csv' climbs out of the "
        "copy with '..' (rule: path-parent)"
    ),
    "path-outside": (
        "data/sources.csv: its real location (after symlinks) is outside the copy; it is not "
        "read (rule: path-outside)"
    ),
    "json": (
        "schemas/events.json: not valid JSON at line 1 column 2 (character 1): Expecting "
        "property name enclosed in double quotes (rule: json)"
    ),
    "json-strict": (
        "datapackage.json, field name: the key 'name' appears twice in one object (rule: "
        "json-strict)"
    ),
    "json-depth": (
        "datapackage.json, field "
        "x-nested[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]["
        "0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]["
        "0][0][0][0][0][0][0][0][0][0]: nested more than 64 levels deep (rule: json-depth)"
    ),
    "utf-8": (
        "data/actors.csv: invalid UTF-8 at byte offset 295 (invalid continuation byte: e4) "
        "(rule: utf-8)"
    ),
    "utf-8-bom": (
        "data/actors.csv: starts with a UTF-8 byte order mark (byte offset 0); the package "
        "is UTF-8 without BOM (rule: utf-8-bom)"
    ),
    "table-schema": (
        "schemas/events.json, field summary: required must be true or false (rule: table-schema)"
    ),
    "unsupported-type": (
        "schemas/events.json, field summary: type 'geopoint' has no derivation; use one of "
        "string, integer, number, boolean, date (rule: unsupported-type)"
    ),
    "unsupported-constraint": (
        "schemas/documents.json, field number: constraint 'exclusiveMinimum' has no "
        "derivation in memo724's validators (rule: unsupported-constraint)"
    ),
    "invalid-pattern": (
        "schemas/actors.json, field iso3: pattern '[A-Z' is not a valid regular expression "
        "(unterminated character set at position 0) (rule: invalid-pattern)"
    ),
    "schema-property": (
        "schemas/events.json: role 'recrod' is not one of document, structure, record, link, "
        "evidence (rule: schema-property)"
    ),
    "control-character": (
        "data/actors.csv: control character U+0001 at byte offset 88; text files hold no "
        "control characters but tab, LF and CR (rule: control-character)"
    ),
    "bidi-control": (
        "actors, row 2, field name: value 'A\\u202ebdul Latif Pedram': holds the "
        "bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) at character 1, which shows "
        "text in another order than it is stored (rule: bidi-control) [memo724]"
    ),
    "zero-width": (
        "actors, row 2, field name: value 'A\\u200bbdul Latif Pedram': holds the zero-width "
        "character U+200B (ZERO WIDTH SPACE) at character 1, which makes equal-looking "
        "values differ (rule: zero-width) [memo724]"
    ),
    "line-separator": (
        "actors, row 2, field name: value 'A\\u2028bdul Latif Pedram': holds the separator "
        "U+2028 (LINE SEPARATOR) at character 1, which breaks lines in JavaScript and some "
        "terminals (rule: line-separator) [memo724]"
    ),
    "nfc": (
        "actors, row 2, field name: value 'Ae\u0301bdul Latif Pedram': is not in Unicode "
        "normalization form C (NFC): U+0301 (COMBINING ACUTE ACCENT) at character 2 composes "
        "with the character before it (rule: nfc) [memo724]"
    ),
    "blank-line": (
        "actors, row 2: line 2 of the file is empty; a CSV row holds at least one cell "
        "(Frictionless reports it as a blank row) (rule: blank-line) [memo724]"
    ),
    "readable-csv": (
        "data/actors.csv: is empty: a table has at least a header row (rule: readable-csv)"
    ),
    # The build's, the release's and the blind coding's rules, as the command reporting them
    # prints them (`memo724 build`, `release`, `manual`, `second-coding`).
    "blind-part": (
        "curation/blind/zz-test/records/00-document.yaml: 00-document.yaml is reserved: the "
        "check writes the document's record (rule: blind-part)"
    ),
    "reference": (
        "curation/blind/zz-test/records/10-test.yaml:8: parent_actor_id 'rusia' names no "
        "actors record of this part (rule: reference)"
    ),
    "blind-manual": (
        "curation/blind/MANUAL.md: would quote the memo: the key words to describe "
        "(rule: blind-manual)"
    ),
    "generated": (
        "data/actors.csv: differs from a fresh build of curation/ (first difference at line "
        "1): edit the records and run the build, never the generated files (rule: generated)"
    ),
    "python-dists": (
        "pyproject.toml: hatchling build failed: ValueError: Missing required field "
        "`project.name` (rule: python-dists)"
    ),
    "release-exists": (
        f"releases/{VERSION}.json: version {VERSION} was released with other rows; bump the "
        "version (rule: release-exists)"
    ),
    "site-extra": (
        "site: writing the release's site needs jinja2: pip install 'ponars-memo-724[site]' "
        "(rule: site-extra)"
    ),
    "profile-page-name": (
        "actors.csv, row 2, field actor_id: value 'Zz-Actor': actor_id must match "
        "[a-z0-9]+(-[a-z0-9]+)* to name a profile page (rule: profile-page-name)"
    ),
    "code-reads": (
        "schemas/sources.json: coverage (a hyperlink source states nothing) reads sources.kind, "
        "which the schemas do not have: rename it back, or change that code (CURATING.md, "
        "'Where the code still names a table') (rule: code-reads)"
    ),
}
