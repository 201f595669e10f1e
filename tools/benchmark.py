#!/usr/bin/env python3
"""Benchmark the build: whole-process timings, per-artifact costs, memory, sizes, floors.

Not a test: run it by hand, quote its table.  It prints a table and writes
the same figures as JSON.

    python tools/benchmark.py                  # 5 runs of each whole-process measurement
    python tools/benchmark.py --repeat 3 --json /tmp/bench.json

Whole-process figures run ``generate.py`` in a subprocess, as a user does,
and read wall time with a monotonic clock and CPU time (user + system, the
build's worker processes included) from ``getrusage(RUSAGE_CHILDREN)``;
medians are shown.  Peak memory is the largest resident set of any one
process of the build (the parent or a worker).  In-process figures (per
artifact by kind, the garbage collector's share, the handout layouts thrown
away, and the bare ReportLab and python-pptx floors for the same text) use
``time.process_time`` with imports and fonts already warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # handouts dated as with SOURCE_DATE_EPOCH
sys.path.insert(0, str(ROOT))

TARGETS = {  # the targets (2-core machine)
    "cold_wall_s": 1.5, "cold_cpu_per_wall": 1.6, "cpu_per_artifact_ms": 50, "noop_wall_s": 0.3,
    "preview_wall_s": 0.35, "help_wall_s": 0.12, "peak_rss_mb": 400,
}


def run(args: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB of the largest process) of one generate.py run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "generate.py"), *args], cwd=ROOT, capture_output=True,
                            env={**os.environ, **(env or {})})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"generate.py {' '.join(args)} failed:\n{result.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def median(values) -> float:
    return statistics.median(values)


def whole_process(repeat: int, scratch: Path) -> dict:
    figures: dict = {}
    colds, noops, previews, helps, statuses = [], [], [], [], []
    for index in range(repeat):
        out = scratch / f"cold{index}"
        colds.append(run(["build", "--quiet", "--out", str(out)]))
        noops.append(run(["build", "--quiet", "--out", str(out)]))
        previews.append(run(["build", "--quiet", "--locale", "es", "--format", "pdf", "--paper", "a4",
                             "--out", str(scratch / f"preview{index}")]))
        helps.append(run(["--help"]))
        statuses.append(run(["locales", "status"]))
    serial = [run(["build", "--quiet", "--jobs", "1", "--out", str(scratch / f"serial{index}")])
              for index in range(max(1, repeat // 2))]
    out = scratch / "cold0"
    artifacts = sorted(p for p in out.rglob("*") if p.suffix in (".pdf", ".pptx"))
    figures["artifacts"] = len(artifacts)
    figures["cold_cpu_s"] = median(c for _, c, _ in colds)
    figures["cpu_per_artifact_ms"] = 1000 * figures["cold_cpu_s"] / len(artifacts)
    figures["peak_rss_mb"] = max(m for _, _, m in colds)
    for name, runs in (("cold", colds), ("serial", serial), ("noop", noops), ("preview", previews),
                       ("help", helps), ("status", statuses)):
        figures[f"{name}_wall_s"] = median(w for w, _, _ in runs)
        figures[f"{name}_wall_min_s"] = min(w for w, _, _ in runs)
        figures[f"{name}_cpu_s"] = median(c for _, c, _ in runs)
    figures["cold_cpu_per_wall"] = figures["cold_cpu_s"] / figures["cold_wall_s"]
    figures["cold_cpu_per_wall_best"] = figures["cold_cpu_s"] / figures["cold_wall_min_s"]
    sizes: dict[str, list[int]] = {}
    for path in artifacts:
        kind = "pptx" if path.suffix == ".pptx" else f"pdf-{path.stem.rsplit('-', 1)[-1]}"
        sizes.setdefault(kind, []).append(path.stat().st_size)
    figures["output_kb"] = {kind: {"median": median(v) / 1024, "max": max(v) / 1024, "total": sum(v) / 1024}
                            for kind, v in sorted(sizes.items())}
    figures["output_total_kb"] = sum(p.stat().st_size for p in artifacts) / 1024
    return figures


STAGES = r"""
import gc, io, json, sys, time
sys.path.insert(0, ROOT)
from leaflets.process import relax_gc
relax_gc()
stages = {}
mark = [time.process_time()]
def lap(name):
    now = time.process_time()
    stages[name] = stages.get(name, 0.0) + now - mark[0]
    mark[0] = now
