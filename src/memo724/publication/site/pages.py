"""The site's pages, written from Jinja2 templates, with the figures and the assets they use.

`write_site(layout, out)` writes into `out` (normally `<release>/site/`):

    index.html      title, authorship, licence, citation, row counts, links to every table and doc,
                    and the dataset as a schema.org Dataset in JSON-LD for search engines
    reader.html     the memo by passage, every evidence span marked; #<table>/<id> opens a record
    timeline.html   every event with a time window on a time axis (Vega-Lite, drawn by the
                    bundled Vega), with the basis of each window
    network.html    actors, relations and shared events (layout computed here by networkx)
    profiles.html   every actor and event, each with a profile page: actors/<id>.html and
                    events/<id>.html (relations, shared events by date, stances, risks, quotes)
    figures/        the two figures as standalone SVG and PNG, and their Vega-Lite specs
    assets/         the stylesheet, the reader's script, the Vega bundle and its licence notice

Nothing depends on the clock or on the order of a hash: the same package gives the same bytes.
Links to the package's files are relative (`../data/events.csv`), so the site works from the
release folder, from its zip once unpacked, and from `file://` without a network.
"""

from __future__ import annotations

import json
import shutil
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ...contract import singular
from ...contract.paths import Layout
from ..changes import release_date
from ..croissant import schema_org_dataset
from ..docs import reliability_summary
from .figures import (
    Figure,
    bundle_versions,
    figures,
    link_lines,
    link_types,
    memo_month,
    placed_events,
    render_png,
    render_svg,
)
from .figures import vega_bundle as _vega_bundle
from .gather import SiteData, gather
from .marks import DEFAULT_LAYERS, PATTERNS, marked_passages
from .profiles import PROFILED, Profiles

