"""Plain HTTP for fixtures and probes (http.client: no proxy, no redirects),
and the service's own counters from /metrics.
"""

import http.client as httpc
import json
import time

from .common import Failure, TimedOut, log


def http(port, method, path, headers=None, body=None, timeout=60):
    conn = httpc.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers = {"Content-Type": "application/json", **(headers or {})}
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    except TimeoutError as exc:
        raise TimedOut(f"{method} {path[:100]}: no answer within {timeout} s") from exc
    except OSError as exc:
        raise Failure(f"{method} {path[:100]}: {exc}") from exc
    finally:
        conn.close()


def wait_ready(port, proc, what, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise Failure(f"{what} exited with {proc.returncode} during start-up")
        try:
            status, _, _ = http(port, "GET", "/readyz", timeout=2)
            if status < 500:
                return
        except Failure:
            pass
        time.sleep(0.1)
    raise Failure(f"{what} did not answer on port {port} within {timeout} s")


def metrics(port):
    """(SQL statements run, HTTP requests served, when) so far."""
    _, _, body = http(port, "GET", "/metrics")
    queries = requests = 0
    for line in body.decode().splitlines():
        if line.startswith("newsdesk_db_queries_total "):
            queries = int(float(line.split()[1]))
        elif line.startswith("newsdesk_http_requests_total{"):
            requests += int(float(line.split()[1]))
    return queries, requests, time.monotonic()


def settle(port, timeout=30):
    """Wait until requests of the previous load have all been answered.

    A load generator stops sending at its deadline, but the service may
    still be working on what it had received (a slow login takes a while):
    those requests would be counted in the next measurement otherwise.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = metrics(port)
        time.sleep(0.2)
        if metrics(port)[1] - before[1] == 1:  # only our own /metrics call
            return
    log("the service did not become idle; measuring anyway")


def idle_queries_per_second(port, seconds=2.0):
    """Statements the service runs on its own (the scheduler's tick), per second."""
    before = metrics(port)
    time.sleep(seconds)
    after = metrics(port)
    return (after[0] - before[0]) / (after[2] - before[2])


def per_request(before, after, idle_rate):
    # The earlier /metrics call is counted (after it answered) in the
    # later snapshot: it is not a scenario request, and runs no SQL. What
    # the service runs by itself meanwhile is not the requests' either.
    requests = after[1] - before[1] - 1
    queries = after[0] - before[0] - idle_rate * (after[2] - before[2])
    return round(max(queries, 0) / requests, 2) if requests > 0 else None
