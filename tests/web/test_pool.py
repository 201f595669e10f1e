"""The render pool: bounded, coalescing, timed, recycled; and the size-bounded disk cache."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from leaflets.web.jobs import ProbeJob, RenderJob
from leaflets.web.pool import LocalPool, QueueFull, RenderTimeout
from tests.conftest import ROOT
from tests.web.conftest import CREATED


def make_pool(tmp_path, **changes) -> LocalPool:
    values = dict(workers=1, queue_limit=1, timeout=30.0, recycle_after=100, retry_after=7,
                  cache_spec=("disk", str(tmp_path / "cache"), 64 * 2**20))
    values.update(changes)
    return LocalPool(**values)


def run(coroutine):
    return asyncio.run(coroutine)


def test_identical_concurrent_requests_render_once(tmp_path):
    job = RenderJob(str(ROOT / "content"), str(ROOT / "locales"), "atopic-dermatitis", "es", "pdf", "a4", None, None,
                    int(CREATED.timestamp()), images=False)

    async def scenario():
        pool = make_pool(tmp_path, workers=2)
        await pool.start()
        try:
            answers = await asyncio.gather(*(pool.submit("same-key", job) for _ in range(6)))
            return answers, pool.stats
        finally:
            await pool.close()

    answers, stats = run(scenario())
    assert len({a["fingerprint"] for a in answers}) == 1 and answers[0]["ok"]
    assert stats.completed == 1 and stats.coalesced == 5
    assert len(os.listdir(tmp_path / "cache")) >= 1  # the file is in the cache


def test_a_full_queue_is_refused_with_a_retry_time(tmp_path):
    async def scenario():
        pool = make_pool(tmp_path, workers=1, queue_limit=1)
        await pool.start()
        try:
            running = asyncio.ensure_future(pool.submit("a", ProbeJob(1.0)))
            waiting = asyncio.ensure_future(pool.submit("b", ProbeJob(0.0)))
            await asyncio.sleep(0.1)
            with pytest.raises(QueueFull) as refused:
                await pool.submit("c", ProbeJob(0.0))
            same = await pool.submit("a", ProbeJob(1.0))  # a running job's key is not refused: it is shared
            await asyncio.gather(running, waiting)
            later = await pool.submit("c", ProbeJob(0.0))  # once the queue drains, it is accepted
            return refused.value, same, later, pool.stats
        finally:
            await pool.close()

    refused, same, later, stats = run(scenario())
    assert refused.retry_after == 7
    assert same["ok"] and later["ok"]
    assert stats.rejected == 1


def test_a_render_over_its_time_is_stopped_and_its_worker_replaced(tmp_path):
    async def scenario():
        pool = make_pool(tmp_path, timeout=0.5)
        await pool.start()
        try:
            first = pool.pids()
            with pytest.raises(RenderTimeout):
                await pool.submit("slow", ProbeJob(30.0))
            answer = await pool.submit("quick", ProbeJob(0.0))
            return first, answer, pool.stats
        finally:
            await pool.close()

    first, answer, stats = run(scenario())
    assert answer["ok"] and answer["pid"] not in first  # a new process took over
    assert stats.timeouts == 1 and stats.started == 2


def test_workers_are_recycled_after_n_jobs(tmp_path):
    async def scenario():
        pool = make_pool(tmp_path, recycle_after=2)
        await pool.start()
        try:
            return [(await pool.submit(f"job-{i}", ProbeJob(0.0)))["pid"] for i in range(5)]
        finally:
            await pool.close()

    pids = run(scenario())
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]


def test_the_disk_cache_stays_under_its_bound_and_names_files_by_digest(tmp_path):
    from leaflets.web.cache import DiskCache
    cache = DiskCache(tmp_path / "c", max_bytes=2**20)
    for i in range(40):
        cache.put(f"file:../../evil/{i}", bytes(100_000))
    assert cache.size() <= 2**20
    names = [p.name for p in (tmp_path / "c").rglob("*") if p.is_file()]
    assert names and all(len(n) == 64 and all(c in "0123456789abcdef" for c in n) for n in names)
    assert cache.get("file:../../evil/39") == bytes(100_000)  # the newest entries stay
    assert cache.get("file:../../evil/0") is None  # the oldest went
    assert not list(tmp_path.rglob(".tmp-*"))


def test_a_full_queue_is_a_429_page_with_retry_after(tmp_path):
    import warnings

    from starlette.testclient import TestClient

    from leaflets.web import create_app
    from tests.web.conftest import settings_for
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(settings_for(tmp_path, workers=1, queue_limit=0, retry_after=9))
        with TestClient(app) as client:
            pool = app.app_state.service.pool
            assert client.get("/catalogue").status_code == 200  # the project's overview is made before
            busy = client.portal.start_task_soon(pool.submit, "busy", ProbeJob(8.0))
            time.sleep(0.3)
            response = client.get("/", params={"topic": "atopic-dermatitis", "lang": "de"})
            assert response.status_code == 429
            assert response.headers["retry-after"] == "9"
            assert "The server is busy" in response.text and 'role="alert"' not in response.text
            download = client.get("/download", params={"topic": "atopic-dermatitis", "lang": "de"})
            assert download.status_code == 429 and download.headers["retry-after"] == "9"
            assert busy.result(timeout=30)["ok"]
            assert client.get("/download", params={"topic": "atopic-dermatitis", "lang": "de"}).status_code == 200


def test_coalesced_callers_share_one_run_that_no_caller_can_cancel():
    """Both pools coalesce through one Coalescer: the run is its own task, so the first caller
    going away (a closed browser tab cancels its request) neither cancels the run nor leaves the
    others waiting forever; an exception reaches every caller; the key is free once the run ends."""
    from leaflets.web.pool import Coalescer, PoolStats

    async def scenario():
        stats, runs = PoolStats(), []
        coalescer = Coalescer(stats)
        release = asyncio.Event()

        async def run():
            runs.append(1)
            await release.wait()
            return {"ok": True, "run": len(runs)}

        first = asyncio.ensure_future(coalescer.submit("k", run))
        await asyncio.sleep(0)
        others = [asyncio.ensure_future(coalescer.submit("k", run)) for _ in range(3)]
        await asyncio.sleep(0)
        first.cancel()
        await asyncio.sleep(0)
        release.set()
        answers = await asyncio.wait_for(asyncio.gather(*others), 5)
        assert first.cancelled() and len(coalescer) == 0

        async def failing():
            await asyncio.sleep(0.01)
            raise RenderTimeout("too long")

        failures = await asyncio.gather(*(coalescer.submit("f", failing) for _ in range(2)), return_exceptions=True)

        def refuse():
            raise QueueFull(3)

        with pytest.raises(QueueFull):
            await coalescer.submit("new", run, refuse)
        again = await coalescer.submit("k", run)  # a new run once the first ended
        return answers, failures, again, stats, runs

    answers, failures, again, stats, runs = run(scenario())
    assert answers == [{"ok": True, "run": 1}] * 3
    assert all(isinstance(f, RenderTimeout) for f in failures)
    assert again == {"ok": True, "run": 2} and len(runs) == 2
    assert stats.submitted == 8 and stats.coalesced == 4
