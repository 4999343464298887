"""Step 1, the persisted-query flood: (1a) the original attack, 211
registrations of distinct 1 MB documents; (1b) the largest flood the
bounds allow, after which an early hash must be gone and the latest still
served; then (1c, in response_cache) the same 1 MB documents without APQ."""

import json
import urllib.parse

from ..client import http
from ..common import log
from .common import APQ_DOCUMENT_BYTES, APQ_TOTAL_BYTES, BIG_DOCUMENT_BYTES, answer_kind, parse_json
from .documents import document_flood, padded_document, sha256_hex
from .response_cache import CACHE_ROUND, response_cache_flood

BIG_DOCUMENTS = 211
FILL_DOCUMENT_BYTES = APQ_DOCUMENT_BYTES - 68   # 32,700: just under what a kept document may weigh


def persisted_get(port, digest):
    """The answer to a persisted query by its hash alone (GET, as apps fetch them)."""
    extension = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}},
                           separators=(",", ":"))
    status, _, raw = http(port, "GET", "/graphql?extensions=" + urllib.parse.quote(extension))
    return answer_kind(status, parse_json(raw))


def kept_among_latest(port, make_document, count):
    """How many of the latest registrations are still served by hash (probing a
    few more than the byte bound can hold)."""
    window = min(count, 2 * APQ_TOTAL_BYTES // FILL_DOCUMENT_BYTES + 16)
    found = sum(persisted_get(port, sha256_hex(make_document(i))).endswith(" data")
                for i in range(count - window, count))
    return found, window


def big_registrations(server):
    """1a: the original attack, 211 registrations of distinct 1 MB documents."""
    big = lambda i: padded_document(f"Flood{i}", BIG_DOCUMENT_BYTES)  # noqa: E731
    result = document_flood(server, big, 0, BIG_DOCUMENTS)
    result["get_first"] = persisted_get(server.port, sha256_hex(big(0)))
    return result


def fill_registrations(server, count):
    """1b: the largest flood the bounds allow, `count` distinct documents just
    under 32 KiB: the first must be evicted, the latest served."""
    fill = lambda i: padded_document(f"Fill{i}", FILL_DOCUMENT_BYTES)  # noqa: E731
    result = document_flood(server, fill, 0, count)
    result["get_first"] = persisted_get(server.port, sha256_hex(fill(0)))
    result["get_latest"] = persisted_get(server.port, sha256_hex(fill(count - 1)))
    found, window = kept_among_latest(server.port, fill, count)
    result["kept_of_latest"] = [found, window]
    result["kept_mib"] = round(found * FILL_DOCUMENT_BYTES / 2**20, 2)
    return result


def apq_flood(fresh, args):
    result = {}
    log(f"1a: {BIG_DOCUMENTS} registrations of {BIG_DOCUMENT_BYTES:,}-byte documents")
    with fresh("1a") as server:
        result["big"] = big_registrations(server)
    log(f"1b: {args.apq_documents:,} registrations of {FILL_DOCUMENT_BYTES:,}-byte documents")
    with fresh("1b") as server:
        result["fill"] = fill_registrations(server, args.apq_documents)
    if args.cache_documents:
        log(f"1c: {args.cache_documents:,} plain anonymous POSTs of {BIG_DOCUMENT_BYTES:,}-byte "
            f"documents, then {CACHE_ROUND} with the response cache off")
        result.update(response_cache_flood(fresh, args.cache_documents))
    return result
