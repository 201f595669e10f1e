#!/usr/bin/env python3
"""Build translated patient handouts and clinician decks: see README.md.

    python generate.py            # build everything into build/
    python generate.py --help     # all commands
"""

import sys

from leaflets.cli import main

if __name__ == "__main__":
    sys.exit(main())
