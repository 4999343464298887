"""What every hostile step shares: the service's bounds, the sizes measured,
the time a request may take, and the service's answers read (JSON, a short
name for each, the newest article)."""

import json

from ..client import http
from ..common import Failure

# The service's bounds, as in src/graphql/persisted.rs and src/graphql/ws.rs.
APQ_TOTAL_BYTES = 4 * 1024 * 1024
APQ_DOCUMENT_BYTES = 32 * 1024
SOCKETS_PER_ADDRESS = 64

BIG_DOCUMENT_BYTES = 1_000_000   # the original attack's documents (under the 1 MiB body limit)
IDLE_SOCKETS = 200               # sockets that never send connection_init, in step 2
TIMEOUT = 30                     # seconds any request or socket read may take


def parse_json(raw):
    try:
        return json.loads(raw)
    except (ValueError, TypeError):
        return None


def answer_kind(status, doc):
    """A short name for an answer: its status, whether it has data, its error codes."""
    parts = []
    if isinstance(doc, dict):
        if doc.get("data") is not None:
            parts.append("data")
        codes = sorted({str((e.get("extensions") or {}).get("code", "no code"))
                        for e in doc.get("errors") or []})
        parts += codes
        if not parts and "code" in doc:            # a REST problem document
            parts.append(str(doc["code"]))
    return f"{status} " + ("+".join(parts) if parts else "(no JSON)")


def first_article(port):
    """The id and slug of the newest article."""
    status, _, raw = http(port, "POST", "/graphql",
                          body={"query": "{ articles(first: 1) { nodes { id slug } } }"})
    doc = parse_json(raw)
    try:
        node = doc["data"]["articles"]["nodes"][0]
    except (TypeError, KeyError, IndexError) as exc:
        raise Failure(f"no article to work with: {status} {doc}") from exc
    return node["id"], node["slug"]
