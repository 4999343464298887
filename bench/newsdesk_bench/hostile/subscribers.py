"""Subscribed sockets at /graphql/ws: one, or many at once from the source
addresses given (spread over loopback addresses, 64 on each: the cap per
client address), what the cap answers one more, and room for them all in
this process's file descriptors."""

import resource
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from ..common import Failure, log
from .common import IDLE_SOCKETS, SOCKETS_PER_ADDRESS, parse_json
from .websocket import WebSocket, WebSocketRefused


def open_subscriber(port, source, query):
    """A socket from `source` that has said connection_init and subscribed."""
    ws = WebSocket(port, source)
    try:
        ws.send_json({"type": "connection_init"})
        ack = ws.next_message()
        if not ack or ack.get("type") != "connection_ack":
            raise Failure(f"connection_init answered {ack}")
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": query}})
    except BaseException:
        ws.close()
        raise
    return ws


def open_many(port, sources, query, threads=16):
    """One subscribed socket per entry of `sources` (an address each), 16 at a
    time: (sockets, refusals and failures counted)."""
    def attempt(source):
        try:
            return open_subscriber(port, source, query), None
        except WebSocketRefused as exc:
            return None, f"HTTP {exc.status}"
        except (OSError, Failure) as exc:
            return None, f"{type(exc).__name__}: {str(exc)[:60]}"
    opened, problems = [], Counter()
    with ThreadPoolExecutor(threads) as pool:
        for ws, problem in pool.map(attempt, sources):
            if ws:
                opened.append(ws)
            else:
                problems[problem] += 1
    return opened, problems


def loopback_sources(count, prefix, first=1):
    """`count` source addresses, 64 on each of prefix.first, prefix.first+1, ...
    (Linux routes all of 127/8 to the loopback interface)."""
    addresses = (count + SOCKETS_PER_ADDRESS - 1) // SOCKETS_PER_ADDRESS
    if first + addresses > 255:
        raise Failure(f"{count} sockets need more than the addresses of {prefix}.0/24")
    return [f"{prefix}.{first + i // SOCKETS_PER_ADDRESS}" for i in range(count)]


def refusal_of_one_more(port, query):
    """What one more socket from 127.0.0.1 gets, when the address holds its 64."""
    try:
        open_subscriber(port, "127.0.0.1", query).close()
        return {"refused": False}
    except WebSocketRefused as exc:
        doc = parse_json(exc.body) or {}
        return {"refused": True, "status": exc.status,
                "retry_after": exc.headers.get("retry-after"),
                "code": doc.get("code") or doc.get("title") or exc.body[:80]}


def slot_given_back(port, sockets, query, timeout=5.0):
    """Closes one of 127.0.0.1's sockets; seconds until a new one is accepted."""
    sockets.pop().close()
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            sockets.append(open_subscriber(port, "127.0.0.1", query))
            return round(time.monotonic() - started, 3)
        except WebSocketRefused:
            time.sleep(0.02)
    return None


def make_room_for_sockets(sockets):
    """Raises the open-files limit for `sockets` subscribed sockets, the idle
    ones, 127.0.0.1's twice over, and some to spare."""
    needed = sockets + IDLE_SOCKETS + 2 * SOCKETS_PER_ADDRESS + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        top = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (top, hard))
        if top < needed:
            log(f"only {top} file descriptors: fewer sockets than asked will open")
