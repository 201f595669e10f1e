"""Render jobs off the event loop: a bounded pool of worker processes, or RQ workers on Redis.

Both pools have one method, :meth:`submit` ``(key, job)``, and the same promises:

* **Never in the event loop.**  A job runs in another process; the loop
  only waits for its answer.
* **Identical concurrent requests render once.**  Jobs with the same key
  (a digest of everything that decides the answer) share one run: the
  second caller waits for the first one's answer (:class:`Coalescer`, the
  same for both pools).
* **Bounded.**  At most ``workers`` jobs run and ``queue_limit`` wait; one
  more raises :class:`QueueFull`, which the app answers with 429 and
  ``Retry-After``.
* **Timed.**  A job running longer than ``timeout`` raises
  :class:`RenderTimeout`; its worker process is killed and replaced, so a
  runaway render cannot hold a slot.
* **Recycled.**  A worker process is replaced after ``recycle_after`` jobs,
  so whatever a long-running process accumulates is returned to the system.

:class:`LocalPool` owns its processes (``multiprocessing`` with the
``forkserver`` start method: a new worker is a fork of a small, clean
server process that has leaflets imported, not of the web server with its
sockets and threads).  :class:`RedisPool` puts jobs on an RQ queue that
``leaflets serve --worker`` processes on any machine take (see README,
"Deployment"); coalescing there is by RQ job id, so two web processes asking
for the same file share one job too.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
from dataclasses import dataclass, field


class QueueFull(Exception):
    """More jobs than the pool runs and queues; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"the render queue is full; retry after {retry_after} s")
        self.retry_after = retry_after


class RenderTimeout(Exception):
    """A job ran past the pool's time limit (its worker was replaced)."""


class WorkerCrashed(Exception):
    """A worker process died during a job (it was replaced)."""


@dataclass
class PoolStats:
    submitted: int = 0
    coalesced: int = 0
    rejected: int = 0
    completed: int = 0
    timeouts: int = 0
    crashes: int = 0
    started: int = 0  # worker processes started (including replacements)
    pids: list = field(default_factory=list)


class Coalescer:
    """Jobs by key, for both pools: the first caller of a key starts its run, and every caller
    with that key until the run ends waits for the same answer (or exception).

    The run is a task of its own, not the first caller's: a caller that goes away (a browser
    closing the page cancels its request) never cancels a run that others wait for, and the
    key is forgotten the moment the run ends, whoever waits."""

    def __init__(self, stats: PoolStats):
        self.stats = stats
        self._runs: dict[str, asyncio.Task] = {}

    def __len__(self) -> int:
        return len(self._runs)

    async def submit(self, key: str, run, admit=None) -> dict:
        """The answer of ``run()`` (a coroutine function), started unless a run of ``key`` is
        under way; ``admit()`` is called before a new run starts (it raises :class:`QueueFull`
        to refuse it)."""
        self.stats.submitted += 1
        task = self._runs.get(key)
        if task is not None:
            self.stats.coalesced += 1
        else:
            if admit is not None:
                admit()
            task = asyncio.ensure_future(run())
            self._runs[key] = task
            task.add_done_callback(lambda done: self._forget(key, done))
        return await asyncio.shield(task)

    def _forget(self, key: str, task: asyncio.Task) -> None:
        if self._runs.get(key) is task:
            del self._runs[key]
        if not task.cancelled():
            task.exception()  # retrieved: no "exception was never retrieved" when no caller is left


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context, cache_spec, soffice, start_timeout: float, warm: tuple | None):
        from leaflets.web.jobs import worker_main
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(child, cache_spec, soffice, warm), daemon=True)
        self.process.start()
        child.close()
        self.jobs = 0
        try:
            if not self.conn.poll(start_timeout):
                raise EOFError
            self.conn.recv()  # ("ready", pid)
        except (EOFError, OSError):
            self.kill()
            raise WorkerCrashed("a render worker did not start (a program that starts the web app in this "
                                "process must guard its start with `if __name__ == '__main__':`)") from None

    @property
    def pid(self) -> int:
        return self.process.pid

    def call(self, job, timeout: float):
        self.conn.send(job)
        if not self.conn.poll(timeout):
            raise RenderTimeout(f"the render took longer than {timeout:g} s")
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            raise WorkerCrashed("a render worker stopped during a job") from None

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.kill()
        self.conn.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        try:
            self.conn.close()
        except OSError:
            pass


