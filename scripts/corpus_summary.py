"""Write the hostile corpus summary (cases per category) into HOSTILE.md.

The cases are those of tests/corpus.py; tests/test_corpus.py runs each one and checks that the
summary in HOSTILE.md is the one this script writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from corpus import summary_markdown  # noqa: E402

BLOCK = re.compile(
    r"(<!-- BEGIN GENERATED: hostile-corpus[^\n]*-->\n)(.*?)"
    r"(\n<!-- END GENERATED: hostile-corpus -->)",
    re.DOTALL,
)


def main() -> None:
    path = ROOT / "HOSTILE.md"
    text = path.read_text(encoding="utf-8")
    new = BLOCK.sub(lambda m: m.group(1) + summary_markdown() + m.group(3), text)
    path.write_text(new, encoding="utf-8")
    print(f"wrote the corpus summary into {path.name}")


if __name__ == "__main__":
    main()
