#!/usr/bin/env python3
"""Build translated patient handouts and clinician decks: see README.md.

    python generate.py            # build everything into build/
    python generate.py --help     # all commands
"""

import sys

# Modules of the dependencies in pyproject.toml: missing, they mean leaflets was never installed.
DEPENDENCIES = {"reportlab", "pptx", "babel", "yaml", "pydantic", "fontTools", "uharfbuzz", "bidi", "pikepdf",
                "rich", "lxml"}


def run() -> int:
    try:
        from leaflets.cli import main
        return main()
    except ModuleNotFoundError as exc:  # run before `pip install -e .`: say so, not a traceback
        if (exc.name or "").split(".")[0] not in DEPENDENCIES:
            raise
        print(f"generate.py: the package {exc.name!r} is not installed in this Python ({sys.executable}); "
              "install leaflets first: python -m pip install -e .", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(run())
