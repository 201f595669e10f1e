#!/usr/bin/env python3
"""Benchmark the build: whole-process timings, per-artifact costs, memory, sizes, floors.

Not a test: run it by hand, quote its table.  It prints a table and writes
the same figures as JSON.

    python tools/benchmark.py                  # 5 runs of each whole-process measurement
    python tools/benchmark.py --repeat 3 --json /tmp/bench.json
    python tools/benchmark.py --web-renders 0     # without the web load test (tools/loadtest.py)

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

TARGETS = {  # issue 21's targets (2-core machine; ratios to floors measured in the same run)
    "handout_average_ratio": 3.0, "deck_ratio": 2.0, "cold_cpu_s": 3.0, "cold_wall_s": 2.0, "noop_wall_s": 0.2,
    "preview_wall_s": 0.35, "check_cpu_s": 2.0, "warm_handout_ms": 40, "warm_deck_ms": 150, "peak_rss_mb": 400,
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
    colds, noops, previews, helps, statuses, checks, cold_checks = [], [], [], [], [], [], []
    for index in range(repeat):
        out = scratch / f"cold{index}"
        colds.append(run(["build", "--quiet", "--out", str(out)]))
        noops.append(run(["build", "--quiet", "--out", str(out)]))
        previews.append(run(["build", "--quiet", "--locale", "es", "--format", "pdf", "--paper", "a4",
                             "--out", str(scratch / f"preview{index}")]))
        helps.append(run(["--help"]))
        statuses.append(run(["locales", "status"]))
        checks.append(run(["check", "--out", str(out)]))  # after the build: its unchanged files are not checked
        cold_checks.append(run(["check", "--out", str(scratch / "no-build")]))  # every file measured
    serial = [run(["build", "--quiet", "--jobs", "1", "--out", str(scratch / f"serial{index}")])
              for index in range(max(1, repeat // 2))]
    out = scratch / "cold0"
    artifacts = sorted(p for p in out.rglob("*") if p.suffix in (".pdf", ".pptx"))
    figures["artifacts"] = len(artifacts)
    figures["cold_cpu_s"] = median(c for _, c, _ in colds)
    figures["cpu_per_artifact_ms"] = 1000 * figures["cold_cpu_s"] / len(artifacts)
    figures["peak_rss_mb"] = max(m for _, _, m in colds)
    for name, runs in (("cold", colds), ("serial", serial), ("noop", noops), ("preview", previews),
                       ("help", helps), ("status", statuses), ("check", checks), ("cold_check", cold_checks)):
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
from leaflets.i18n.rules import rules_for
project = build.Project()
topics = build.load_topics(project)
lap("load + validate topic")
rules = rules_for(topics)  # as a build does: the topics' rules once, every catalog checked against them
catalogs = {tag: build.load_translations(project, tag, rules) for tag in project.locales()}
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
    """Per-artifact CPU (English and the all-locale average, first render and warm following
    ones), the handout layout passes measured, drawn and thrown away, the GC share, the floors
    measured in the same run and the ratios to them, and CPU by stage."""
    from leaflets import Engine, Project
    from leaflets.render import pdf as pdf_module

    engine = Engine(Project())
    topic = engine.topics()[0]
    documents = {tag: engine.localize(topic, tag) for tag in engine.locales()}

    passes = {"measured": 0, "laid_out": 0, "drawn": 0}
    original_story, original_build, original_fill = (pdf_module.HandoutBuilder.story, pdf_module._build,
                                                      pdf_module.fill)

    def story(self, *args, **kwargs):
        passes["laid_out"] += 1
        return original_story(self, *args, **kwargs)

    def build(*args, **kwargs):
        passes["drawn"] += 1
        return original_build(*args, **kwargs)

    def fill(*args, **kwargs):
        passes["measured"] += 1
        return original_fill(*args, **kwargs)

    def render(document, fmt: str, paper: str | None = None) -> float:
        start = time.process_time()
        engine.render(document, fmt, paper=paper, created=FIXED_DATE)
        return time.process_time() - start

    def render_all() -> dict[str, dict[str, float]]:
        costs: dict[str, dict[str, float]] = {"pdf-a4": {}, "pdf-letter": {}, "pptx": {}}
        for tag, document in documents.items():
            for paper in ("a4", "letter"):
                costs[f"pdf-{paper}"][tag] = render(document, "pdf", paper)
            costs["pptx"][tag] = render(document, "pptx")
        return costs

    pdf_module.HandoutBuilder.story, pdf_module._build, pdf_module.fill = story, build, fill
    try:
        first = render_all()  # fonts registered, caches filled, densities chosen: as in a worker
        first_passes = dict(passes)
        warm = [render_all() for _ in range(repeat)]
        before = dict(passes)
        render_all()
        warm_passes = {name: passes[name] - before[name] for name in passes}
        # the fonts' caches emptied (no density, no shaping cached): what the engine itself
        # remembers by input fingerprint (leaflets.layoutmemo) is all that spares a measurement
        engine.fonts.clear_caches()
        before = dict(passes)
        render_all()
        remembered_passes = {name: passes[name] - before[name] for name in passes}
    finally:
        pdf_module.HandoutBuilder.story, pdf_module._build, pdf_module.fill = original_story, original_build, original_fill

    def summary(runs: list[dict]) -> dict:
        out = {}
        for kind in runs[0]:
            per_locale = {tag: median(r[kind][tag] for r in runs) for tag in runs[0][kind]}
            out[kind] = {"en_ms": 1000 * per_locale.get("en", 0.0),
                         "average_ms": 1000 * statistics.mean(per_locale.values())}
        return out

    handouts = len(documents) * 2
    figures = {"first_render_ms": summary([first]), "warm_render_ms": summary(warm),
               "handout_passes": {"handouts": handouts, "measured": first_passes["measured"],
                                  "laid_out": first_passes["laid_out"], "drawn": first_passes["drawn"],
                                  "thrown_away": first_passes["laid_out"] - first_passes["drawn"]},
               "handout_passes_by_run": {
                   run: {**counts, "thrown_away": counts["laid_out"] - counts["drawn"]}
                   for run, counts in (("first", first_passes), ("warm", warm_passes),
                                       ("fonts' caches emptied", remembered_passes))}}

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
        samples = [gc_share(setting) for _ in range(max(1, repeat // 2))]
        shares[setting] = {"gc_s": median(g for g, _ in samples), "render_s": median(t for _, t in samples),
                           "share": median(g / t for g, t in samples)}
    figures["gc"] = shares
    english_a4 = engine.render(documents["en"], "pdf", paper="a4", created=FIXED_DATE).data
    floor = floors(documents["en"], repeat, english_a4)
    figures["floors_ms"] = floor
    warm_ms = figures["warm_render_ms"]
    figures["ratios"] = {
        "handout_en": warm_ms["pdf-a4"]["en_ms"] / floor["reportlab_handout"],
        "handout_average": warm_ms["pdf-a4"]["average_ms"] / floor["reportlab_handout"],
        "deck_en": warm_ms["pptx"]["en_ms"] / floor["python_pptx_deck"],
        "deck_average": warm_ms["pptx"]["average_ms"] / floor["python_pptx_deck"],
    }
    figures["check_cpu_s"] = _timed(lambda: engine.check())
    return figures


def _timed(function) -> float:
    start = time.process_time()
    function()
    return time.process_time() - start


# Where a build's CPU goes, by the functions that do each stage (cProfile cumulative time, so a
# stage includes what it calls: "lay out" includes the shaping it asks for, "fit" the deck's
# measuring of text, "write" the PDF's and the deck's serialisation).
STAGE_FUNCTIONS = {
    "load": [("leaflets/content/load.py", "load_topic"), ("leaflets/i18n/catalog.py", "read_catalog")],
    "localize": [("leaflets/localize.py", "localize"), ("leaflets/render/preflight.py", "missing_glyphs")],
    "shape": [("reportlab/pdfbase/ttfonts.py", "shapeStr"), ("leaflets/render/rlshim.py", "shape_str")],
    "lay out": [("leaflets/render/textlayout.py", "lines"), ("leaflets/render/textlayout.py", "line_of")],
    "fit": [("leaflets/render/deck_fit.py", "height"), ("leaflets/render/deck_fit.py", "width")],
    "draw text": [("leaflets/render/pdftext.py", "draw_line")],
    "tag": [("leaflets/render/pdftags.py", "finish")],
    "write": [("pptx/presentation.py", "save"), ("reportlab/pdfgen/canvas.py", "save")],
}


def stage_split(repeat: int, root: Path | None = None) -> dict:
    """CPU of loading, localizing and rendering every artifact once, cold, in a fresh process of
    the checkout at ``root`` (default: the one measured), by stage (cProfile cumulative time of
    the functions in :data:`STAGE_FUNCTIONS`, outermost calls only), medians of ``repeat``
    runs (at least one)."""
    samples = [_stage_sample(root or ROOT) for _ in range(max(1, repeat // 2))]
    return {name: median(sample[name] for sample in samples) for name in samples[0]}


def _stage_sample(root: Path) -> dict:
    import pstats

    script = STAGE_SPLIT.replace("ROOT", repr(str(root)))
    result = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True)
    path = result.stdout.strip().splitlines()[-1]
    stats = pstats.Stats(path)
    os.unlink(path)
    total = max(entry[3] for entry in stats.stats.values())
    out: dict = {"total": total}
    for stage, functions in STAGE_FUNCTIONS.items():
        seconds = 0.0
        for (file, _, name), entry in stats.stats.items():
            if any(file.endswith(suffix) and name == wanted for suffix, wanted in functions):
                seconds += entry[3]  # cumulative: what it calls included
        out[stage] = seconds
    return out


def stage_comparison(repeat: int, before: Path, after: Path) -> dict:
    """:func:`stage_split` of two checkouts, their runs alternating (the same load on the machine
    for both): {"before": ..., "after": ...}."""
    samples: dict[str, list[dict]] = {"before": [], "after": []}
    for _ in range(max(1, repeat // 2)):
        samples["before"].append(_stage_sample(before))
        samples["after"].append(_stage_sample(after))
    return {side: {name: median(s[name] for s in runs) for name in runs[0]} for side, runs in samples.items()}


STAGE_SPLIT = r"""
import cProfile, datetime as dt, os, sys, tempfile
sys.path.insert(0, ROOT)
profile = cProfile.Profile()
profile.enable()
from leaflets import Engine, Project
engine = Engine(Project())
topics = engine.topics()
topic = topics[0]
documents = [engine.localize(topic, tag, translations=engine.translations(tag, topics)) for tag in engine.locales()]
created = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
for document in documents:
    for paper in ("a4", "letter"):
        engine.render(document, "pdf", paper=paper, created=created)
    engine.render(document, "pptx", created=created)