import leaflets.build as build
lap("import pipeline (pydantic, babel, yaml)")
from leaflets.localize import localize
project = build.Project()
topics = build.load_topics(project)
lap("load + validate topic")
catalogs = {tag: build.load_translations(project, tag) for tag in project.locales()}
lap("read + check catalogs")
documents = [localize(topics[0], tag, translations) for tag, translations in catalogs.items()]
lap("localize")
from leaflets.render.preflight import missing_glyphs
lap("import fontTools, ReportLab (preflight)")
for document, translations in zip(documents, catalogs.values()):
    missing_glyphs(document, topics[0], translations)
lap("glyph preflight (cmap reads)")
from leaflets.engine import Engine
from leaflets.plan import BuildOptions, Target
engine = Engine(project)
engine.prepare({d.locale for d in documents})
lap("import renderers + register fonts")
options = BuildOptions()
for document in documents:
    for paper in ("a4", "letter"):
        engine.rendered(document, Target(document.topic_id, document.locale, "pdf", paper), options)
lap("render 20 handouts")
for document in documents:
    engine.rendered(document, Target(document.topic_id, document.locale, "pptx"), options)
lap("render 10 decks")
print(json.dumps(stages))
"""


GC_PROBE = r"""
import gc, shutil, sys, time
sys.path.insert(0, ROOT)
spent, began = [0.0], [0.0]
def on_gc(phase, info):
    if phase == "start":
        began[0] = time.process_time()
    else:
        spent[0] += time.process_time() - began[0]
gc.callbacks.append(on_gc)
import leaflets.process as process
if MODE == "default":  # the collector as Python ships it
    process.relax_gc = process.tune_gc = lambda: None
start = time.process_time()
from leaflets.cli import main
main(["build", "--jobs", "1", "--quiet", "--out", OUT])
print(spent[0], time.process_time() - start)
"""


def gc_whole_build(repeat: int, scratch: Path) -> dict:
    """The collector's share of a whole serial cold build, default vs leaflets.runtime's settings."""
    figures = {}
    for mode in ("default", "tuned"):
        shares = []
        for index in range(max(2, repeat // 2)):
            out = scratch / f"gc-{mode}-{index}"
            script = GC_PROBE.replace("ROOT", repr(str(ROOT))).replace("MODE", repr(mode)).replace("OUT", repr(str(out)))
            result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
            spent, total = map(float, result.stdout.split()[-2:])
            shares.append(spent / total)
        figures[mode] = median(shares)
    return figures


def stage_profile(repeat: int) -> dict:
    """CPU per stage of a full serial build in a fresh process (cold caches), medians."""
    samples = []
    for _ in range(repeat):
        result = subprocess.run([sys.executable, "-c", STAGES.replace("ROOT", repr(str(ROOT)))], cwd=ROOT,
                                capture_output=True, text=True, check=True)
        samples.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return {name: median(sample[name] for sample in samples) for name in samples[0]}


def in_process(repeat: int) -> dict:
    """Per-artifact CPU by kind, the density loop's waste, GC share, and the floors."""
    from leaflets.build import Project, load_topics, load_translations
    from leaflets.localize import localize
    from leaflets.render import pdf as pdf_module
    from leaflets.render.pptx import render_deck

    project = Project()
    topics = load_topics(project)
    documents = []
    for tag in project.locales():
        documents.append(localize(topics[0], tag, load_translations(project, tag)))

    layouts: list[tuple[str, int, float]] = []
    original_build = pdf_module._build

    def counted(document, target, paper, density, *rest):
        start = time.process_time()
        pages = original_build(document, target, paper, density, *rest)
        layouts.append((density.name, pages, time.process_time() - start))
        return pages

    def render_all() -> dict[str, list[float]]:
        costs: dict[str, list[float]] = {"pdf-a4": [], "pdf-letter": [], "pptx": []}
        for document in documents:
            for paper in ("a4", "letter"):
                start = time.process_time()
                pdf_module.render_handout(document, io.BytesIO(), paper, created=FIXED_DATE)
                costs[f"pdf-{paper}"].append(time.process_time() - start)
            start = time.process_time()
            render_deck(document, io.BytesIO())
            costs["pptx"].append(time.process_time() - start)
        return costs

    render_all()  # warm: fonts registered, shaping caches filled as in a worker
    pdf_module._build = counted
    try:
        runs = [render_all() for _ in range(repeat)]
    finally:
        pdf_module._build = original_build
    per_kind = {kind: 1000 * median(statistics.mean(r[kind]) for r in runs) for kind in runs[0]}
    total_layout = sum(t for _, _, t in layouts)
    kept = 0.0
    count = 0
    for name, pages, seconds in layouts:  # a handout's tries end with the one written (first that fits)
        if pages <= pdf_module.MAX_PAGES or name == pdf_module.DENSITIES[-1].name:
            kept += seconds
            count += 1
    handouts = count
    passes = len(runs)  # figures for one full pass over every handout
    figures = {"per_artifact_cpu_ms": per_kind,
               "handout_layouts": {"handouts": handouts // passes, "layouts": len(layouts) // passes,
                                   "discarded": (len(layouts) - handouts) // passes,
                                   "layout_cpu_s": total_layout / passes, "discarded_cpu_s": (total_layout - kept) / passes,
                                   "discarded_share": (total_layout - kept) / total_layout if total_layout else 0}}

    # The garbage collector's share of a full serial render, by collector setting,
    # timed directly: gc.callbacks brackets every collection.
    spent = [0.0]
    began = [0.0]

    def on_gc(phase, info):
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - began[0]

    def gc_share(setting: str) -> tuple[float, float]:
        gc.collect()
        gc.unfreeze()
        gc.set_threshold(700, 10, 10)
        if setting == "tuned":
            from leaflets.process import tune_gc
            tune_gc()
        spent[0] = 0.0
        gc.callbacks.append(on_gc)
        start = time.perf_counter()
        try:
            render_all()
        finally:
            gc.callbacks.remove(on_gc)
        total = time.perf_counter() - start
        gc.unfreeze()
        gc.set_threshold(700, 10, 10)
        return spent[0], total

    shares = {}
    for setting in ("default", "tuned"):
        samples = [gc_share(setting) for _ in range(repeat)]
        shares[setting] = {"gc_s": median(g for g, _ in samples), "render_s": median(t for _, t in samples),
                           "share": median(g / t for g, t in samples)}
    figures["gc"] = shares
    figures["floors_ms"] = floors(documents[0], repeat)
    return figures


