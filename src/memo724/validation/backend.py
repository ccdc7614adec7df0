"""Pandera's pandas backend, loaded without its data synthesis (startup time)."""

from __future__ import annotations

import sys


def load_without_data_synthesis() -> None:
    """Import Pandera's pandas backend as it loads where hypothesis is not installed.

    Pandera imports hypothesis, when it is installed, for data synthesis (`schema.example()`),
    which validation never uses; in a development environment that import (hypothesis and what
    it pulls in) is most of a second of a cold `memo724 validate`, and Pandera has no setting to
    skip it. Hidden only while the backend loads, and only if nothing imported hypothesis before,
    so later imports of it still work. Called by the validation stage's face (api.py), which the
    command line, the build and the release use; `memo724.schema()` does not hide it, so a user's
    own `schema.example()` keeps working.
    """
    if "hypothesis" in sys.modules:
        return  # already paid for: the backend loads as Pandera wants, on first use
    sys.modules["hypothesis"] = None  # type: ignore[assignment]
    try:
        import pandera.backends.pandas.builtin_checks  # noqa: F401
    finally:
        if sys.modules.get("hypothesis") is None:
            del sys.modules["hypothesis"]
