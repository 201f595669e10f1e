#!/usr/bin/env python3
"""Time each pipeline stage: load, localize, glyph preflight, PDF and PPTX rendering.

Not a test: run it by hand and quote its figures.

    python tools/benchmark.py            # every shipped locale, 3 repeats
    python tools/benchmark.py --repeat 5 --locale ar --locale zh-Hans
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leaflets.build import Project, current_template, load_topics, load_translations  # noqa: E402
from leaflets.i18n.review import source_fingerprint  # noqa: E402
from leaflets.localize import localize  # noqa: E402
from leaflets.render.pdf import render_handout  # noqa: E402
from leaflets.render.pptx import render_deck  # noqa: E402
from leaflets.render.preflight import missing_glyphs  # noqa: E402


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown")
    parser.add_argument("--locale", action="append", help="locales to measure (default: all shipped)")
    args = parser.parse_args()
    project = Project()
    cold, topics = timed(lambda: load_topics(project), 1)
    load, topics = timed(lambda: load_topics(project), args.repeat)
    loaded = topics[0]
    fingerprint = source_fingerprint(current_template(topics))
    print(f"load + validate topic: {load * 1000:7.1f} ms (first call {cold * 1000:.1f} ms)")
    print(f"{'locale':<8} {'catalog':>9} {'localize':>9} {'preflight':>10} {'pdf a4':>8} {'pdf letter':>10} {'pptx':>8}")
    totals = []
    for tag in args.locale or project.locales():
        t_cat, translations = timed(lambda: load_translations(project, tag, fingerprint), args.repeat)
        t_loc, document = timed(lambda: localize(loaded, tag, translations), args.repeat)
        t_pre, _ = timed(lambda: missing_glyphs(document, tag), args.repeat)
        t_a4, _ = timed(lambda: render_handout(document, io.BytesIO(), "a4"), args.repeat)
        t_letter, _ = timed(lambda: render_handout(document, io.BytesIO(), "letter"), args.repeat)
        t_deck, _ = timed(lambda: render_deck(document, io.BytesIO()), args.repeat)
        row = [t_cat, t_loc, t_pre, t_a4, t_letter, t_deck]
        totals.append(sum(row))
        print(f"{tag:<8} " + " ".join(f"{t * 1000:>{w}.1f}" for t, w in zip(row, (6, 9, 10, 8, 10, 8))) + "  ms")
    print(f"all stages, all locales: {sum(totals):.2f} s (median per stage, one process, warm caches)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
