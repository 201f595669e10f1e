#!/usr/bin/env python3
"""A bounded load test of `leaflets serve` on loopback: latency, errors and memory.

    python tools/loadtest.py                   # 1000 uncached renders, then the cached and 20-client phases
    python tools/loadtest.py --renders 200 --json /tmp/load.json
    python tools/loadtest.py --renders 100 --brand examples/riverside-clinic/_brand.yml   # a clinic's edition

It starts `leaflets serve` (two render workers, a fresh cache folder) on a
free 127.0.0.1 port, sends a fixed number of requests with httpx and stops
it; nothing but loopback is ever addressed.  Phases:

1. **uncached**: the cache folder is emptied before each round, then every
   shipped language's A4 and Letter handout is asked for, alternately as a
   preview page (`GET /?...`, which renders the PDF and its page images) and
   as a download (`GET /download?...`), by as many clients as there are
   workers, until ``--renders`` files were rendered;
2. **cached**: 20 clients ask for previews and downloads that are in the
   cache (a fixed number each);
3. **burst**: the cache emptied, 20 clients at once ask for different new
   files (handouts and decks): every answer must be 200 or 429 (the queue
   is bounded), and a 429 must carry Retry-After.

Memory is the resident set of the web process and of its render workers
(from /proc), sampled every 100 renders; workers are replaced after
``--recycle-after`` renders, so the figure to read is the web process's and
the per-worker peak.  Targets (2-core machine): uncached preview p50 ≤ 400 ms,
cached ≤ 20 ms, no error but 429 under 20 clients, memory flat after warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"uncached_preview_p50_ms": 400, "cached_preview_p50_ms": 20}
FIXED_DATE = "1767225600"  # SOURCE_DATE_EPOCH: 2026-01-01, so every run renders the same bytes


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50_ms": 1000 * percentile(values, 50), "p95_ms": 1000 * percentile(values, 95),
            "p99_ms": 1000 * percentile(values, 99)}


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, scratch: Path, workers: int, queue_limit: int, recycle_after: int, brand: Path | None = None):
        import httpx
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cache = scratch / "cache"
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "generate.py"), "serve", "--project", str(ROOT), "--port", str(self.port),
             "--cache-dir", str(self.cache), "--workers", str(workers), "--queue-limit", str(queue_limit),
             "--recycle-after", str(recycle_after), "--brand", str(brand.resolve()) if brand else "none"],
            cwd=scratch, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "SOURCE_DATE_EPOCH": FIXED_DATE})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("leaflets serve did not start")

    def health(self) -> dict:
        import httpx
        return httpx.get(self.url + "/healthz", timeout=10).json()

    def memory(self) -> dict:
        workers = [rss_mb(pid) for pid in self.health()["worker_pids"]]
        return {"web_mb": rss_mb(self.process.pid), "workers_mb": workers}

    def empty_cache(self) -> None:
        shutil.rmtree(self.cache, ignore_errors=True)
        self.cache.mkdir(parents=True, exist_ok=True)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def run_clients(count: int, work) -> None:
    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class Phase:
    """One phase's requests: ``clients`` threads take (index, query) pairs from one list until it
    is empty; an even index asks for the preview page, an odd one for the download.  Times of
    200 answers by kind, other statuses counted; ``after`` is called (under the lock) with the
    number of requests answered so far."""

    def __init__(self, url: str, timeout: float = 120):
        self.url = url
        self.timeout = timeout
        self.times: dict[str, list[float]] = {"preview": [], "download": []}
        self.errors: dict[str, int] = {}
        self.answered = 0
        self.lock = threading.Lock()

    def run(self, clients: int, requests: list[tuple[int, dict]], after=None) -> None:
        import httpx
        queue = list(reversed(requests))

        def work(_):
            with httpx.Client(base_url=self.url, timeout=self.timeout) as client:
                while True:
                    with self.lock:
                        if not queue:
                            return
                        index, query = queue.pop()
                    kind = "preview" if index % 2 == 0 else "download"
                    start = time.perf_counter()
                    response = client.get("/" if kind == "preview" else "/download", params=query)
                    elapsed = time.perf_counter() - start
                    with self.lock:
                        if response.status_code == 200:
                            self.times[kind].append(elapsed)
                        else:
                            status = str(response.status_code)
                            self.errors[status] = self.errors.get(status, 0) + 1
                        self.answered += 1
                        if after is not None:
                            after(self.answered)

        run_clients(clients, work)

    def summary(self) -> dict:
        return {kind: summary(values) for kind, values in self.times.items()}


def measure(renders: int, workers: int, recycle_after: int, cached_requests: int, brand: Path | None = None) -> dict:
    import httpx
    sys.path.insert(0, str(ROOT))
    from leaflets import Project
    locales = Project.in_folder(ROOT).locales()
    handouts = [{"topic": "atopic-dermatitis", "lang": lang, "format": "pdf", "paper": paper}
                for lang in locales for paper in ("a4", "letter")]
    scratch = Path(tempfile.mkdtemp(prefix="leaflets-load-"))
    server = Server(scratch, workers=workers, queue_limit=8, recycle_after=recycle_after, brand=brand)
    figures: dict = {"renders": renders, "workers": workers, "recycle_after": recycle_after,
                     "brand": server.health().get("brand")}
    load_before = os.getloadavg()
    try:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            for query in handouts[:4]:  # warm-up: every worker has imported and drawn once
                client.get("/", params=query)
            # 1. uncached: rounds of every handout, the cache emptied before each
            uncached = Phase(server.url)
            memory = [server.memory()]
            while uncached.answered < renders:
                server.empty_cache()
                batch = handouts[:min(len(handouts), renders - uncached.answered)]
                uncached.run(workers, list(enumerate(batch)),
                             after=lambda done: done % 100 == 0 and memory.append({"renders": done, **server.memory()}))
            figures["uncached"] = uncached.summary()
            figures["uncached_errors"] = uncached.errors
            figures["memory"] = memory
            # 2. cached: every handout is in the cache now (the last round rendered all of them)
            for query in handouts:
                client.get("/", params=query)
                client.get("/download", params=query)
            single = Phase(server.url, timeout=60)  # one client: what one person waits
            single.run(1, [(n, handouts[n % len(handouts)]) for n in range(4 * cached_requests)])
            figures["cached_1_client"] = single.summary()
            cached = Phase(server.url, timeout=60)  # 20 clients at once
            cached.run(20, [(n, handouts[n % len(handouts)]) for n in range(20 * cached_requests)])
            figures["cached"] = cached.summary()
            figures["cached_errors"] = {k: single.errors.get(k, 0) + cached.errors.get(k, 0)
                                        for k in {*single.errors, *cached.errors}}
            # 3. burst: 20 clients, 20 different new files at once
            server.empty_cache()
            burst_targets = handouts[:16] + [{"topic": "atopic-dermatitis", "lang": lang, "format": "pptx"}
                                             for lang in locales[:4]]
            statuses: dict[str, int] = {}
            missing_retry_after = 0
            lock = threading.Lock()

            def burst(i):
                nonlocal missing_retry_after
                with httpx.Client(base_url=server.url, timeout=180) as own:
                    response = own.get("/download", params=burst_targets[i % len(burst_targets)])
                with lock:
                    statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
                    if response.status_code == 429 and not response.headers.get("retry-after"):
                        missing_retry_after += 1

            run_clients(20, burst)
            figures["burst_statuses"] = statuses
            figures["burst_429_without_retry_after"] = missing_retry_after
            figures["health"] = server.health()
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    figures["load_average"] = [round(x, 1) for x in (*load_before[:1], *os.getloadavg()[:1])]
    figures["targets"] = TARGETS
    figures["ok"] = {
        "uncached_preview_p50": figures["uncached"]["preview"]["p50_ms"] <= TARGETS["uncached_preview_p50_ms"],
        "cached_preview_p50": figures["cached_1_client"]["preview"]["p50_ms"] <= TARGETS["cached_preview_p50_ms"],
        "no_error_but_429": set(figures["burst_statuses"]) <= {"200", "429"} and not figures["uncached_errors"]
        and not figures["cached_errors"] and not missing_retry_after,
    }
    return figures


def table(figures: dict) -> str:
    lines = [f"web load test: {figures['renders']} uncached renders on {figures['workers']} workers "
             f"(recycled every {figures['recycle_after']}), then 20 clients; clinic brand: "
             f"{figures.get('brand') or 'none'}",
             f"  {'':<34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"]
    names = {"uncached": "uncached ({workers} clients)".format(**figures), "cached_1_client": "cached (1 client)",
             "cached": "cached (20 clients)"}
    for phase in ("uncached", "cached_1_client", "cached"):
        for kind in ("preview", "download"):
            row = figures[phase][kind]
            lines.append(f"  {names[phase] + ' ' + kind:<34} {row['n']:>5} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
                         f"{row['p99_ms']:>8.1f}")
    lines.append(f"  targets: uncached preview p50 <= {TARGETS['uncached_preview_p50_ms']} ms "
                 f"({'met' if figures['ok']['uncached_preview_p50'] else 'NOT met'}), cached preview p50 <= "
                 f"{TARGETS['cached_preview_p50_ms']} ms ({'met' if figures['ok']['cached_preview_p50'] else 'NOT met'})")
    lines.append(f"  errors: uncached {figures['uncached_errors'] or 'none'}, cached {figures['cached_errors'] or 'none'}; "
                 f"20-client burst answers {figures['burst_statuses']} "
                 f"({'only 200/429, each 429 with Retry-After' if figures['ok']['no_error_but_429'] else 'ERRORS'})")
    lines.append(f"  load average during the run: {figures.get('load_average')} (other processes share these cores)")
    lines.append("  memory (resident MB): renders  web  workers")
    for sample in figures["memory"]:
        workers = ", ".join(f"{mb:.0f}" for mb in sample["workers_mb"])
        lines.append(f"    {sample.get('renders', 0):>6} {sample['web_mb']:>6.0f}  [{workers}]")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--renders", type=int, default=1000, help="uncached renders (default 1000)")
    parser.add_argument("--workers", type=int, default=2, help="render workers (default 2)")
    parser.add_argument("--recycle-after", type=int, default=200, help="renders per worker process (default 200)")
    parser.add_argument("--cached-requests", type=int, default=50, help="requests per client in the cached phase")
    parser.add_argument("--brand", type=Path, default=None, metavar="FILE",
                        help="serve with this clinic brand file (default: none, the generic edition)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 unless no error but 429 (CI)")
    args = parser.parse_args(argv)
    figures = measure(args.renders, args.workers, args.recycle_after, args.cached_requests, args.brand)
    print(table(figures))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    if args.check and not figures["ok"]["no_error_but_429"]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
