"""Step 1c: that distinct 1 MB anonymous POSTs no longer grow the service's
memory by their size.

The response cache keys each anonymous POST by its whole body (and by the
document's normalized text), up to 1,024 entries; since keys longer than
512 bytes are kept as their SHA-256 digest (src/http/cache/store.rs,
`compact_key`), what it holds is bounded by its entries and their small
answers, not by the requests. Without APQ, in rounds, memory should stay
flat; a control round with the response cache off shows the service's
memory without it.
"""

from .common import BIG_DOCUMENT_BYTES
from .documents import document_flood, padded_document

CACHE_ROUND = 256   # 1c sends its documents in rounds of this many, memory read after each


def response_cache_rounds(server, count):
    """POSTs distinct 1 MB documents as plain anonymous queries (no APQ), in
    rounds of CACHE_ROUND: the memory after each round."""
    big = lambda i: padded_document(f"Plain{i}", BIG_DOCUMENT_BYTES)  # noqa: E731
    return [document_flood(server, big, first, min(CACHE_ROUND, count - first), persisted=False)
            for first in range(0, count, CACHE_ROUND)]


def response_cache_flood(fresh, count):
    """`count` distinct POSTs with the response cache on, then one round with
    it off, each against a fresh service."""
    result = {}
    with fresh("1c") as server:
        result["cache"] = response_cache_rounds(server, count)
    with fresh("1c-off", {"NEWSDESK_RESPONSE_CACHE": "off"}) as server:
        result["cache_off"] = response_cache_rounds(server, CACHE_ROUND)
    return result
