"""pytest plugin of `make mutation`: leave out the tests that build a package.

mutmut runs every mutant's tests in a fresh pytest session, so a session fixture that builds the
package (`pristine`, a few seconds) would be built again for each of thousands of mutants. The
tests that use it are left out of the mutation run (`make test` still runs them all); the fast
tests that read the contract and the validators directly are what the score measures.
"""

from __future__ import annotations

import pytest

BUILDING_FIXTURES = frozenset({"pristine", "package_copy", "source_copy"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, left_out = [], []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        (left_out if names & BUILDING_FIXTURES else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
