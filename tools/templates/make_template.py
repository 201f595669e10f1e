"""Write the deck template, ``assets/templates/leaflets.pptx``, from the default design.

    python tools/templates/make_template.py            # the project template
    python tools/templates/make_template.py --example  # the renamed-layout test template

The template is written by :mod:`leaflets.render.deck_template_writer` from
:data:`leaflets.design.DEFAULT_DESIGN` (palette, type sizes) and the deck's
geometry (:mod:`leaflets.render.deck_design`), so it is reproducible (same
bytes on every run) and reviewable as code; see that module for what each
part holds.

``--example`` writes a template as a presenter might bring one: other layout
names (so layouts are found by their placeholder types), other colours (not
made from any design), and a sample slide that a build must remove.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from leaflets.design import DEFAULT_DESIGN  # noqa: E402
from leaflets.render import deck_design as d  # noqa: E402
from leaflets.render.deck_template_writer import TemplateSpec, write  # noqa: E402
from leaflets.resources import resources  # noqa: E402

OUTPUT = resources().deck_template.resolve()  # the file DEFAULT_TEMPLATE reads: assets/templates/ in a checkout
EXAMPLE = ROOT / "tests" / "render" / "templates" / "renamed-layouts.pptx"

EXAMPLE_SPEC = TemplateSpec(
    theme_name="Clinic",
    names={"Title": "Titelfolie", "Section": "Abschnitt", "Title and Content": "Inhalt", "Two Content": "Zwei Spalten",
           "Chart": "Diagramm", "Table": "Tabelle", "Diagram": "Schema", "References": "Literatur",
           "Closing": "Schluss"},
    colors={**d.theme_colors(DEFAULT_DESIGN.palette), "dk2": "4B1D6B", "accent1": "6B2D8F", "lt2": "F1E8F5",
            "hlink": "6B2D8F"},
    sample_slide=True,
    title="Clinic template (example)",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--example", action="store_true", help="write the renamed-layout example template for tests")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    spec = EXAMPLE_SPEC if args.example else TemplateSpec()
    target = args.out or (EXAMPLE if args.example else OUTPUT)
    target.parent.mkdir(parents=True, exist_ok=True)
    write(target, spec)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
