"""Newsdesk under hostile clients (bench/hostile): what three known abuses
cost the service, each step against a fresh `newsdesk serve --demo`.

Standard library only, like the rest of newsdesk_bench (whose processes,
client, fixtures, usage and results it uses). One job per module:

- common: the service's bounds, the sizes measured, answers read and named
- figures: percentiles, milliseconds
- server: the service under test, fresh for each step; its memory and log
- documents: floods of distinct documents, memory before and after
- persisted: step 1 (1a, 1b), the persisted-query flood
- response_cache: step 1c, 1 MB anonymous POSTs against the response cache
- websocket: a minimal WebSocket client for /graphql/ws
- subscribers: subscribed sockets in bulk, the per-address cap, file limits
- subscriptions: step 2, the subscription flood
- bombs: aliased documents, the candidate bombs, one POST of each
- probes: a cheap read's latency, alone and under bombs
- aliases: step 3, the alias bomb
- report: the plain-text report
- results: the results' heading and the JSON file
"""
