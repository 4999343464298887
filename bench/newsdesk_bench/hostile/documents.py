"""Floods of distinct documents, POSTed as APQ registrations or as plain
anonymous queries: the answers counted, and the service's memory before
and after."""

import hashlib
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from ..client import http
from ..common import Failure
from .common import TIMEOUT, answer_kind, parse_json
from .figures import ms


def padded_document(name, size):
    """A valid query asking for little, padded with comment lines to exactly `size` bytes."""
    head = f"query {name} {{ categories {{ slug }} }}\n"
    line = "# " + "padding " * 12 + "\n"
    lines, rest = divmod(size - len(head), len(line))
    tail = ("#" + "x" * (rest - 2) + "\n") if rest >= 2 else " " * rest
    return head + line * lines + tail


def sha256_hex(text):
    return hashlib.sha256(text.encode()).hexdigest()


def post_document(port, document, persisted=True):
    """POSTs `document`, as an APQ registration (its hash beside it) or as a
    plain anonymous query: (answer, seconds)."""
    body = {"query": document}
    if persisted:
        body["extensions"] = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(document)}}
    started = time.monotonic()
    try:
        status, _, raw = http(port, "POST", "/graphql", body=body, timeout=TIMEOUT)
        kind = answer_kind(status, parse_json(raw))
    except Failure as exc:
        kind = f"failed: {str(exc)[:80]}"
    return kind, time.monotonic() - started


def document_flood(server, make_document, first, count, persisted=True, threads=4):
    """POSTs documents first..first+count-1, `threads` at a time: answers
    counted, seconds, and the service's memory before and after."""
    before = server.settled_memory()
    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda i: post_document(server.port, make_document(i), persisted),
                                range(first, first + count)))
    return {"documents": count, "answers": dict(Counter(kind for kind, _ in results)),
            "seconds": round(time.monotonic() - started, 1),
            "median_ms": ms(statistics.median(s for _, s in results)),
            "before": before, "after": server.settled_memory()}
