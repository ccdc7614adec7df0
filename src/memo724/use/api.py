"""The use stage's face to the command line: the installed copy, and verifying a vendored one."""

from __future__ import annotations

from .loader import package_layout
from .verify import verify_copy, verify_release

__all__ = ["package_layout", "verify_copy", "verify_release"]
