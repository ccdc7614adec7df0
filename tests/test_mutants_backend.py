"""Pandera's backend loaded without hypothesis (validation/backend.py), called directly.

The function runs when validation/api.py is imported, so mutmut's forked runs (which never
import a module again) never reached it: its mutants all survived (MUTATION.md). These tests
call it with Pandera's builtin checks module replaced by a stand-in whose import records what
`import hypothesis` does at that moment, so each case (hypothesis hidden during the import,
shown again after it, left alone when imported before or by the import) is observed.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Callable
from typing import Any

import pytest

from memo724.validation.backend import load_without_data_synthesis

BUILTIN = "pandera.backends.pandas.builtin_checks"


class _StandIn(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports BUILTIN as an empty module, running `during` at that moment."""

    def __init__(self, during: Callable[[], Any]) -> None:
        self.during = during
        self.seen: list[Any] = []

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name == BUILTIN:
            return importlib.machinery.ModuleSpec(name, self)
        return None

    def create_module(self, spec: Any) -> types.ModuleType:
        return types.ModuleType(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        self.seen.append(self.during())


def _try_hypothesis() -> str:
    try:
        import hypothesis  # noqa: F401
    except ImportError:
        return "refused"
    return "imported"


def _stand_in(m: pytest.MonkeyPatch, during: Callable[[], Any]) -> _StandIn:
    import pandera.backends.pandas as parent

    finder = _StandIn(during)
    _forget(m, BUILTIN)
    m.setattr(parent, "builtin_checks", None, raising=False)  # put back (or removed) after
    m.setattr(sys, "meta_path", [finder, *sys.meta_path])
    return finder


def _forget(m: pytest.MonkeyPatch, name: str) -> None:
    # setitem first: the undo then puts the module back, or removes it if it was not imported
    m.setitem(sys.modules, name, None)
    m.delitem(sys.modules, name)


def _forget_hypothesis(m: pytest.MonkeyPatch) -> None:
    _forget(m, "hypothesis")


# Each test changes sys.modules only inside `monkeypatch.context()`, undone before the test
# returns: pytest's hypothesis plugin imports from hypothesis in its own hooks.


def test_hypothesis_is_refused_while_the_backend_loads_and_importable_after() -> None:
    with pytest.MonkeyPatch.context() as m:
        _forget_hypothesis(m)
        finder = _stand_in(m, lambda: (sys.modules.get("hypothesis", "absent"), _try_hypothesis()))
        load_without_data_synthesis()
        seen, loaded, left = finder.seen, BUILTIN in sys.modules, "hypothesis" in sys.modules
    assert seen == [(None, "refused")]
    assert loaded
    assert not left  # a later `import hypothesis` loads it


def test_hypothesis_imported_before_is_left_as_it_is() -> None:
    already = types.ModuleType("hypothesis")
    with pytest.MonkeyPatch.context() as m:
        m.setitem(sys.modules, "hypothesis", already)
        finder = _stand_in(m, lambda: sys.modules.get("hypothesis"))
        load_without_data_synthesis()
        seen, left = finder.seen, sys.modules.get("hypothesis")
    assert seen == []  # nothing loaded here: Pandera loads its backend when it wants
    assert left is already


def test_hypothesis_imported_by_the_backend_itself_is_kept() -> None:
    real = types.ModuleType("hypothesis")

    def imports_it() -> None:
        sys.modules["hypothesis"] = real

    with pytest.MonkeyPatch.context() as m:
        _forget_hypothesis(m)
        _stand_in(m, imports_it)
        load_without_data_synthesis()
        left = sys.modules.get("hypothesis")
    assert left is real


def test_hypothesis_is_shown_again_when_the_backend_fails_to_load() -> None:
    def fails() -> None:
        raise RuntimeError("backend broken")

    with pytest.MonkeyPatch.context() as m:
        _forget_hypothesis(m)
        _stand_in(m, fails)
        try:
            load_without_data_synthesis()
        except RuntimeError as exc:
            raised = str(exc)
        else:
            raised = ""
        left = "hypothesis" in sys.modules
    assert raised == "backend broken"
    assert not left
