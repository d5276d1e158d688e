"""Entry point for `python -m tags`."""

import sys

from tags.cli import main

sys.exit(main())