profile.disable()
handle, path = tempfile.mkstemp(suffix=".prof")
os.close(handle)
profile.dump_stats(path)
print(path)
"""


def handout_texts(document, pages: int = 2) -> list[str]:
    """Every text the handout shows, one paragraph each, in reading order: the title block, each
    block of every kind (headings, paragraphs, lists and checklists, callouts, boxes with their
    intro, items and contacts, tables cell by cell), citation numbers, the note, the references
    with their numbers, and the running footer of each of ``pages``.  What the bare-ReportLab floor
    sets, so it sets the text the handout does (compared with ``pdftotext`` in its row)."""
    from leaflets.document import plain

    handout, footer = document.handout, document.footer

    def cited(text: str, citations=()) -> str:
        return f"{text} {','.join(footer.number(n) for n in citations)}" if citations else text

    texts = [handout.title, handout.subtitle, handout.audience,
             cited(plain(handout.key_message.text), handout.key_message.citations)]
    for block in handout.blocks:
        citations = getattr(block, "citations", ())
        items = getattr(block, "items", ())
        for name in ("title", "intro"):
            if getattr(block, name, None):
                texts.append(plain(getattr(block, name)))
        if getattr(block, "text", None):
            texts.append(cited(plain(block.text), citations))
        checklist = getattr(block, "marker", "") == "checkbox" or getattr(block, "tone", "") == "every_day"
        bullet = "" if checklist else "\u2022 "  # a checklist's boxes are drawn, not text
        texts += [bullet + cited(plain(item), citations if index == len(items) - 1 else ())
                  for index, item in enumerate(items)]
        texts += [plain(contact) for contact in getattr(block, "contacts", ())]
        if getattr(block, "header", None) is not None:  # a table: every cell a paragraph
            texts += [plain(cell) for row in (block.header, *block.rows) for cell in row]
    texts += [handout.not_advice, handout.references_title]
    texts += [f"{footer.number(ref.number)}. {ref.text}" for ref in handout.references]
    line = " \u00b7 ".join(part for part in (footer.content_version, footer.reviewed, footer.language) if part)
    texts += [f"{line} {footer.page_label(page, pages)}" for page in range(1, pages + 1)]
    return [text for text in texts if text]


def visible_characters(text: str) -> int:
    """Characters that are not white space (line breaks and layout spaces differ between a PDF's
    extracted text and its source)."""
    return sum(1 for char in text if not char.isspace())


def extracted_characters(data: bytes) -> int | None:
    """:func:`visible_characters` of the text ``pdftotext`` extracts from a PDF (None without poppler)."""
    if shutil.which("pdftotext") is None:
        return None
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True)
    return visible_characters(result.stdout.decode("utf-8")) if result.returncode == 0 else None


def floors(document, repeat: int, handout: bytes | None = None) -> dict:
    """Bare ReportLab and python-pptx, same English text, no leaflets layout:
    the least either library can cost for this content.  ``handout``: our English A4 handout,
    whose extracted characters the floor's are reported beside."""
    from pptx import Presentation
    from pptx.util import Pt
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape

    from leaflets.document import plain

    texts = handout_texts(document)
    styles = getSampleStyleSheet()

    def reportlab_document() -> int:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
        doc.build([Paragraph(escape(text), styles["BodyText"]) for text in texts])
        reportlab_document.data = buffer.getvalue()
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

    pages = reportlab_document()
    return {"reportlab_handout": cost(reportlab_document), "reportlab_pages": pages,
            "reportlab_characters": visible_characters("".join(texts)),
            "reportlab_extracted_characters": extracted_characters(reportlab_document.data),
            "handout_extracted_characters": extracted_characters(handout) if handout else None,
            "python_pptx_deck": cost(pptx_deck), "python_pptx_slides": len(slides)}


