"""`python -m memo724 ...`: the command line, as the `memo724` script runs it."""

import sys

from .cli import main

sys.exit(main())
