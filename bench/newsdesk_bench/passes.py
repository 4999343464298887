"""One pass: the service with one cache setting, every scenario, the ceiling;
and one run per database engine, pass after pass, then the media pass
(media.py) in a service of its own.
"""

import statistics

from .client import http, metrics, per_request, settle
from .common import (COMPRESSED, GRAPHQL_FEED, GRAPHQL_SECTIONS, GRAPHQL_THREADS, MEDIA_SCENARIOS,
                     Failure, SettingRejected, TimedOut, log)
from .database import comment_counts_exact, drop_database, fresh_database, seed
from .fixtures import fixtures
from .media import run_media
from .media_load import media_dir
from .mixed import Writes, cache_counts, log_writes
from .scenarios import probe, scenario
from .service import Service, measure_ceiling, service_complaints
from .usage import CpuWatch


def run_pass(ctx, engine, url, cache):
    args, loadgen = ctx["args"], ctx["loadgen"]
    tag = f"{engine}-cache-{cache or 'off'}"
    service = Service(ctx, url, cache, tag)
    result = {"cache": cache or "off", "scenarios": {}, "notes": []}
    try:
        fx = fixtures(service.port)
        result["list_bytes"] = len(fx["list_body"])
        result["idle_queries_per_second"] = round(fx["idle_rate"], 2)
        result["deep_pages"] = fx["deep_pages"]
        if args.warmup:
            log(f"[{tag}] warming up for {args.warmup} s")
            for name in ("list", "article"):
                loadgen.load(service.port, scenario(name, fx, service.port, loadgen.mixes),
                             args.warmup, args.connections)
        result["ceiling"] = measure_ceiling(ctx, fx["list_body"])
        log(f"[{tag}] ceiling: {result['ceiling']['rps']:,} req/s")
        for name in read_scenarios(args):
            row = run_scenario(ctx, name, fx, service, tag)
            result["scenarios"][name] = row
            if row.get("timed_out"):
                log(f"[{tag}] {name} timed out: restarting the service")
                result["notes"].append(f"{name} timed out; the service was restarted after it")
                service.restart()
        result["queries_per_request_by_page_size"] = page_size_probe(service.port, fx)
        result["notes"] += busy_machine_note(result)
    finally:
        service.stop()
        result["rss_mb"] = service.peak_rss
        result["service_log"] = service_complaints(service.log_path)
    if "rps" in result["scenarios"].get("write-comment", {}):
        wrong = comment_counts_exact(engine, url, fx["slugs"])
        result["comment_counts_wrong"] = wrong
        if wrong:
            result["notes"].append(f"{wrong} articles have a wrong comment_count after write-comment")
    return result


def read_scenarios(args):
    """The scenarios of the cache passes: all but the media ones."""
    return [name for name in args.scenarios if name not in MEDIA_SCENARIOS]


def busy_machine_note(result, tolerated=0.25):
    rows = [result.get("ceiling", {}), *result["scenarios"].values()]
    worst = max((r.get("other_cpu") or 0 for r in rows), default=0)
    if worst <= tolerated:
        return []
    return [f"other processes used up to {worst} cores during this pass (see 'other CPU'): "
            "its figures are not comparable; run again on an idle machine"]