def _tree_memory(root_pid: int) -> tuple[float, float, int]:
    """(RSS MB, PSS MB, processes) of ``root_pid`` and all its descendants, summed, from /proc.
    PSS shares each page among the processes mapping it, so forked workers are not counted
    for the pages they share with their parent: what the processes take together."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    rss = pss = 0.0
    count, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) / 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) / 1024
            count += 1
        except OSError:
            continue
    return rss, pss, count


def at_scale(topics: int, scratch: Path) -> dict:
    """A cold build of ``topics`` copies of the shipped topic (each under its own id, the shipped
    catalogs translating them all) in a scratch project: wall, CPU, CPU per file, and the
    memory of all the build's processes together (RSS and PSS summed over the process tree,
    sampled every 0.1 s; the peak of the sum)."""
    project = scratch / f"scale{topics}"
    (project / "content").mkdir(parents=True)
    shutil.copytree(ROOT / "locales", project / "locales")
    source = (ROOT / "content" / "atopic-dermatitis.yaml").read_text(encoding="utf-8")
    assert "\n  id: atopic-dermatitis\n" in source
    for number in range(1, topics + 1):
        (project / "content" / f"topic-{number}.yaml").write_text(
            source.replace("\n  id: atopic-dermatitis\n", f"\n  id: topic-{number}\n", 1), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "--project", str(project), "build",
                                "--quiet", "--out", str(project / "out")], cwd=project,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = peak_pss = 0.0
    most = 0
    while process.poll() is None:
        rss, pss, count = _tree_memory(process.pid)
        peak_rss, peak_pss, most = max(peak_rss, rss), max(peak_pss, pss), max(most, count)
        time.sleep(0.1)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"the build of {topics} topics failed:\n{process.stderr.read().decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    files = sum(1 for path in (project / "out").rglob("*") if path.suffix in (".pdf", ".pptx"))
    return {"topics": topics, "files": files, "wall_s": wall, "cpu_s": cpu, "cpu_per_file_ms": 1000 * cpu / files,
            "peak_rss_sum_mb": peak_rss, "peak_pss_sum_mb": peak_pss, "processes": most}


def table(figures: dict) -> str:
    w = figures.get("whole_process")
    p = figures["in_process"]
    def timing(name: str) -> str:
        return (f"{w[name + '_wall_s']:.2f} s (best {w[name + '_wall_min_s']:.2f} s; "
                f"CPU {w[name + '_cpu_s']:.2f} s)")

    t = TARGETS
    rows = [] if not w else [
        ("Full build, cold (%d files), CPU" % w["artifacts"], f"{w['cold_cpu_s']:.2f} s", f"≤ {t['cold_cpu_s']} s",
         w["cold_cpu_s"] <= t["cold_cpu_s"]),
        ("  wall", timing("cold"), f"≤ {t['cold_wall_s']} s", w["cold_wall_s"] <= t["cold_wall_s"]),
        ("  same, --jobs 1, wall", timing("serial"), "", None),
        ("CPU per artifact, amortised", f"{w['cpu_per_artifact_ms']:.0f} ms", "", None),
        ("No-op rebuild, wall", timing("noop"), f"≤ {t['noop_wall_s']} s", w["noop_wall_s"] <= t["noop_wall_s"]),
        ("One-handout preview (es, pdf, a4), wall", timing("preview"), f"≤ {t['preview_wall_s']} s",
         w["preview_wall_s"] <= t["preview_wall_s"]),
        ("check (every locale) after a build, whole process", timing("check"), f"≤ {t['check_cpu_s']} s CPU",
         w["check_cpu_s"] <= t["check_cpu_s"]),
        ("  check with no build (every file measured)", timing("cold_check"), f"≤ {t['check_cpu_s']} s CPU",
         w["cold_check_cpu_s"] <= t["check_cpu_s"]),
        ("--help, wall", timing("help"), "", None),
        ("locales status, wall", timing("status"), "", None),
        ("Peak memory (largest process)", f"{w['peak_rss_mb']:.0f} MB", f"≤ {t['peak_rss_mb']} MB",
         w["peak_rss_mb"] <= t["peak_rss_mb"]),
    ]
    for label, key in (("first render", "first_render_ms"), ("warm render", "warm_render_ms")):
        for kind, ms in p[key].items():
            target = ""
            met = None
            if key == "warm_render_ms" and kind == "pdf-a4":
                target, met = f"≤ {t['warm_handout_ms']} ms", ms["average_ms"] <= t["warm_handout_ms"]
            elif key == "warm_render_ms" and kind == "pptx":
                target, met = f"≤ {t['warm_deck_ms']} ms", ms["average_ms"] <= t["warm_deck_ms"]
            rows.append((f"In-process {label} CPU: {kind} (English; all-locale average)",
                         f"{ms['en_ms']:.0f} ms; {ms['average_ms']:.0f} ms", target, met))
    rows.append(("Engine.check() in process (every file measured), warm fonts, CPU", f"{p['check_cpu_s']:.2f} s",
                 "", None))
    f = p["floors_ms"]
    r = p["ratios"]
    extracted = f.get("handout_extracted_characters")
    rows.append((f"Floor: bare ReportLab ({f['reportlab_pages']} pages, same English text: "
                 f"{f['reportlab_characters']} characters set, {f.get('reportlab_extracted_characters')} extracted; "
                 f"our A4 handout's pdftotext: {extracted})",
                 f"{f['reportlab_handout']:.1f} ms", "", None))
    rows.append((f"Floor: bare python-pptx ({f['python_pptx_slides']} slides, same English text)",
                 f"{f['python_pptx_deck']:.1f} ms", "", None))
    rows.append(("Handout / ReportLab floor (English; all-locale average)",
                 f"{r['handout_en']:.1f}x; {r['handout_average']:.1f}x", f"≤ {t['handout_average_ratio']}x average",
                 r["handout_average"] <= t["handout_average_ratio"]))
    rows.append(("Deck / python-pptx floor (English; all-locale average)",
                 f"{r['deck_en']:.1f}x; {r['deck_average']:.1f}x", f"≤ {t['deck_ratio']}x", r["deck_en"] <= t["deck_ratio"]))
    h = p["handout_passes"]
    rows.append(("Handout layout passes, first render: measured / laid out / drawn / thrown away",
                 f"{h['measured']} / {h['laid_out']} / {h['drawn']} / {h['thrown_away']} "
                 f"({h['handouts']} handouts)", "0 thrown away", h["thrown_away"] == 0))
    for run, c in p.get("handout_passes_by_run", {}).items():
        if run != "first":
            rows.append((f"  same, {run} render", f"{c['measured']} / {c['laid_out']} / {c['drawn']} / "
                         f"{c['thrown_away']}", "0 thrown away", c["thrown_away"] == 0))
    g = p["gc"]
    rows.append(("GC share of rendering: default / tuned (leaflets.process)",
                 f"{100 * g['default']['share']:.1f}% / {100 * g['tuned']['share']:.1f}%", "", None))
    whole = figures.get("gc_whole_build_share")
    if whole:
        rows.append(("GC share of a whole serial build: default / tuned", f"{100 * whole['default']:.1f}% / "
                     f"{100 * whole['tuned']:.1f}%", "", None))
    for kind, size in (w or {}).get("output_kb", {}).items():
        rows.append((f"Output size {kind} (median, max)", f"{size['median']:.0f} kB, {size['max']:.0f} kB", "", None))
    if w:
        rows.append(("Output, all files", f"{w['output_total_kb'] / 1024:.1f} MB", "", None))
    width = max(len(r[0]) for r in rows)
    lines = [f"| {'What':<{width}} | Measured | Target | Met |", f"|{'-' * (width + 2)}|---|---|---|"]
    for name, value, target, met in rows:
        lines.append(f"| {name:<{width}} | {value} | {target} | {'' if met is None else ('yes' if met else 'NO')} |")
    return "\n".join(lines)


def main() -> int:
    global ROOT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; medians are shown")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "benchmark.json", help="where to write JSON")
    parser.add_argument("--root", type=Path, help="measure the leaflets checkout in this folder (another branch, "
                        "to compare in one run on one machine) instead of this one; the CPU by stage is then "
                        "printed for both, that checkout as before and this one as after")
    parser.add_argument("--in-process", action="store_true",
                        help="only the in-process figures (renders, passes, floors, ratios, check, stages)")
    parser.add_argument("--scale", type=int, nargs="*", default=[], metavar="TOPICS",
                        help="also build this many copies of the shipped topic (e.g. --scale 1 5 20): CPU per file "
                             "and the memory of all the build's processes together")
    parser.add_argument("--web-renders", type=int, default=1000,
                        help="uncached renders of the web load test (tools/loadtest.py); 0 (or --in-process) skips it")
    args = parser.parse_args()
    this = ROOT
    if args.root:
        ROOT = args.root.resolve()
        sys.path.insert(0, str(ROOT))
    scratch = Path(tempfile.mkdtemp(prefix="leaflets-bench-"))
    try:
        figures = {"machine": {"cores": len(os.sched_getaffinity(0)), "load_average": os.getloadavg(),
                               "python": sys.version.split()[0], "root": str(ROOT)},
                   "in_process": in_process(args.repeat), "targets": TARGETS}
        if ROOT != this:
            figures["stage_comparison"] = stage_comparison(args.repeat, ROOT, this)
            figures["render_stages_cpu_s"] = figures["stage_comparison"]["before"]
        else:
            figures["render_stages_cpu_s"] = stage_split(args.repeat)
        figures["scale"] = [at_scale(topics, scratch) for topics in args.scale]
        if not args.in_process:
            figures.update({"whole_process": whole_process(args.repeat, scratch),
                            "stages_cpu_s": stage_profile(args.repeat),
                            "gc_whole_build_share": gc_whole_build(args.repeat, scratch)})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.web_renders and not args.in_process:
        sys.path.insert(0, str(ROOT / "tools"))
        import loadtest
        figures["web"] = loadtest.measure(args.web_renders, workers=2, recycle_after=200, cached_requests=50)
    figures["machine"]["load_average_after"] = os.getloadavg()
    print(table(figures))
    if "web" in figures:
        print()
        print(loadtest.table(figures["web"]))
    if figures.get("scale"):
        print(f"\nCold builds of copies of the shipped topic (memory: all processes together, peak of the sum; "
              f"target ≤ {TARGETS['peak_rss_mb']} MB):")
        print(f"  {'topics':>6} {'files':>6} {'wall s':>7} {'CPU s':>7} {'CPU/file':>9} {'RSS sum':>8} {'PSS sum':>8} procs")
        for row in figures["scale"]:
            print(f"  {row['topics']:>6} {row['files']:>6} {row['wall_s']:>7.1f} {row['cpu_s']:>7.1f} "
                  f"{row['cpu_per_file_ms']:>6.0f} ms {row['peak_rss_sum_mb']:>5.0f} MB {row['peak_pss_sum_mb']:>5.0f} MB "
                  f"{row['processes']:>5}")
    stages = figures.get("stages_cpu_s", {})
    if stages:
        print("\nCPU by stage, full serial build in a fresh process (median):")
        for name, seconds in stages.items():
            print(f"  {name:<42} {1000 * seconds:7.0f} ms")
        print(f"  {'total':<42} {1000 * sum(stages.values()):7.0f} ms")
    comparison = figures.get("stage_comparison")
    if comparison:
        print(f"\nLoading, localizing and rendering every artifact once, cold, in a fresh process, by stage "
              f"(cProfile, cumulative; runs alternating):\n  before: {ROOT}\n  after:  {this}")
        print(f"  {'stage':<14} {'before':>9} {'after':>9} {'change':>8}")
        for name, seconds in comparison["before"].items():
            after = comparison["after"][name]
            change = f"{100 * (after - seconds) / seconds:+.0f}%" if seconds else ""
            print(f"  {name:<14} {1000 * seconds:7.0f} ms {1000 * after:7.0f} ms {change:>8}")
    else:
        split = figures["render_stages_cpu_s"]
        print("\nLoading, localizing and rendering every artifact once, cold, in a fresh process, by stage "
              "(cProfile, cumulative):")
        for name, seconds in split.items():
            print(f"  {name:<42} {1000 * seconds:7.0f} ms")
    print(f"load average before/after: {figures['machine']['load_average']} / "
          f"{figures['machine']['load_average_after']} (other processes share these cores)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
