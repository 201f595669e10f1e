"""The Redis mode: a real redis-server, two RQ render workers (`leaflets serve --worker`), and the
clinic page's tests run again against it; coalescing and the queue bound across the shared queue."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import warnings

import pytest

from tests.conftest import ROOT
from tests.web.conftest import free_port, settings_for

from tests.web.test_clinic import (  # noqa: F401 - the same tests, on the redis client below
    QUERY, arabic, test_a_value_the_project_does_not_offer_is_a_message, test_arabic_preview_shows_every_page_as_an_image,
    test_deck_download, test_download_is_the_engines_file, test_the_choice_is_in_the_url_and_a_second_visit_is_cached,
)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is required in CI (.ci/run installs it)")
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    pytest.importorskip("rq")
    folder = tmp_path_factory.mktemp("redis")
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder), "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def workers(redis_url, tmp_path_factory):
    """Two RQ render workers, as a worker machine runs them."""
    log = open(tmp_path_factory.mktemp("workers") / "workers.log", "wb")
    process = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "serve", "--worker", "--workers", "2",
                                "--redis-url", redis_url], stdout=log, stderr=subprocess.STDOUT)
    import redis
    from rq import Worker
    connection = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 60
    while len(Worker.all(connection=connection)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(Worker.all(connection=connection)) == 2
    yield process
    process.terminate()
    try:
        process.wait(40)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
    finally:
        log.close()


@pytest.fixture(scope="module")
def client(redis_url, workers, tmp_path_factory):
    from starlette.testclient import TestClient

    from leaflets.web import create_app
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(settings_for(tmp_path_factory.mktemp("web-redis"), backend="redis", redis_url=redis_url,
                                      queue_limit=2))
        with TestClient(app) as test_client:
            yield test_client


def test_two_web_processes_share_one_render(redis_url, workers, tmp_path):
    """Two apps (as two web processes would be) ask for the same new file at once: one job runs."""
    import asyncio

    from leaflets.web.cache import RedisCache
    from leaflets.web.pool import RedisPool
    from leaflets.web.service import Choice, RenderService

    async def scenario():
        pools = [RedisPool(url=redis_url, workers=2, queue_limit=4, timeout=60, retry_after=3,
                           cache_spec=("redis", redis_url)) for _ in range(2)]
        services = [RenderService(settings_for(tmp_path, backend="redis", redis_url=redis_url), pool,
                                  RedisCache(redis_url)) for pool in pools]
        choice = Choice("atopic-dermatitis", "hi", "pdf", "letter")
        results = await asyncio.gather(*(s.render(choice) for s in services for _ in range(3)))
        return results, pools

    results, pools = asyncio.run(scenario())
    assert len({r.fingerprint for r in results}) == 1
    enqueued = sum(p.stats.submitted - p.stats.coalesced for p in pools)
    assert enqueued <= 2 and sum(p.stats.coalesced for p in pools) >= 4


def test_a_full_shared_queue_answers_429(redis_url, workers, tmp_path):
    import asyncio

    from leaflets.web.jobs import ProbeJob
    from leaflets.web.pool import QueueFull, RedisPool

    async def scenario():
        pool = RedisPool(url=redis_url, workers=2, queue_limit=1, timeout=30, retry_after=3,
                         cache_spec=("redis", redis_url))
        busy = [asyncio.ensure_future(pool.submit(f"probe-{i}", ProbeJob(1.5))) for i in range(3)]
        deadline = asyncio.get_running_loop().time() + 10
        # until the three are enqueued and counted (a fixed half second was not always enough on a busy machine)
        while pool.pending < pool.limit and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
        with pytest.raises(QueueFull) as refused:
            await pool.submit("probe-extra", ProbeJob(0))
        answers = await asyncio.gather(*busy)
        return refused.value, answers

    refused, answers = asyncio.run(scenario())
    assert refused.retry_after == 3
    assert all(a["ok"] for a in answers) and len({a["pid"] for a in answers}) == 2  # both workers took jobs


def test_a_job_over_its_time_is_stopped_and_the_worker_goes_on(redis_url, workers):
    import asyncio

    from leaflets.web.jobs import ProbeJob
    from leaflets.web.pool import RedisPool, RenderTimeout

    async def scenario():
        pool = RedisPool(url=redis_url, workers=2, queue_limit=2, timeout=1, retry_after=3,
                         cache_spec=("redis", redis_url))
        with pytest.raises(RenderTimeout):
            await pool.submit("probe-slow", ProbeJob(20))
        return await pool.submit("probe-after", ProbeJob(0))

    assert asyncio.run(scenario())["ok"]


def test_two_servers_with_different_brands_sharing_redis_never_share_bytes(redis_url, workers, tmp_path):
    """Two web processes, one with the example clinic's brand and one with the same brand id but
    another phone number, ask the shared queue and cache for the same choice at once: two jobs
    (the coalescing key has the brand), two fingerprints, and each file carries its own number.
    The RQ workers get the validated profile in the job (no brand option of their own)."""
    import asyncio

    from leaflets.web.cache import RedisCache
    from leaflets.web.jobs import file_key
    from leaflets.web.pool import RedisPool
    from leaflets.web.service import Choice, RenderService
    from tests.web.test_brand import BRAND, brand_copy, pdf_text
    other = brand_copy(tmp_path, 'phone: "555-0100"', 'phone: "555-0142"')

    async def scenario():
        pools = [RedisPool(url=redis_url, workers=2, queue_limit=4, timeout=60, retry_after=3,
                           cache_spec=("redis", redis_url)) for _ in range(2)]
        services = [RenderService(settings_for(tmp_path, backend="redis", redis_url=redis_url, brand=brand), pool,
                                  RedisCache(redis_url)) for brand, pool in zip((BRAND, other), pools)]
        choice = Choice("atopic-dermatitis", "vi", "pdf", "a4")
        results = await asyncio.gather(*(s.render(choice, images=False) for s in services for _ in range(2)))
        return results, pools

    results, pools = asyncio.run(scenario())
    assert results[0].fingerprint == results[1].fingerprint != results[2].fingerprint == results[3].fingerprint
    assert sum(p.stats.submitted - p.stats.coalesced for p in pools) == 2  # one job per brand
    cache = RedisCache(redis_url)
    first, second = (pdf_text(cache.get(file_key(r.fingerprint)), tmp_path) for r in (results[0], results[2]))
    assert "555-0100" in first and "555-0142" not in first
    assert "555-0142" in second and "555-0100" not in second
    assert "Riverside Skin Clinic" in first and "Riverside Skin Clinic" in second
