"""Entry point of `python -m bridge.privacy`."""

import sys

from bridge.privacy.cli import main

sys.exit(main())
