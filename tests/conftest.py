"""Shared fixtures: a freshly built copy of the package to read or to break."""

from __future__ import annotations

import contextlib
import http.server
import io
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from memo724.contract import Contract
from memo724.contract.paths import REPO, Layout
from memo724.publication.generate import build_copy


@pytest.fixture(scope="session")
def contract() -> Contract:
    return Contract(REPO.schemas)


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """A package built from the repository's records, once per session. Read, never modify."""
    layout = Layout(tmp_path_factory.mktemp("pristine"))
    build_copy(REPO, layout)
    return layout


@pytest.fixture
def package_copy(pristine: Layout, tmp_path: Path) -> Layout:
    """A writable copy of the built package (data, schemas, descriptor), without the records."""
    target = Layout(tmp_path / "copy")
    shutil.copytree(pristine.root, target.root)
    return target


@pytest.fixture
def source_copy(tmp_path: Path) -> Callable[[], Layout]:
    """A writable copy of the source checkout's inputs: records, schemas, memo, generated files."""

    def make() -> Layout:
        target = Layout(tmp_path / "source")
        for part in ("curation", "schemas", "data"):
            shutil.copytree(REPO.root / part, target.root / part)
        for name in (
            "datapackage.json",
            "README.md",
            "CODEBOOK.md",
            "CHANGELOG.md",
            "LICENSE",
            "DATACARD.md",
            "CITATION.cff",
        ):
            shutil.copyfile(REPO.root / name, target.root / name)
        return target

    return make


@pytest.fixture(scope="session")
def answers() -> dict[str, Any]:
    """EXAMPLES.md run exactly as written, in order: the names its blocks define (`ranked`, ...)."""
    text = (REPO.root / "EXAMPLES.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    assert len(blocks) == 6, "a set-up block and one block per question"
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for block in blocks:
            exec(compile(block, "EXAMPLES.md", "exec"), namespace)
    return namespace


def date_unreleased(root: Path) -> None:
    """Date the copy's top CHANGELOG entry if it reads "Unreleased", as a maintainer does before a
    release: between releases it is undated, and a release written from it would carry no date
    (Croissant's datePublished)."""
    from datetime import date

    from memo724.contract.version import __version__

    changelog = root / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            f"## [{__version__}] - Unreleased", f"## [{__version__}] - {date.today()}", 1
        ),
        encoding="utf-8",
    )


@pytest.fixture(scope="session")
def site_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release-shaped folder (data, schemas, docs) with its site/ written once per session."""
    from memo724.publication.release import DOCS
    from memo724.publication.site import write_site

    root = tmp_path_factory.mktemp("site-release")
    for part in ("data", "schemas"):
        shutil.copytree(REPO.root / part, root / part)
    for name in ("datapackage.json", *DOCS):
        shutil.copyfile(REPO.root / name, root / name)
    write_site(Layout(root), root / "site")
    return root


@dataclass
class Loopback:
    """A server on 127.0.0.1 that records every request: hostile URLs point here, and a test
    proves nothing was fetched by finding `seen` still empty."""

    url: str
    seen: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def loopback_server() -> Iterator[Loopback]:
    found = Loopback("")

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found.seen.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"document_id\n")  # plausible enough that a fetch would go on

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Counting)
    found.url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def loopback(loopback_server: Loopback) -> Loopback:
    """The session's loopback server with no request recorded yet."""
    loopback_server.seen.clear()
    return loopback_server
