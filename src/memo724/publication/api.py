"""The publication stage's face: what the command line calls. Each name is imported when first
used (_lazy.py): `memo724 figures` reads a copy with pandas and pyarrow alone, while the build
and the release need the curation and validate extras."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from .build import build
    from .figures import figures_text
    from .release import release

__all__ = ["build", "figures_text", "release"]

__getattr__ = lazy_exports(
    "memo724.publication",
    {"build": ".build", "figures_text": ".figures", "release": ".release"},
)