def run_scenario(ctx, name, fx, service, tag):
    args, loadgen, port = ctx["args"], ctx["loadgen"], service.port
    try:
        spec = scenario(name, fx, port, loadgen.mixes)
        if isinstance(spec, str):
            log(f"[{tag}] {name}: skipped ({spec})")
            return {"skipped": spec}
        if args.compressed:
            spec.setdefault("headers", {})["Accept-Encoding"] = COMPRESSED
        probe(port, spec, args.timeout)
        if args.warmup:
            loadgen.load(port, spec, min(args.warmup, args.duration), args.connections)
        settle(port)
        before, cache_before = metrics(port), cache_counts(port)
        watch = CpuWatch(service.proc.pid)
        rate = args.mixed_writes if name == "mixed" else 0
        with Writes(port, fx, rate) as writes:
            row = loadgen.load(port, spec, args.duration, args.connections)
        row["other_cpu"] = watch.other_cores()
        row["queries_per_request"] = per_request(before, metrics(port), fx["idle_rate"])
        row["rss_mb"] = service.rss()
        hits, misses = (after - was for after, was in zip(cache_counts(port), cache_before))
        row["cache_hit_rate"] = round(hits / (hits + misses), 3) if hits + misses else None
        if name.startswith("mixed"):
            row.update(writes.figures())
            log_writes(tag, name, row)
    except Failure as exc:
        log(f"[{tag}] {name}: FAILED: {exc}")
        return {"failed": str(exc), "timed_out": isinstance(exc, TimedOut)}
    row["timed_out"] = any("timeout" in k.lower() or "timed out" in k.lower()
                           for k in row["error_kinds"])
    log(f"[{tag}] {name}: {row['rps']:,} req/s, p50 {row['p50_ms']} ms, "
        f"p99 {row['p99_ms']} ms, errors {row['errors']}")
    return row


def page_size_probe(port, fx, repeat=15):
    """SQL statements per request of list and graphql-feed at 5, 20 and 100
    items, and of the nested GraphQL lists (threads of comments and replies
    under each article; each section's newest articles) at 5 and 50.

    Each request is read between two /metrics calls and the median kept, so
    that a scheduler tick landing in one of them does not count.
    """
    def median_statements(send):
        counts = []
        for _ in range(repeat):
            before = metrics(port)[0]
            send()
            counts.append(metrics(port)[0] - before)
        return statistics.median(counts)

    out = {}
    settle(port)
    for size in (5, 20, 100):
        out.setdefault("list", {})[str(size)] = median_statements(
            lambda: http(port, "GET", f"/api/v1/articles?limit={size}"))
        if fx["graphql"]:
            out.setdefault("graphql-feed", {})[str(size)] = median_statements(
                lambda: http(port, "POST", "/graphql", body={"query": GRAPHQL_FEED % size}))
    if fx["graphql"]:
        for name, query in (("graphql-threads", GRAPHQL_THREADS), ("graphql-sections", GRAPHQL_SECTIONS)):
            for size in (5, 50):
                out.setdefault(name, {})[str(size)] = median_statements(
                    lambda: http(port, "POST", "/graphql", body={"query": query % size}))
    return out


def run_engine(ctx, engine):
    args = ctx["args"]
    url = fresh_database(engine, ctx["workdir"])
    ctx = {**ctx, "media_dir": media_dir(ctx["workdir"], engine)}
    try:
        run_result = {"db": engine, "articles": args.articles, "comments": args.comments,
                      "timeout_s": args.timeout,
                      "seed_seconds": seed(ctx["newsdesk"], url, args), "passes": []}
        # With only media scenarios asked for, no cache pass at all.
        for cache in ctx["cache_modes"] if read_scenarios(args) else []:
            log(f"== {engine}, response cache {cache or 'off (setting not passed)'}")
            try:
                run_result["passes"].append(run_pass(ctx, engine, url, cache))
            except SettingRejected as exc:
                log(f"the service rejects NEWSDESK_RESPONSE_CACHE ({exc}): one uncached pass")
                run_result["passes"] = [run_pass(ctx, engine, url, None)]
                run_result["passes"][0]["notes"].append(
                    "the service rejected NEWSDESK_RESPONSE_CACHE: uncached only")
                break
        rss = [p["rss_mb"] for p in run_result["passes"] if p.get("rss_mb")]
        run_result["peak_rss_mb"] = max(rss) if rss else None
        if any(name in MEDIA_SCENARIOS for name in args.scenarios):
            run_result["media"] = run_media(ctx, engine, url)
        return run_result
    finally:
        if not args.keep:
            drop_database(engine, url)
