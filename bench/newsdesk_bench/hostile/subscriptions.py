"""Step 2, the subscription flood: as many subscribed sockets as 127.0.0.1
may hold, the refusal of one more, then more from other loopback addresses;
memory per socket; one comment fanned out to every subscriber; and sockets
that never send `connection_init`, timed until the server closes them."""

import selectors
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from ..client import http
from ..common import Failure, log
from ..fixtures import sign_in
from .common import IDLE_SOCKETS, SOCKETS_PER_ADDRESS, first_article
from .figures import ms
from .subscribers import loopback_sources, open_many, refusal_of_one_more, slot_given_back
from .websocket import WebSocket, WebSocketRefused

READER = "reader.tomas@newsdesk.example"   # a demo reader, who posts the fan-out comment


def fan_out(port, sockets, slug, timeout=15.0):
    """Posts one comment; how many subscribers get it as `next`, and how fast."""
    token = sign_in(port, READER)
    started = time.monotonic()
    status, _, raw = http(port, "POST", f"/api/v1/articles/{slug}/comments",
                          headers={"Authorization": f"Bearer {token}"},
                          body={"body": "A comment every subscriber should hear of."})
    if status != 201:
        return {"comment": f"{status} {raw[:120]!r}"}
    arrivals, other = [], Counter()
    waiting = set(sockets)
    with selectors.DefaultSelector() as sel:
        for ws in sockets:
            sel.register(ws, selectors.EVENT_READ)
        while waiting and time.monotonic() - started < timeout:
            for key, _ in sel.select(timeout=0.5):
                ws = key.fileobj
                for message in ws.read_available():
                    kind = (message or {}).get("type")
                    if kind == "next" and ws in waiting:
                        waiting.discard(ws)
                        arrivals.append(time.monotonic() - started)
                    else:
                        other[str(kind)] += 1
                if ws.ended or ws.close_code is not None:
                    other[f"closed {ws.close_code}"] += 1
                    waiting.discard(ws)
                    sel.unregister(ws)
    return {"comment": "201", "delivered": len(arrivals), "subscribers": len(sockets),
            "median_ms": ms(statistics.median(arrivals)) if arrivals else None,
            "last_ms": ms(max(arrivals)) if arrivals else None,
            "other_messages": dict(other)}


def idle_sockets(port, count=IDLE_SOCKETS, timeout=15.0):
    """Sockets that never send connection_init: how long until the server closes each."""
    sources = loopback_sources(count, "127.0.2")
    with ThreadPoolExecutor(16) as pool:
        attempts = list(pool.map(lambda s: _try(lambda: WebSocket(port, s)), sources))
    sockets = [ws for ws in attempts if isinstance(ws, WebSocket)]
    failed = Counter(str(a)[:60] for a in attempts if not isinstance(a, WebSocket))
    closed_after, codes = [], Counter()
    open_now = set(sockets)
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        for ws in sockets:
            sel.register(ws, selectors.EVENT_READ)
        while open_now and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.5):
                ws = key.fileobj
                ws.read_available()
                if ws.close_code is not None or ws.ended:
                    closed_after.append(time.monotonic() - ws.opened_at)
                    codes[str(ws.close_code) if ws.close_code else "no close frame"] += 1
                    open_now.discard(ws)
                    sel.unregister(ws)
    for ws in sockets:
        ws.sock.close()
    return {"opened": len(sockets), "failed": dict(failed), "closed": len(closed_after),
            "still_open_after_s": [len(open_now), timeout], "close_codes": dict(codes),
            "closed_after_s": {"min": _round(min(closed_after, default=None)),
                               "median": _round(statistics.median(closed_after) if closed_after else None),
                               "max": _round(max(closed_after, default=None))}}


def _try(make):
    try:
        return make()
    except (OSError, Failure, WebSocketRefused) as exc:
        return exc


def _round(value, digits=2):
    return None if value is None else round(value, digits)


def subscription_flood(fresh, args):
    with fresh("2") as server:
        return subscriptions(server, args)


def subscriptions(server, args):
    port = server.port
    article_id, slug = first_article(port)
    query = f'subscription {{ commentAdded(articleId: "{article_id}") {{ id body }} }}'
    result = {"subscription": "commentAdded(articleId)", "before": server.settled_memory()}

    log(f"2: {SOCKETS_PER_ADDRESS} subscribed sockets from 127.0.0.1, then one more")
    sockets, problems = open_many(port, ["127.0.0.1"] * SOCKETS_PER_ADDRESS, query)
    result["from_one_address"] = {"opened": len(sockets), "problems": dict(problems)}
    result["one_more"] = refusal_of_one_more(port, query)
    result["slot_back_after_close_s"] = slot_given_back(port, sockets, query)

    wanted = max(args.sockets - len(sockets), 0)
    log(f"2: {wanted} more from other loopback addresses")
    started = time.monotonic()
    more, problems = open_many(port, loopback_sources(wanted, "127.0.0", first=2), query)
    sockets += more
    result["open_seconds"] = round(time.monotonic() - started, 1)
    result["open"] = len(sockets)
    result["addresses"] = len({ws.sock.getsockname()[0] for ws in sockets})
    result["problems"] = dict(problems)
    result["after"] = server.settled_memory()
    grown = result["after"]["rss_mb"] - result["before"]["rss_mb"]
    result["kb_per_socket"] = round(grown * 1024 / len(sockets), 1) if sockets else None

    log("2: one comment, fanned out to every subscriber")
    result["fan_out"] = fan_out(port, sockets, slug)

    log(f"2: {IDLE_SOCKETS} sockets that never send connection_init")
    result["idle"] = idle_sockets(port)

    for ws in sockets:
        ws.close()
    time.sleep(1.0)
    result["after_close"] = server.memory()
    # Every slot must have been given back: 64 from 127.0.0.1 again.
    again, problems = open_many(port, ["127.0.0.1"] * SOCKETS_PER_ADDRESS, query)
    result["reopened_from_127_0_0_1"] = {"opened": len(again), "problems": dict(problems)}
    for ws in again:
        ws.close()
    return result