class LocalPool:
    """``workers`` render processes on this machine (see the module docstring)."""

    def __init__(self, *, workers: int, queue_limit: int, timeout: float, recycle_after: int, retry_after: int,
                 cache_spec: tuple, soffice: str | None = None, warm: tuple | None = None):
        self.warm = warm  # (content_dir, locales_dir): what a new worker loads before its first job
        self.workers = workers
        self.queue_limit = queue_limit
        self.timeout = timeout
        self.recycle_after = recycle_after
        self.retry_after = retry_after
        self.cache_spec = cache_spec
        self.soffice = soffice
        self.stats = PoolStats()
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["leaflets.web.jobs", "leaflets.engine"])
        self._runs = Coalescer(self.stats)
        self._queue: asyncio.Queue | None = None
        self._slots: list[asyncio.Task] = []
        self._processes: list[_Worker | None] = []
        self._lock = threading.Lock()

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._processes = [None] * self.workers
        # Start the workers now (in threads: a start waits for the worker to warm up).
        await asyncio.gather(*(asyncio.to_thread(self._ensure, i) for i in range(self.workers)))
        self._slots = [asyncio.create_task(self._slot(i)) for i in range(self.workers)]

    async def close(self) -> None:
        for task in self._slots:
            task.cancel()
        await asyncio.gather(*self._slots, return_exceptions=True)
        while self._queue is not None and not self._queue.empty():  # jobs no slot took: their callers are told
            _, done = self._queue.get_nowait()
            if not done.done():
                done.set_exception(RenderTimeout("the server is stopping"))
        for worker in self._processes:
            if worker is not None:
                await asyncio.to_thread(worker.stop)
        self._processes = []

    @property
    def pending(self) -> int:
        """Jobs running or waiting (each coalesced group counts once)."""
        return len(self._runs)

    def pids(self) -> list[int]:
        return [w.pid for w in self._processes if w is not None]

    async def submit(self, key: str, job) -> dict:
        """The answer of ``job``, run once for every concurrent caller with the same ``key``."""
        def admit():
            if len(self._runs) >= self.workers + self.queue_limit:
                self.stats.rejected += 1
                raise QueueFull(self.retry_after)

        async def run():
            done = asyncio.get_running_loop().create_future()  # a slot sets it
            await self._queue.put((job, done))
            return await done

        return await self._runs.submit(key, run, admit)

    def _ensure(self, index: int) -> _Worker:
        """Slot ``index``'s worker: started if missing, replaced if dead or due for recycling."""
        with self._lock:
            worker = self._processes[index]
            if worker is not None and (worker.jobs >= self.recycle_after or not worker.process.is_alive()):
                worker.stop()
                worker = None
            if worker is None:
                worker = _Worker(self._context, self.cache_spec, self.soffice, start_timeout=max(60.0, self.timeout),
                                 warm=self.warm)
                self._processes[index] = worker
                self.stats.started += 1
                self.stats.pids.append(worker.pid)
            return worker

    def _run(self, index: int, job):
        worker = self._ensure(index)
        worker.jobs += 1
        try:
            answer = worker.call(job, self.timeout)
        except (RenderTimeout, WorkerCrashed):
            worker.kill()
            with self._lock:
                self._processes[index] = None
            raise
        if answer.get("crashed"):
            worker.kill()
            with self._lock:
                self._processes[index] = None
        return answer

    async def _slot(self, index: int) -> None:
        while True:
            job, future = await self._queue.get()
            try:
                answer = await asyncio.to_thread(self._run, index, job)
            except RenderTimeout as exc:
                self.stats.timeouts += 1
                future.set_exception(exc)
            except WorkerCrashed as exc:
                self.stats.crashes += 1
                future.set_exception(exc)
            except asyncio.CancelledError:
                future.set_exception(RenderTimeout("the server is stopping"))
                raise
            except Exception as exc:  # noqa: BLE001 - reaches the caller, never kills the slot
                future.set_exception(exc)
            else:
                self.stats.completed += 1
                future.set_result(answer)


