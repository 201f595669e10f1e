"""``leaflets serve --worker``: an RQ worker for the Redis mode, recycled after N jobs.

Each worker is a child process running RQ's :class:`~rq.SimpleWorker` (jobs
run in the worker process itself, so its engine, fonts and loaded catalogs
stay warm between jobs) until it has run ``recycle_after`` jobs; then it
exits and a fresh one starts.  Jobs that run past their ``job_timeout`` are
stopped by RQ.  Any number of these may run, on any machine that reaches
the Redis server and has the project folder (same path) and leaflets.
"""

from __future__ import annotations

import multiprocessing
import signal


def _work(url: str, max_jobs: int) -> None:
    from redis import Redis
    from rq import Queue, SimpleWorker

    from leaflets.web.pool import RedisPool
    connection = Redis.from_url(url)
    worker = SimpleWorker([Queue(RedisPool.QUEUE, connection=connection)], connection=connection)
    worker.work(max_jobs=max_jobs, with_scheduler=False, logging_level="WARNING")


def run(url: str, recycle_after: int, processes: int = 1) -> int:
    """Keep ``processes`` workers running until interrupted (Ctrl-C or SIGTERM)."""
    import time
    context = multiprocessing.get_context("spawn")
    children: list = [None] * processes
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping:
            for index, child in enumerate(children):
                if child is None or not child.is_alive():
                    child = context.Process(target=_work, args=(url, recycle_after), daemon=True)
                    child.start()
                    children[index] = child
            time.sleep(0.2)
    finally:
        for child in children:
            if child is not None and child.is_alive():
                child.terminate()  # RQ's warm shutdown: the job running may finish
        for child in children:
            if child is not None:
                child.join(10)
                if child.is_alive():  # a job longer than that is stopped (RQ requeues nothing: it failed)
                    child.kill()
                    child.join(5)
    return 130 if signal.SIGINT in stopping else 0
