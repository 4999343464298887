"""The benchmark's targets (issues 5, 9 and 10, and the media library's):
each checked against the table."""


def ratio(p, name):
    row, ceiling = p["scenarios"].get(name, {}), p.get("ceiling", {})
    if "rps" not in row or not ceiling.get("rps"):
        return None
    return row["rps"] / ceiling["rps"]


def targets(run_result, previous_100k):
    engine = run_result["db"]
    off = next((p for p in run_result["passes"] if p["cache"] == "off"), None)
    on = next((p for p in run_result["passes"] if p["cache"] == "on"), None)
    checks = []

    def check(label, value, ok, shown):
        checks.append({"target": label, "value": None if value is None else round(value, 3),
                       "shown": shown if value is not None else "n/a",
                       "met": None if value is None or ok is None else bool(ok(value))})

    def vs_ceiling(label, p, name, at_least):
        r = ratio(p, name) if p else None
        check(label, r, lambda v: v >= at_least, f"{r:.2f}×" if r is not None else "")

    vs_ceiling("list ≥ 0.30× ceiling, uncached", off, "list", 0.30)
    vs_ceiling("list ≥ 0.80× ceiling, cache on", on, "list", 0.80)
    vs_ceiling("article ≥ 0.35× ceiling, uncached", off, "article", 0.35)
    vs_ceiling("conditional ≥ 0.70× ceiling", off or on, "conditional", 0.70)
    vs_ceiling("graphql-feed ≥ 0.15× ceiling, uncached", off, "graphql-feed", 0.15)
    vs_ceiling("graphql-feed ≥ 0.80× ceiling, cache on", on, "graphql-feed", 0.80)
    vs_ceiling("graphql-apq ≥ 0.60× ceiling, cache on", on, "graphql-apq", 0.60)
    # Issue 10: the uncached paths twice as fast as in its first run.
    vs_ceiling("list ≥ 0.10× ceiling, uncached", off, "list", 0.10)
    vs_ceiling("article ≥ 0.20× ceiling, uncached", off, "article", 0.20)
    vs_ceiling("graphql-feed ≥ 0.05× ceiling, uncached", off, "graphql-feed", 0.05)
    # A site's traffic while readers comment and editors publish.
    vs_ceiling("mixed (writes on) ≥ 0.50× ceiling, cache on", on, "mixed", 0.50)
    quiet, busy = (on["scenarios"].get(n, {}).get("rps") if on else None
                   for n in ("mixed-no-writes", "mixed"))
    r = busy / quiet if busy and quiet else None
    check("mixed with writes ≥ 0.8 × without, cache on", r, lambda v: v >= 0.8,
          f"{r:.2f}×" if r is not None else "")
    mixed = on["scenarios"].get("mixed", {}) if on else {}
    hit = mixed.get("cache_hit_rate")
    check("mixed: cache hit rate (reported)", hit, None, f"{hit:.0%}" if hit is not None else "")
    achieved = mixed.get("writes_per_s")
    wanted = mixed.get("writes_wanted_per_s")
    check("mixed: comment rate achieved", achieved, lambda v: wanted is not None and v >= 0.9 * wanted,
          f"{achieved}/s of {wanted}/s")

    base = off or on
    sc = base["scenarios"] if base else {}
    deep = (sc.get("list-deep", {}).get("p50_ms"), sc.get("list", {}).get("p50_ms"))
    r = deep[0] / deep[1] if all(deep) else None
    check("list-deep p50 ≤ 1.2 × list p50", r, lambda v: v <= 1.2,
          f"{r:.2f}×" if r is not None else "")
    search = sc.get("search", {})
    p99 = search.get("p99_ms")
    if search.get("timed_out"):  # no answer in time is the worst p99 of all
        p99 = max(p99 or 0, run_result["timeout_s"] * 1000)
    check("search p99 ≤ 50 ms", p99, lambda v: v <= 50,
          f"{p99} ms" + (" or more (timeouts)" if search.get("timed_out") else ""))

    qpr = base.get("queries_per_request_by_page_size", {}) if base else {}
    for name, limit in (("list", 3), ("graphql-feed", 6)):
        sizes = qpr.get(name)
        worst = max(v for v in sizes.values() if v is not None) if sizes else None
        shown = " / ".join(f"{v}" for v in sizes.values()) if sizes else ""
        check(f"{name} SQL/request ≤ {limit} at 5, 20 and 100 items", worst,
              lambda v, limit=limit: v <= limit, f"{shown} (at 5 / 20 / 100)")

    for name in ("graphql-threads", "graphql-sections"):
        sizes = qpr.get(name)
        grew = sizes["50"] - sizes["5"] if sizes else None
        shown = f"{sizes['5']} / {sizes['50']} (at 5 / 50)" if sizes else ""
        check(f"{name} SQL/request the same at 5 and 50 items", grew, lambda v: v <= 0, shown)

    rss = run_result.get("peak_rss_mb")
    check("peak RSS ≤ 150 MB", rss, lambda v: v <= 150, f"{rss} MB")
    # The media library's issue: an upload burst within the same target,
    # in a service that did nothing else (media.py).
    burst = run_result.get("media", {}).get("scenarios", {}).get("upload", {})
    rss = burst.get("rss_mb") if "rps" in burst else None
    check("peak RSS during the upload burst ≤ 150 MB", rss, lambda v: v <= 150,
          f"{rss} MB ({burst.get('clients')} authors)")

    want = 1000 if engine == "sqlite" else 2000
    rps = sc.get("write-comment", {}).get("rps")
    check("write-comment ≥ 1,000/s (SQLite), ≥ 2,000/s (PostgreSQL)", rps, lambda v: v >= want, f"{rps:,} req/s"
          if rps is not None else "")
    counted = [p["comment_counts_wrong"] for p in run_result["passes"]
               if p.get("comment_counts_wrong") is not None]
    wrong = sum(counted) if counted else None
    check("every comment_count exact after write-comment", wrong, lambda v: v == 0,
          f"{wrong} wrong")

    # The 1,000,000-article targets: a seed of a few minutes, and list
    # latencies compared with a 100,000-article run kept in
    # bench/results/articles-100000.json by an earlier run.
    big = run_result["articles"] >= 1_000_000
    secs = run_result["seed_seconds"] if big else None
    check("seed of 1M articles ≤ 300 s", secs, lambda v: v <= 300, f"{secs} s")
    for name in ("list", "list-deep", "list-section"):
        then = lookup_p50(previous_100k, engine, name)
        now = sc.get(name, {}).get("p50_ms")
        r = now / then if now and then and big else None
        check(f"{name} p50 at 1M articles ≤ 1.5 × at 100k", r, lambda v: v <= 1.5,
              f"{r:.2f}×" if r is not None else "")
    return checks


def lookup_p50(previous, engine, name):
    for r in (previous or {}).get("runs", []):
        if r["db"] == engine:
            for p in r.get("passes", []):
                if p["cache"] == "off":
                    return p["scenarios"].get(name, {}).get("p50_ms")
    return None
