"""Step 3, the alias bomb: (3a) the original 1,000 aliased searches, refused
before running by the complexity limit; (3b) which candidates the limits
accept, timed, and the costliest of them; (3c) the latency of a cheap read
alone and while 3 and 8 clients send that one in a loop."""

import statistics

from ..common import Failure, log
from .bombs import CANDIDATE_BOMBS, SEARCH_FIRST_1, send_bomb
from .common import first_article
from .figures import ms
from .probes import probe_for, probes_under_bombs


def alias_bomb(fresh, args):
    with fresh("3") as server:
        return alias_bombs(server, args)


def alias_bombs(server, args):
    port = server.port
    _, slug = first_article(port)
    result = {"before": server.settled_memory()}

    log("3a: 1,000 aliased searches in one anonymous POST")
    kind, took, message, asked, _ = send_bomb(port, SEARCH_FIRST_1, 1000)
    result["original"] = {"aliases": 1000, "answer": kind, "ms": ms(took), "message": message,
                          "request_bytes": asked}

    log("3b: the costliest documents the limits accept")
    candidates = []
    for label, template, aliases in CANDIDATE_BOMBS:
        runs = [send_bomb(port, template, aliases) for _ in range(3)]
        times = [run[1] for run in runs if run[1] is not None]
        candidates.append({"bomb": label, "answer": runs[-1][0],
                           "request_bytes": runs[-1][3], "answer_bytes": runs[-1][4],
                           "median_ms": ms(statistics.median(times)) if times else None})
    result["candidates"] = candidates
    accepted = [(c["median_ms"] or 0, i) for i, c in enumerate(candidates)
                if " data" in c["answer"]]
    if not accepted:
        raise Failure(f"no candidate bomb was accepted: {candidates}")
    costliest = CANDIDATE_BOMBS[max(accepted)[1]]
    result["costliest"] = costliest[0]

    log("3c: probe latency alone, then under 3 and 8 bombing clients")
    result["probe_alone"] = probe_for(port, slug, args.load_seconds)
    result["under_load"] = [probes_under_bombs(server, slug, costliest, clients, args.load_seconds)
                            for clients in (3, 8)]
    result["after"] = server.memory()
    return result
