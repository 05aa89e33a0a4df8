"""`python -m attack …`: the command line (attack/cli/main.py)."""
import sys

from .cli.main import main

sys.exit(main())
