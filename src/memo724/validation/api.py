"""The validation stage's face: what the command line, the build and the release call.

judge (a copy, against the contract of the release it names) and judge_own (a package of one's
own, or the checkout's fresh build) are the one entry point to validation (drift.py).
"""

from __future__ import annotations

from .backend import load_without_data_synthesis

load_without_data_synthesis()  # before the first validation would load it with hypothesis

from .drift import judge, judge_own  # noqa: E402

__all__ = ["judge", "judge_own"]
