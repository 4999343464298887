"""The plain-text report: a row per figure, step by step, then how each
service fared."""

from .common import BIG_DOCUMENT_BYTES, SOCKETS_PER_ADDRESS
from .persisted import FILL_DOCUMENT_BYTES


def mb(m):
    return f"RSS {m['rss_mb']} MB (peak {m['peak_mb']})"


def memory_change(before, after):
    return (f"RSS {before['rss_mb']} -> {after['rss_mb']} MB "
            f"({after['rss_mb'] - before['rss_mb']:+.1f}), peak {after['peak_mb']} MB")


def answers(counted):
    return ", ".join(f"{n} × {kind}" for kind, n in sorted(counted.items(), key=lambda x: -x[1]))


def flood_rows(row, label, flood):
    row(label, f"{answers(flood['answers'])}; {flood['seconds']} s, median {flood['median_ms']} ms each")
    row("", memory_change(flood["before"], flood["after"]))


def apq_rows(row, r1):
    big, fill = r1["big"], r1["fill"]
    row(f"1a APQ: {big['documents']} registrations of distinct {BIG_DOCUMENT_BYTES:,} B documents", "")
    flood_rows(row, "  answers", big)
    row("  then GET by the first hash", big["get_first"])
    row(f"1b APQ: {fill['documents']:,} registrations of distinct {FILL_DOCUMENT_BYTES:,} B documents", "")
    flood_rows(row, "  answers", fill)
    row("  then GET by the first hash / the latest", f"{fill['get_first']} / {fill['get_latest']}")
    found, window = fill["kept_of_latest"]
    row("  the latest still served by hash", f"{found} of {window} probed "
        f"({fill['kept_mib']} MiB of documents)")
    if "cache" in r1:
        row(f"1c distinct {BIG_DOCUMENT_BYTES:,} B anonymous POSTs (no APQ): memory should stay flat", "")
        sent = 0
        for flood in r1["cache"]:
            sent += flood["documents"]
            flood_rows(row, f"  {sent:,} sent", flood)
        base = r1["cache"][0]["before"]["rss_mb"]
        most = max(f["after"]["rss_mb"] for f in r1["cache"])
        row("  memory grown at most", f"{most - base:.0f} MB over the start, "
            f"for {sent * BIG_DOCUMENT_BYTES / 1e6:,.0f} MB posted")
        off = r1["cache_off"][0]
        flood_rows(row, f"  {off['documents']:,} with the response cache off", off)


def subscription_rows(row, r2):
    one, more = r2["from_one_address"], r2["one_more"]
    row(f"2 subscriptions: {r2['subscription']}, one per socket", mb(r2["before"]))
    row("  sockets from 127.0.0.1", f"{one['opened']} subscribed"
        + (f"; {answers(one['problems'])}" if one["problems"] else ""))
    row("  one more from 127.0.0.1",
        f"refused: HTTP {more['status']} {more['code']}, Retry-After {more['retry_after']}"
        if more["refused"] else "ACCEPTED: no per-address cap")
    row("  one closed: a new one accepted after", f"{r2['slot_back_after_close_s']} s")
    row(f"  subscribed sockets in all ({r2['addresses']} addresses)",
        f"{r2['open']} ({r2['open_seconds']} s to open)"
        + (f"; {answers(r2['problems'])}" if r2["problems"] else ""))
    row("  memory", f"{memory_change(r2['before'], r2['after'])}: {r2['kb_per_socket']} KB per socket")
    f = r2["fan_out"]
    if "delivered" in f:
        row("  one comment fanned out", f"{f['delivered']} of {f['subscribers']} got `next`: "
            f"median {f['median_ms']} ms, last {f['last_ms']} ms after the POST"
            + (f"; also {f['other_messages']}" if f["other_messages"] else ""))
    else:
        row("  one comment fanned out", f"comment not posted: {f['comment']}")
    idle = r2["idle"]
    c = idle["closed_after_s"]
    still, waited = idle["still_open_after_s"]
    row(f"  {idle['opened']} sockets never sending connection_init",
        f"{idle['closed']} closed by the server after {c['min']}–{c['max']} s (median {c['median']}), "
        f"codes {idle['close_codes']}; {still} still open after {waited:.0f} s"
        + (f"; not opened: {idle['failed']}" if idle["failed"] else ""))
    row("  all closed, 1 s later", mb(r2["after_close"]))
    again = r2["reopened_from_127_0_0_1"]
    row("  127.0.0.1 again", f"{again['opened']} of {SOCKETS_PER_ADDRESS} accepted"
        + (f"; {answers(again['problems'])}" if again["problems"] else ""))


def alias_rows(row, r3):
    o = r3["original"]
    row("3a 1,000 aliased searches 'said the', one anonymous POST",
        f"{o['answer']} in {o['ms']} ms ({o['request_bytes']:,} B asked): {o['message']}")
    row("3b accepted by the limits? (median of 3, anonymous POSTs)", "")
    for c in r3["candidates"]:
        row(f"  {c['bomb']}", f"{c['answer']}, {c['median_ms']} ms; "
            f"{c['request_bytes']:,} B asked, {c['answer_bytes']:,} B answered")
    row("  costliest accepted", r3["costliest"])
    a = r3["probe_alone"]
    row("3c probe GET /api/v1/articles/<slug>?x=<random>, alone",
        f"p50 {a['p50_ms']} ms, p99 {a['p99_ms']} ms ({a['probes']} probes"
        + (f", {a['failed']} failed)" if a["failed"] else ")"))
    for u in r3["under_load"]:
        row(f"  while {u['clients']} clients send it in a loop",
            f"p50 {u['p50_ms']} ms, p99 {u['p99_ms']} ms ({u['probes']} probes"
            + (f", {u['failed']} failed" if u["failed"] else "")
            + f"); the bombs: {u['bombs_per_s']}/s, median {u['bomb_median_ms']} ms, "
            f"p99 {u['bomb_p99_ms']} ms"
            + ("" if all(" data" in kind for kind in u["bomb_answers"])
               else f"; answers {answers(u['bomb_answers'])}")
            + f"; then {mb(u['after'])}")
    row("  memory", memory_change(r3["before"], r3["after"]))


def report(results):
    lines = [f"Newsdesk under hostile clients: {results['binary']}",
             f"{results['date']}, commit {results['commit']}; SQLite with the demo content, "
             f"a fresh service (and database) for each of 1a, 1b, 1c, 2 and 3", ""]
    rows = []

    def row(what, figure):
        rows.append((what, figure))

    for key, rows_of in (("apq", apq_rows), ("subscriptions", subscription_rows),
                         ("alias_bomb", alias_rows)):
        if key in results:
            rows_of(row, results[key])
    width = min(max((len(w) for w, f in rows if f), default=0), 60)
    for what, figure in rows:
        lines.append(f"{what:<{width}}  {figure}".rstrip() if figure else what)
    lines.append("")
    for s in results["services"]:
        log_ = s["log"]
        lines.append(
            f"service {s['service']}: up in {s['start_seconds']} s, {mb(s['at_stop'])} at the end; "
            + ("DIED before the end; " if s["died"] else "")
            + f"exit {s['exit_status']} on SIGTERM; logged {log_.get('other', 0)} warnings/errors"
            + (f" (and {log_['rate_limited_warnings']} for the 429s above)"
               if log_.get("rate_limited_warnings") else ""))
        for line in log_.get("last_others", []):
            lines.append(f"  {line}")
    lines.append(f"whole run {results['run_seconds']} s")
    for note in results["notes"]:
        lines.append(f"note: {note}")
    return "\n".join(lines)
