"""A long-running process stays flat: 1000 renders by one engine, resident memory measured.

Every cache that grows with what is rendered belongs to the engine's font set and has a
bound (leaflets.render.fontset.CACHE_SIZES); a render keeps nothing once it returns.  The
soak runs in a process of its own, so that nothing else the test session did moves the
figures: after 200 renders of warm-up, resident memory may not grow by more than
``MAX_GROWTH_MB`` over the last 800 (a leak of 12 KB per render would break it).  The
artifacts are the small fixture topic's (tests/content/minimal.yaml), in English and the
pseudo-locale, four handouts for each deck, so the soak takes well under a minute.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

RENDERS = 1000
WARM_UP = 200
MAX_GROWTH_MB = 10

SOAK = r"""
import datetime as dt, gc, json, sys, time
from pathlib import Path
from leaflets import Engine
from leaflets.content.load import load_topic
from leaflets.render.fontset import CACHE_SIZES

def rss_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))

renders, warm_up = int(sys.argv[1]), int(sys.argv[2])
engine = Engine()
loaded = load_topic(Path("tests/content/minimal.yaml"))
created = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
documents = [engine.localize(loaded, "en"), engine.localize(loaded, "en-XA", allow_incomplete=True)]
requests = [(document, fmt, paper) for document in documents
            for fmt, paper in (("pdf", "a4"), ("pdf", "letter"))] + [(documents[0], "pptx", None)]
first = {}
samples, started = [], time.perf_counter()
for number in range(1, renders + 1):
    document, fmt, paper = requests[number % len(requests)]
    data = engine.render(document, fmt, paper=paper, created=created).data
    key = (document.locale, fmt, paper)
    assert first.setdefault(key, data) == data, key  # the thousandth is the first, byte for byte
    if number >= warm_up and number % 50 == 0:
        gc.collect()
        samples.append((number, rss_mb()))
sizes = engine.fonts.cache_sizes()
print(json.dumps({"seconds": time.perf_counter() - started, "samples": samples, "caches": sizes,
                  "bounds": CACHE_SIZES}))
"""


def test_a_thousand_renders_keep_resident_memory_flat():
    if not sys.platform.startswith("linux"):
        import pytest
        pytest.skip("reads resident memory from /proc")
    result = subprocess.run([sys.executable, "-c", SOAK, str(RENDERS), str(WARM_UP)], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    samples = figures["samples"]
    assert samples[0][0] == WARM_UP and samples[-1][0] == RENDERS
    after_warm_up = samples[0][1]
    growth = max(rss for _, rss in samples) - after_warm_up
    assert growth < MAX_GROWTH_MB, samples
    for kind, (entries, bound) in figures["caches"].items():
        assert entries <= bound, (kind, entries, bound)
    print(f"\n{RENDERS} renders in {figures['seconds']:.1f} s; resident memory after {WARM_UP}: "
          f"{after_warm_up:.1f} MB, most growth after: {growth:+.1f} MB (bound {MAX_GROWTH_MB} MB)")
