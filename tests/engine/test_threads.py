"""Rendering on many threads of one process gives exactly the bytes of a serial build.

Before font sets, six threads failed in two runs of four (``KeyError: 'glyph00564'``, a
fontTools ``AttributeError``): fontTools tables loading lazily on two threads at once,
ReportLab reading a font file through one cursor for two documents, private glyph codes
handed out twice.  Those races are in the cold paths (a font's first use) as much as in
the hot ones (every document's subsets), so each round starts from a new, empty font set.

``--thread-rounds N`` (default 2) sets the number of rounds; the issue's figure is 20.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from leaflets import Engine, FontSet
from leaflets.plan import BuildOptions, Target
from leaflets.resources import resources

THREADS = 8
OPTIONS = BuildOptions(created=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))  # as SOURCE_DATE_EPOCH=1767225600


@pytest.fixture(scope="module")
def documents(shipped) -> dict[str, object]:
    engine = Engine()
    return {locale: engine.localize("atopic-dermatitis", locale) for locale in shipped}


def targets_of(documents) -> list[Target]:
    return [Target("atopic-dermatitis", locale, fmt, paper) for locale in documents
            for fmt, paper in (("pdf", "a4"), ("pdf", "letter"), ("pptx", None))]


def test_eight_threads_render_every_locale_as_a_serial_build_does(documents, request):
    rounds = request.config.getoption("--thread-rounds")
    targets = targets_of(documents)
    serial_fonts = FontSet(resources().fonts_dir)
    serial = Engine(fonts=serial_fonts)
    expected = {target: serial.render_target(documents[target.locale], target, OPTIONS).data for target in targets}
    serial_fonts.close()
    assert len(targets) == 3 * len(documents) >= 30

    timings, busy, most = [], [0], [0]
    lock = threading.Lock()
    for number in range(rounds):
        fonts = FontSet(resources().fonts_dir)  # cold: nothing parsed, shaped or cached yet
        engine = Engine(fonts=fonts)

        def render(target: Target):
            with lock:
                busy[0] += 1
                most[0] = max(most[0], busy[0])
            try:
                return target, engine.render_target(documents[target.locale], target, OPTIONS).data, None
            except Exception as exc:  # report every failure of the round, not just the first
                return target, None, f"{type(exc).__name__}: {exc}"
            finally:
                with lock:
                    busy[0] -= 1

        order = targets[:]
        random.Random(number).shuffle(order)  # a different interleaving each round, the same each run
        started = time.perf_counter()
        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(render, order))
        timings.append(time.perf_counter() - started)
        fonts.close()
        errors = [(target.name, error) for target, _, error in results if error]
        different = [target.name for target, data, error in results if not error and data != expected[target]]
        assert not errors and not different, f"round {number + 1} of {rounds}: {errors or different}"
    assert most[0] > 1  # the renders did overlap
    print(f"\n{rounds} rounds of {len(targets)} artifacts on {THREADS} threads: "
          f"{', '.join(f'{t:.1f}' for t in timings)} s")
