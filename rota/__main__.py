"""`python -m rota`: check, show, now and plan (see docs/rota.md)."""

import sys

from rota.cli import main

sys.exit(main())