NAV = (
    ("index", "Overview"),
    ("reader", "Memo reader"),
    ("profiles", "Actors and events"),
    ("timeline", "Timeline"),
    ("network", "Actor network"),
)
# Files of a release the index links to when they are there, in this order.
DOCS = (
    ("README.md", "README: what the package is and how to load it"),
    ("DATACARD.md", "Data card: motivation, composition, curation, known gaps"),
    ("CODEBOOK.md", "Codebook: every field and coded value with an example"),
    ("CHANGELOG.md", "Changelog"),
    ("CITATION.cff", "Citation file"),
    ("LICENSE", "Licence terms"),
    ("datapackage.json", "Frictionless descriptor"),
    ("croissant.json", "Croissant metadata (MLCommons), for ML loaders and dataset search"),
)


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("memo724.publication.site", "templates"),
        autoescape=select_autoescape(("html", "j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


def _json(value: Any) -> str:
    """JSON for a file: sorted keys, no trailing spaces, one final newline."""
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def reader_payload(data: SiteData) -> dict[str, Any]:
    """What the reader's script needs: every record table's rows and every evidence span."""
    tables: dict[str, Any] = {}
    for name in data.contract.tables:
        if data.contract[name].role in ("evidence", "structure"):
            continue  # the spans go in `evidence` below, the passages are the page itself
        table = data.tables[name]
        tables[name] = {
            "key": table.key,
            "label": table.label,
            "fields": table.schema.field_names,
            "refs": {fk.field: fk.resource for fk in table.schema.foreign_keys},
            "rows": table.rows,
        }
    evidence = {
        ev.evidence_id: {
            "t": ev.table,
            "id": ev.record_id,
            "q": ev.exact,
            "p": ev.passage_id,
            "s": ev.start,
            "c": [list(ref) for ref in ev.refs],
        }
        for ev in data.evidence
    }
    kinds = {name: i % PATTERNS for i, name in enumerate(data.record_tables)}
    return {"tables": tables, "evidence": evidence, "kinds": kinds, "profiles": list(PROFILED)}


def _actor_name(data: SiteData, actor_id: str | None) -> str:
    if not actor_id:
        return ""
    try:
        return data.tables["actors"].row(actor_id).get("name", actor_id)
    except KeyError:
        return actor_id


def citation(data: SiteData) -> str:
    """A plain citation of the dataset and of the memo, from the descriptor and `documents`."""
    doc = data.document
    meta = data.metadata
    title = meta.get("title") or f"{doc.get('title', '')} as data"
    version = meta.get("version", "")
    memo = (
        f"{_actor_name(data, doc.get('author_actor_id'))}, \u201c{doc.get('title', '')}\u201d, "
        f"{doc.get('series', '')} No. {doc.get('number', '')}, {doc.get('date_edtf', '')}"
    )
    name = meta.get("name", "")
    return f"{name} contributors. {title}. Version {version}. Data package of: {memo}."


def dataset_jsonld(data: SiteData, root: Path) -> dict[str, Any] | None:
    """The schema.org Dataset the index embeds for search engines, as croissant.json states it,
    with a download for each of the descriptor's files; None without a descriptor."""
    if not data.metadata:
        return None
    changelog = root / "CHANGELOG.md"
    released = release_date(root, data.metadata["version"]) if changelog.is_file() else None
    files = [(f"../{r['path']}", r["mediatype"]) for r in data.resources]
    return schema_org_dataset(data.metadata, released, files)


def _context(data: SiteData, root: Path) -> dict[str, Any]:
    doc = data.document
    counts = data.counts()
    kinds = [
        {
            "table": name,
            "kind": singular(name),
            "index": i % PATTERNS,
            "spans": sum(1 for ev in data.evidence if ev.table == name),
            "shown": name in DEFAULT_LAYERS,
        }
        for i, name in enumerate(data.record_tables)
    ]
    return {
        "meta": data.metadata,
        "doc": doc,
        "author": _actor_name(data, doc.get("author_actor_id")),
        "affiliation": _actor_name(data, doc.get("affiliation_actor_id")),
        "counts": counts,
        "tables": [
            {
                "name": name,
                "rows": counts[name],
                "description": data.contract[name].descriptor.get("description", ""),
                "parquet": (root / "parquet" / f"{name}.parquet").is_file(),
            }
            for name in data.contract.tables
        ],
        "docs": [
            (rel, label)
            for rel, label in DOCS
            if (root / rel).is_file() or rel == "datapackage.json"
        ],
        "sqlite": sorted(p.name for p in root.glob("*.sqlite")),
        "kinds": kinds,
        "nav": NAV,
        "root": "",
        "evidence_count": len(data.evidence),
        "citation": citation(data),
        "dataset_jsonld": dataset_jsonld(data, root),
        "versions": bundle_versions(),
    }


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="\n")


def third_party_notice() -> str:
    versions = bundle_versions()
    licence = ""
    dist = metadata.distribution("vl-convert-python")
    for file in dist.files or []:
        if file.name.upper().startswith("LICENSE"):
            licence = file.read_text(encoding="utf-8")
            break
    lines = [
        "assets/vega-bundle.js holds Vega, Vega-Lite and Vega-Embed with their dependencies,",
        f"as bundled by vl-convert-python {dist.version}:",
        "",
        *(f"  {name} {version}" for name, version in versions.items()),
        "",
        "Vega, Vega-Lite and Vega-Embed: Copyright (c) the University of Washington Interactive",
        "Data Lab, BSD-3-Clause licence. The bundle keeps the licence comments of its parts.",
        "",
        "vl-convert's licence:",
        "",
        licence.strip(),
        "",
    ]
    return "\n".join(lines)


def write_figures(figs: list[Figure], out: Path) -> None:
    for fig in figs:
        _write(out / "figures" / f"{fig.name}.vl.json", _json(fig.spec))
        svg = render_svg(fig.spec)
        _write(out / "figures" / f"{fig.name}.svg", svg)
        _write(out / "figures" / f"{fig.name}.png", render_png(svg))


def write_site(
    layout: Layout, out: Path, descriptor: Path | None = None, bundle: str | None = None
) -> list[Path]:
    """Write the site for the package at layout into out; returns the files written, sorted.

    The site's links to the package's files assume out is `<package root>/site`. descriptor: where
    to read the title, version and licences (default: the package's own datapackage.json).
    """
    data = gather(layout, descriptor)
    env = environment()
    context = _context(data, layout.root)
    figs = figures(data)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    passages = marked_passages(data)
    profiles = Profiles(data)
    pages: dict[str, dict[str, Any]] = {
        "index": {"figures": figs, "reliability": reliability_summary(layout.root)},
        "reader": {"passages": passages, "payload": reader_payload(data)},
        "timeline": {
            "figure": figs[0],
            "events": placed_events(data),
            "memo": memo_month(data),
            "unplaced": [
                r
                for r in data.tables["events"].rows
                if not (r.get("time_start") or r.get("time_end"))
            ],
        },
        "network": {
            "figure": figs[1],
            "actors": sorted(
                data.tables["actors"].rows, key=lambda r: (r["name"].casefold(), r["actor_id"])
            ),
            "links": link_lines(data),
            "relation_types": link_types(data),
        },
        "profiles": {"listing": profiles.listing()},
    }
    for page, extra in pages.items():
        html = env.get_template(f"{page}.html.j2").render(page=page, **context, **extra)
        _write(out / f"{page}.html", html)
    for table in PROFILED:
        template = env.get_template(f"{singular(table)}.html.j2")
        build = profiles.actor if table == "actors" else profiles.event
        for row in data.tables[table].rows:
            key = row[data.tables[table].key or ""]
            html = template.render(page="profiles", **{**context, "root": "../"}, p=build(key))
            _write(out / table / f"{key}.html", html)

    write_figures(figs, out)
    static = resources.files("memo724.publication.site") / "static"
    for name in ("site.css", "reader.js", "charts.js"):
        _write(out / "assets" / name, (static / name).read_text(encoding="utf-8"))
    _write(out / "assets" / "vega-bundle.js", bundle if bundle is not None else _vega_bundle())
    _write(out / "assets" / "THIRD-PARTY.txt", third_party_notice())
    return sorted(p for p in out.rglob("*") if p.is_file())
