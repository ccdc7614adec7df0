"""Where the package's parts live, relative to one root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The source checkout: src/memo724/contract/paths.py -> repository root.
REPO_ROOT = Path(__file__).resolve().parents[3]

MEMO_NAME = "ponars-policy-memo-724.txt"
DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Layout:
    """The files of one copy of the package: the source checkout or a vendored copy."""

    root: Path

    @property
    def descriptor(self) -> Path:
        return self.root / DESCRIPTOR

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"

    @property
    def curation(self) -> Path:
        return self.root / "curation"

    @property
    def memo(self) -> Path:
        return self.data / MEMO_NAME

    def table(self, name: str) -> Path:
        return self.data / f"{name}.csv"

    def schema(self, name: str) -> Path:
        return self.schemas / f"{name}.json"


REPO = Layout(REPO_ROOT)