def floors(document, repeat: int) -> dict:
    """Bare ReportLab and python-pptx, same English text, no leaflets layout:
    the least either library can cost for this content."""
    from pptx import Presentation
    from pptx.util import Pt
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape

    from leaflets.document import plain

    texts = [document.handout.title, document.handout.subtitle, plain(document.handout.key_message.text)]
    for block in document.handout.blocks:  # every text a block holds, whatever its kind
        for name in ("title", "intro", "text"):
            if getattr(block, name, None):
                texts.append(plain(getattr(block, name)))
        texts += [plain(item) for item in getattr(block, "items", ())]
    texts += [ref.text for ref in document.handout.references]
    styles = getSampleStyleSheet()

    def reportlab_document() -> int:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
        doc.build([Paragraph(escape(text), styles["BodyText"]) for text in texts])
        return doc.page

    slides = document.deck.slides

    def pptx_deck() -> int:
        prs = Presentation()
        for slide in slides:
            page = prs.slides.add_slide(prs.slide_layouts[1])
            page.shapes.title.text = plain(slide.title)
            body = page.placeholders[1].text_frame
            for index, bullet in enumerate(slide.bullets):
                paragraph = body.paragraphs[0] if index == 0 else body.add_paragraph()
                paragraph.text = plain(bullet)
                paragraph.font.size = Pt(20)
            page.notes_slide.notes_text_frame.text = " ".join(slide.notes)
        prs.save(io.BytesIO())
        return len(slides)

    def cost(function) -> float:
        function()
        times = []
        for _ in range(max(3, repeat)):
            start = time.process_time()
            function()
            times.append(time.process_time() - start)
        return 1000 * median(times)

    return {"reportlab_handout": cost(reportlab_document), "reportlab_pages": reportlab_document(),
            "python_pptx_deck": cost(pptx_deck), "python_pptx_slides": len(slides)}


