"""Hatchling metadata hook: the wheel's long description is the README's user part.

The README's "Maintaining" section (make release, make test) means nothing to someone who
installed the wheel; it follows the marker line below, which memo724.publication.python_dist
also uses to cut the release's README.md (a test checks both cuts agree).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.metadata.plugin.interface import MetadataHookInterface

USER_PART_END = "<!-- END OF THE USER PART: what follows is for maintainers -->"


class CustomMetadataHook(MetadataHookInterface):
    def update(self, metadata: dict[str, Any]) -> None:
        text = (Path(self.root) / "README.md").read_text(encoding="utf-8")
        head, found, _ = text.partition(USER_PART_END)
        if not found:
            raise ValueError(f"README.md has no line {USER_PART_END!r} ending its user part")
        metadata["readme"] = {"content-type": "text/markdown", "text": head.rstrip() + "\n"}
