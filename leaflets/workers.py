"""Render targets to bytes, in this process or in a pool of worker processes.

Workers only render: a job is (target, localized document, options) and the
result is the artifact's bytes or the error, sent back to the parent, which
alone writes files, prints and keeps the manifest.  Each target is rendered
by the build's engine (:meth:`leaflets.engine.Engine.rendered`), with the
renderer of its format, which imports its library (ReportLab, python-pptx)
only when a target of that format is rendered, so ``--help``, ``locales
status`` and a no-op rebuild never pay for it.

A pool is started only when the build's caller asked for more than one job
(the command line does; a library caller's build renders in its own
process).  It is forked after the parent has imported the renderers and
registered the fonts the jobs need, so each worker starts with them (fonts
are parsed once per build, not once per worker or per document), and, if
the caller asked (``freeze_gc``), after :func:`leaflets.process.tune_gc`
froze those long-lived objects.  Workers ignore SIGINT: on Ctrl-C the parent
alone decides, stops the pool and cleans up.  A worker whose parent is killed
outright exits at once (:func:`die_with_parent`).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from dataclasses import dataclass

from leaflets.errors import Diagnostic, LeafletsError
from leaflets.plan import BuildOptions, Target
from leaflets.render.contract import LayoutOverflow, Rendered

MIN_POOL_JOBS = 4  # fewer artifacts than this are rendered in the parent: forking costs more
IN_FLIGHT_PER_WORKER = 3  # jobs submitted and not yet collected, per worker (see RenderPool.ready)


@dataclass(frozen=True)
class Job:
    target: Target
    document: object  # LocalizedDocument
    options: BuildOptions
    source: str  # file to name in an error about this target (its catalog or topic)
    second: object = None  # a bilingual target's second LocalizedDocument
    layout: str | None = None  # the layout choice remembered for the target's inputs (leaflets.layoutmemo)


@dataclass(frozen=True)
class Outcome:
    target: Target
    data: bytes | None = None
    summary: str = ""
    warnings: tuple[str, ...] = ()
    errors: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0  # CPU time spent rendering
    layout: str | None = None  # the layout choice the render made (Rendered.layout), for the parent to remember


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


_WORKER_ENGINE = None  # in a worker process: the engine of the build that forked it


def render_job(job: Job, engine=None) -> Outcome:
    """Render one target with ``engine`` (in a worker: the build's); every failure becomes an
    :class:`Outcome` with errors."""
    engine = engine if engine is not None else _WORKER_ENGINE
    started = time.process_time()
    try:
        remembered = {"layout": job.layout} if job.layout is not None else {}
        rendered = render_target(job.document, job.target, job.options, engine, job.second, **remembered)
    except (LeafletsError, LayoutOverflow) as exc:  # a layout limit is a content problem, not a crash
        errors = tuple(d if d.file else Diagnostic(job.source, d.line, d.column, d.message) for d in exc.diagnostics)
        return Outcome(job.target, errors=errors, seconds=time.process_time() - started)
    except Exception as exc:  # a bug, not bad input: report it for this target, keep building the others
        message = f"internal error while rendering {job.target.name}: {type(exc).__name__}: {exc}"
        return Outcome(job.target, errors=(Diagnostic(job.source, 0, 0, message),),
                       seconds=time.process_time() - started)
    return Outcome(job.target, rendered.data, rendered.summary, rendered.warnings,
                   seconds=time.process_time() - started, layout=rendered.layout)


def render_target(document, target: Target, options: BuildOptions, engine, second=None,
                  layout: str | None = None) -> Rendered:
    """Render one target with ``engine`` (the renderer of its format); ``second``: a bilingual
    target's second document; ``layout``: the layout choice remembered for its inputs."""
    return engine.rendered(document, target, options, second=second, layout=layout)


def _init_worker(engine, parent: int, lifeline: tuple[int, int] | None = None) -> None:
    """In a new worker process (forked: ``engine`` is the parent's, not a copy sent over a pipe)."""
    global _WORKER_ENGINE
    _WORKER_ENGINE = engine
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent, lifeline)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int, lifeline: tuple[int, int] | None) -> None:
    """End this worker the moment the build that forked it is gone, however it went.

    A parent that exits normally stops its pool, but one killed outright
    (``kill -9``, the out-of-memory killer) cannot: its workers would wait on
    their job queue for ever.  Two independent guards:

    * on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` (through ctypes) asks the
      kernel to kill this process when its parent dies; checking the parent
      after the call closes the race of a parent that died just before it;
    * everywhere, a *lifeline*: a pipe whose write end only the parent holds
      (this worker closes its inherited copy).  A daemon thread blocks reading
      it; when the parent dies the kernel closes its end, the read returns
      end-of-file, and the worker exits at once.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the lifeline alone
            pass
    if lifeline is not None:
        read_end, write_end = lifeline
        try:
            os.close(write_end)  # else this worker itself would keep the pipe open
        except OSError:
            pass
        threading.Thread(target=_watch_lifeline, args=(read_end,), name="leaflets-lifeline", daemon=True).start()
    if os.getppid() != parent:  # the parent died before any guard was in place
        os._exit(1)


def _watch_lifeline(read_end: int) -> None:
    try:
        while os.read(read_end, 1):
            pass
    except OSError:
        pass
    os._exit(1)


class RenderPool:
    """Renders jobs as they are submitted: in this process, or on a forked pool
    when ``expected`` (the number of artifacts that may need rendering) is
    worth it.  Nothing is imported or forked until the first job arrives, so
    a build that renders nothing never loads ReportLab or python-pptx.

    :meth:`submit` a job, collect :meth:`ready` outcomes between submissions
    (the parent keeps localizing while the workers render), then
    :meth:`finish`; :meth:`stop` ends the workers at once (Ctrl-C).  A
    worker that dies (killed, out of memory, a crash in a C extension)
    fails the targets it had, reported like any other failure: the build
    never waits forever.
    """

    def __init__(self, engine, jobs: int, expected: int, locales: set[str] | None = None,
                 formats: set[str] | None = None, *, freeze_gc: bool = False):
        self.engine = engine
        self.freeze_gc = freeze_gc
        self.jobs = max(1, jobs)
        self.expected = expected
        self.locales = locales
        self.formats = formats
        self.pool = None
        self.lifeline: tuple[int, int] | None = None
        self.started = False
        self.pending = 0
        self.workers = 1
        self.outcomes: queue.SimpleQueue = queue.SimpleQueue()

    def _start(self, first: Job) -> None:
        self.started = True
        self.engine.prepare(self.locales if self.locales is not None else {first.document.locale}, self.formats)
        if self.freeze_gc:
            from leaflets.process import tune_gc
            tune_gc()
        workers = min(self.jobs, self.expected)
        self.workers = workers
        if workers >= 2 and self.expected >= MIN_POOL_JOBS and "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor
            self.lifeline = os.pipe()  # the workers' way to notice this process is gone (die_with_parent)
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_init_worker,
                                            initargs=(self.engine, os.getpid(), self.lifeline))

    def submit(self, job: Job) -> None:
        if not self.started:
            self._start(job)
        if self.pool is None:
            self.outcomes.put(render_job(job, self.engine))
            return
        self.pending += 1
        try:
            future = self.pool.submit(render_job, job)
        except RuntimeError as exc:  # BrokenProcessPool: a worker died; fail this job too
            self.outcomes.put(_crashed(job, exc))
            return
        future.add_done_callback(lambda done, job=job: self._collect(done, job))

    def _collect(self, done, job: Job) -> None:
        if done.cancelled():  # stop() cancelled it: nothing to report
            return
        error = done.exception()
        self.outcomes.put(_crashed(job, error) if error is not None else done.result())

    def ready(self) -> list[Outcome]:
        """Outcomes that have arrived: without waiting, unless :data:`IN_FLIGHT_PER_WORKER` jobs per
        worker are in flight, then until that is no longer so.

        Why wait: localizing is much faster than rendering, so a build would submit every
        job at once, and each waiting job holds its document in this process (a build of
        twenty copies of the shipped topic: this process peaked at 136 MB of PSS, 107 MB
        with the bound).  With a bound, a few documents per worker wait at any time,
        whatever the number of topics, and the workers are never idle for want of a job."""
        found = []
        limit = IN_FLIGHT_PER_WORKER * self.workers
        while True:
            full = self.pool is not None and self.pending >= limit
            try:
                outcome = self.outcomes.get(timeout=0.1) if full else self.outcomes.get_nowait()
            except queue.Empty:
                if full:
                    continue  # a timeout keeps Ctrl-C responsive; a dead worker's jobs come back failed
                return found
            if self.pool is not None:
                self.pending -= 1
            found.append(outcome)

    def finish(self):
        """Yield every remaining outcome as it arrives, then end the pool."""
        yield from self.ready()
        while self.pool is not None and self.pending:
            try:
                outcome = self.outcomes.get(timeout=0.1)  # a timeout keeps Ctrl-C responsive
            except queue.Empty:
                continue
            self.pending -= 1
            yield outcome
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None
        self._cut_lifeline()

    def _cut_lifeline(self) -> None:
        for fd in self.lifeline or ():
            try:
                os.close(fd)
            except OSError:
                pass
        self.lifeline = None

    def stop(self) -> None:
        """End the workers now: cancel what has not started, terminate what runs."""
        if self.pool is not None:
            processes = _worker_processes(self.pool)
            self.pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(timeout=5)
            self.pool = None
        self._cut_lifeline()


def _worker_processes(pool) -> list:
    """The pool's worker processes.  ``ProcessPoolExecutor`` has no public way
    to stop running work; its ``_processes`` mapping is the one private name
    leaflets uses here."""
    return list((getattr(pool, "_processes", None) or {}).values())


def _crashed(job: Job, exc: BaseException) -> Outcome:
    if type(exc).__name__ == "BrokenProcessPool":
        message = f"a worker process ended unexpectedly while rendering {job.target.name} (killed, or out of memory)"
    else:
        message = f"internal error while rendering {job.target.name}: {type(exc).__name__}: {exc}"
    return Outcome(job.target, errors=(Diagnostic(job.source, 0, 0, message),))
