"""`python -m rota`: check, show, now and plan (see docs/rota.md)."""

import os
import sys

from rota.cli import main

try:
    status = main()
    sys.stdout.flush()
except BrokenPipeError:  # e.g. `python -m rota plan … | head`
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    status = 0
sys.exit(status)