class RedisPool:
    """Jobs on an RQ queue in Redis, run by ``leaflets serve --worker`` processes (any machine).

    Coalescing uses the job key as the RQ job id: a second request (from any
    web process) for a job that is queued or running waits for that job
    (within one web process, callers share one wait; two web processes that
    enqueue the same new key in the same instant may both render it, which
    costs time, never correctness: both write the same bytes).
    The queue's length bounds it (``QueueFull`` past ``workers + queue_limit``
    jobs not yet finished).  RQ's ``job_timeout`` kills a job that runs too
    long (the worker process survives and takes the next job); ``result_ttl``
    keeps answers briefly, since the bytes are in the shared cache anyway.
    """

    QUEUE = "leaflets-render"

    def __init__(self, *, url: str, workers: int, queue_limit: int, timeout: float, retry_after: int,
                 cache_spec: tuple, soffice: str | None = None, poll: float = 0.02):
        from redis import Redis
        from rq import Queue
        self.redis = Redis.from_url(url)
        self.queue = Queue(self.QUEUE, connection=self.redis)
        self.limit = workers + queue_limit
        self.timeout = timeout
        self.retry_after = retry_after
        self.cache_spec = cache_spec
        self.soffice = soffice
        self.poll = poll
        self.stats = PoolStats()
        self._runs = Coalescer(self.stats)  # this process's callers share one wait

    async def start(self) -> None:
        await asyncio.to_thread(self.redis.ping)

    async def close(self) -> None:
        self.redis.close()

    @property
    def pending(self) -> int:
        return len(self.queue) + self.queue.started_job_registry.count

    def pids(self) -> list[int]:
        """The workers RQ knows of (on any machine), by process id."""
        from rq import Worker
        return [w.pid for w in Worker.all(connection=self.redis)]

    def _enqueue(self, key: str, job):
        from rq.job import Job, JobStatus
        from rq.exceptions import NoSuchJobError
        job_id = "leaflets-" + key.replace(":", "-")[:120]
        try:
            existing = Job.fetch(job_id, connection=self.redis)
            status = existing.get_status(refresh=True)
            if status in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED):
                self.stats.coalesced += 1
                return existing
        except NoSuchJobError:
            pass
        if self.pending >= self.limit:
            self.stats.rejected += 1
            raise QueueFull(self.retry_after)
        from leaflets.web.jobs import rq_run
        return self.queue.enqueue(rq_run, job, self.cache_spec, self.soffice, job_id=job_id,
                                  job_timeout=max(1, int(self.timeout + 0.999)), result_ttl=60, failure_ttl=60)

    async def submit(self, key: str, job) -> dict:
        """The answer of ``job``: one wait per key in this process, one RQ job per key across them."""
        return await self._runs.submit(key, lambda: self._submit(key, job))

    async def _submit(self, key: str, job) -> dict:
        rq_job = await asyncio.to_thread(self._enqueue, key, job)
        deadline = time.monotonic() + self.timeout + 30  # the worker's own timeout fires first
        while True:
            status = await asyncio.to_thread(rq_job.get_status, True)
            if status == "finished":
                self.stats.completed += 1
                return rq_job.return_value()
            if status in ("failed", "stopped", "canceled"):
                info = rq_job.latest_result()
                text = getattr(info, "exc_string", "") or ""
                if "JobTimeoutException" in text or "timeout" in text.lower():
                    self.stats.timeouts += 1
                    raise RenderTimeout(f"the render took longer than {self.timeout:g} s")
                self.stats.crashes += 1
                raise WorkerCrashed("a render worker failed")
            if time.monotonic() > deadline:
                self.stats.timeouts += 1
                raise RenderTimeout("no render worker answered in time (is `leaflets serve --worker` running?)")
            await asyncio.sleep(self.poll)
