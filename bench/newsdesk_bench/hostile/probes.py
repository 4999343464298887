"""Step 3c: the latency of a cheap uncached read, alone and while clients
send an alias bomb in a loop."""

import secrets
import statistics
import threading
import time
from collections import Counter

from ..client import http
from ..common import Failure
from .bombs import send_bomb
from .common import TIMEOUT
from .figures import ms, percentile


def probe(port, slug):
    """One cheap read the response cache cannot answer (an article page with a
    query string never seen before; it keys by path and query), on a new
    connection: seconds, or None if it failed."""
    path = f"/api/v1/articles/{slug}?x={secrets.token_hex(8)}"
    started = time.monotonic()
    try:
        status, _, _ = http(port, "GET", path, timeout=TIMEOUT)
    except Failure:
        return None
    return time.monotonic() - started if status == 200 else None


def probe_for(port, slug, seconds, pause=0.01):
    """Probes one after another for `seconds`: latencies, and probes that failed."""
    latencies, failed = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        took = probe(port, slug)
        if took is None:
            failed += 1
        else:
            latencies.append(took)
        time.sleep(pause)
    return {"probes": len(latencies), "failed": failed,
            "p50_ms": ms(percentile(latencies, 50)), "p99_ms": ms(percentile(latencies, 99))}


def probes_under_bombs(server, slug, bomb, clients, seconds):
    """Probe latency while `clients` threads send `bomb` in a loop."""
    port = server.port
    _, template, aliases = bomb
    stopping = threading.Event()
    times, kinds = [], Counter()
    lock = threading.Lock()

    def bomber():
        while not stopping.is_set():
            kind, took = send_bomb(port, template, aliases)[:2]
            with lock:
                kinds[kind] += 1
                if took is not None:
                    times.append(took)

    threads = [threading.Thread(target=bomber, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    time.sleep(0.3)  # the bombs under way
    started = time.monotonic()
    result = probe_for(port, slug, seconds)
    elapsed = time.monotonic() - started
    stopping.set()
    for t in threads:
        t.join(TIMEOUT)
    result.update({"clients": clients, "bombs": len(times), "bomb_answers": dict(kinds),
                   "bomb_median_ms": ms(statistics.median(times)) if times else None,
                   "bomb_p99_ms": ms(percentile(times, 99)),
                   "bombs_per_s": round(len(times) / elapsed, 1), "after": server.memory()})
    return result
