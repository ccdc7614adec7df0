"""The rule catalogue is whole and in its stated order, whatever a process imported first.

Rules register when their module is imported, so a process that imported the evidence rules
(records.py) before the others, or only the docs, once saw another order or a shorter list: the
checks ran in another order and CODEBOOK.md's rule list could miss rules. Each case runs in a
fresh interpreter, since this test process has long imported every module.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from memo724.contract.paths import REPO_ROOT
from memo724.validation.catalogue import REGISTRARS, entries

LIST = (
    "from memo724.validation.catalogue import entries\n"
    "from memo724.publication.docs import rules_markdown\n"
    "print(json.dumps([[e.rule.name for e in entries()], rules_markdown()]))\n"
)
FIRST = {
    "the docs alone": "",
    "the evidence rules first": "import memo724.validation.records\n",
    "the model's rules first": "import memo724.validation.rules\n",
    "the command line first": "import memo724.cli, memo724.validation.api\n",
}


def _listed(first: str) -> list:
    out = subprocess.run(
        [sys.executable, "-c", f"import json\n{first}{LIST}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("first", FIRST.values(), ids=FIRST.keys())
def test_the_catalogue_and_its_docs_do_not_depend_on_what_was_imported_first(first: str) -> None:
    names, docs = _listed(first)
    assert names == [e.rule.name for e in entries()]
    assert len(set(names)) == len(names)
    assert sum(line.startswith("| `") for line in docs) == len(names)
    for rule in ("verbatim", "time-window", "foreignKey", "exact-at-offsets"):
        assert f"| `{rule}`" in "\n".join(docs)


def test_checks_run_in_the_stated_order_of_their_modules() -> None:
    order = [e.build.__module__.rsplit(".", 1)[1] for e in entries() if e.build is not None]
    assert order == sorted(order, key=REGISTRARS.index)
    assert set(order) == set(REGISTRARS)