def table(figures: dict) -> str:
    w = figures["whole_process"]
    p = figures["in_process"]
    def timing(name: str) -> str:
        return (f"{w[name + '_wall_s']:.2f} s (best {w[name + '_wall_min_s']:.2f} s; "
                f"CPU {w[name + '_cpu_s']:.2f} s)")

    rows = [
        ("Full build, cold (%d files), wall" % w["artifacts"], timing("cold"), "≤ 1.5 s", w["cold_wall_s"] <= 1.5),
        ("  CPU / wall", f"{w['cold_cpu_per_wall']:.2f} (best run {w['cold_cpu_per_wall_best']:.2f})",
         "≥ 1.6", w["cold_cpu_per_wall"] >= 1.6),
        ("  same, --jobs 1, wall", timing("serial"), "", None),
        ("CPU per artifact, amortised", f"{w['cpu_per_artifact_ms']:.0f} ms", "≤ 50 ms",
         w["cpu_per_artifact_ms"] <= 50),
        ("No-op rebuild, wall", timing("noop"), "≤ 0.3 s", w["noop_wall_s"] <= 0.3),
        ("One-handout preview (es, pdf, a4), wall", timing("preview"), "≤ 0.35 s", w["preview_wall_s"] <= 0.35),
        ("--help, wall", timing("help"), "≤ 0.12 s", w["help_wall_s"] <= 0.12),
        ("locales status, wall", timing("status"), "", None),
        ("Peak memory (largest process)", f"{w['peak_rss_mb']:.0f} MB", "≤ 400 MB", w["peak_rss_mb"] <= 400),
    ]
    for kind, ms in p["per_artifact_cpu_ms"].items():
        rows.append((f"Per artifact, in-process CPU: {kind}", f"{ms:.0f} ms", "", None))
    f = p["floors_ms"]
    rows.append((f"Floor: bare ReportLab ({f['reportlab_pages']} pages, same text)",
                 f"{f['reportlab_handout']:.1f} ms", "", None))
    rows.append((f"Floor: bare python-pptx ({f['python_pptx_slides']} slides, same text)",
                 f"{f['python_pptx_deck']:.1f} ms", "", None))
    h = p["handout_layouts"]
    rows.append(("Handout layouts tried / kept", f"{h['layouts']} / {h['handouts']} "
                 f"({h['discarded_cpu_s']:.2f} s of {h['layout_cpu_s']:.2f} s thrown away, "
                 f"{100 * h['discarded_share']:.0f}%)", "", None))
    g = p["gc"]
    rows.append(("GC share of rendering: default / tuned (leaflets.process)",
                 f"{100 * g['default']['share']:.1f}% / {100 * g['tuned']['share']:.1f}%", "", None))
    whole = figures["gc_whole_build_share"]
    rows.append(("GC share of a whole serial build: default / tuned", f"{100 * whole['default']:.1f}% / "
                 f"{100 * whole['tuned']:.1f}%", "", None))
    for kind, size in w["output_kb"].items():
        rows.append((f"Output size {kind} (median, max)", f"{size['median']:.0f} kB, {size['max']:.0f} kB", "", None))
    rows.append(("Output, all files", f"{w['output_total_kb'] / 1024:.1f} MB", "", None))
    width = max(len(r[0]) for r in rows)
    lines = [f"| {'What':<{width}} | Measured | Target | Met |", f"|{'-' * (width + 2)}|---|---|---|"]
    for name, value, target, met in rows:
        lines.append(f"| {name:<{width}} | {value} | {target} | {'' if met is None else ('yes' if met else 'NO')} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; medians are shown")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "benchmark.json", help="where to write JSON")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="leaflets-bench-"))
    try:
        figures = {"machine": {"cores": len(os.sched_getaffinity(0)), "load_average": os.getloadavg(),
                               "python": sys.version.split()[0]},
                   "whole_process": whole_process(args.repeat, scratch), "in_process": in_process(args.repeat),
                   "stages_cpu_s": stage_profile(args.repeat),
                   "gc_whole_build_share": gc_whole_build(args.repeat, scratch),
                   "targets": TARGETS}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    figures["machine"]["load_average_after"] = os.getloadavg()
    print(table(figures))
    stages = figures["stages_cpu_s"]
    print("\nCPU by stage, full serial build in a fresh process (median):")
    for name, seconds in stages.items():
        print(f"  {name:<42} {1000 * seconds:7.0f} ms")
    print(f"  {'total':<42} {1000 * sum(stages.values()):7.0f} ms")
    print(f"load average before/after: {figures['machine']['load_average']} / "
          f"{figures['machine']['load_average_after']} (other processes share these cores)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
