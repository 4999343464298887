"""Report: a markdown table per pass, then the targets."""

from .common import COMPRESSED
from .targets import ratio


def fmt(v, spec="{:,}"):
    return "–" if v is None else spec.format(v)


def pass_table(run_result, p):
    lines = [
        f"### {run_result['db']} · response cache {p['cache']} · "
        f"{run_result['articles']:,} articles, {run_result['comments']:,} comments",
        "",
        f"Ceiling: {fmt(p.get('ceiling', {}).get('rps'), '{:,.0f}')} req/s serving the "
        f"{fmt(p.get('list_bytes'))}-byte list body (other CPU {fmt(p.get('ceiling', {}).get('other_cpu'))}"
        f" cores). list-deep is page {p.get('deep_pages')}.",
        "",
        "| scenario | req/s | × ceiling | p50 ms | p99 ms | errors | SQL/req | cache hits "
        "| peak RSS MB | other CPU | note |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, row in p["scenarios"].items():
        if "rps" not in row:
            note = row.get("skipped") and f"skipped: {row['skipped']}" or f"FAILED: {row['failed']}"
            lines.append(f"| {name} | – | – | – | – | – | – | – | – | – | {note[:160]} |")
            continue
        r = ratio(p, name)
        kinds = ", ".join(f"{k}: {v}" for k, v in row["error_kinds"].items())
        if "writes_per_s" in row:
            kinds = (f"reads only; comments {row['writes_per_s']}/s of {row['writes_wanted_per_s']}, "
                     f"{row['editor_actions']} editor saves/publishes, "
                     f"{row['write_errors']} write errors" + (f"; {kinds}" if kinds else ""))
        hit_rate = row.get("cache_hit_rate")
        lines.append(
            f"| {name} | {row['rps']:,.0f} | {fmt(r, '{:.2f}×')} | {fmt(row['p50_ms'])} | "
            f"{fmt(row['p99_ms'])} | {row['errors']} | {fmt(row.get('queries_per_request'))} | "
            f"{fmt(hit_rate and hit_rate * 100, '{:.0f} %')} | "
            f"{fmt(row.get('rss_mb'))} | {fmt(row.get('other_cpu'))} | {kinds[:200]} |")
    return "\n".join(lines)


def media_table(run_result, m):
    photo, clients = m.get("photo", {}), m.get("clients")
    budget = f", NEWSDESK_MEDIA_MEMORY_MIB={m['memory_mib']}" if m.get("memory_mib") else ""
    lines = [
        f"### {run_result['db']} · media library · a {fmt(photo.get('width'))} × "
        f"{fmt(photo.get('height'))} JPEG of {fmt(photo.get('bytes') and photo['bytes'] / 1e6, '{:.2f}')} MB"
        f" (stored re-encoded: {fmt(m.get('master_bytes') and m['master_bytes'] / 1e6, '{:.2f}')} MB)"
        f"{budget}",
        "",
    ]
    if "failed" in m:
        lines += [f"FAILED: {m['failed']}", ""]
    lines += [
        "| scenario | req/s | × ceiling | p50 ms | p99 ms | errors | requests | peak RSS MB "
        "| other CPU | note |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, row in m.get("scenarios", {}).items():
        if "rps" not in row:
            lines.append(f"| {name} | – | – | – | – | – | – | – | – | FAILED: {row['failed'][:160]} |")
            continue
        note, ceiling = "", None
        if name == "upload":
            note = (f"{clients} authors at once, {fmt(row.get('upload_mb_per_s'))} MB/s of JPEG in; "
                    f"RSS {fmt(m.get('rss_start_mb'))} MB at start, {fmt(row.get('rss_idle_mb'))} MB "
                    f"after the sign-ins and one upload, highest sampled {fmt(row.get('rss_sampled_mb'))} MB")
        elif name == "rendition-cold":
            note = (f"first requests of {row['requests']} new items' 1024.webp, {clients} readers at "
                    f"once; one alone: {fmt(row.get('alone_ms'))} ms; "
                    f"{fmt(row.get('rendition_bytes'))} bytes")
        elif name == "rendition-warm":
            ceiling = row.get("ceiling", {}).get("rps")
            note = (f"one URL, from the store; the ceiling serves the same bytes at "
                    f"{fmt(ceiling, '{:,.0f}')} req/s")
        kinds = ", ".join(f"{k}: {v}" for k, v in row["error_kinds"].items())
        note += f"; {row['threads']} threads after" if row.get("threads") else ""
        note += f"; {kinds}" if kinds else ""
        r = row["rps"] / ceiling if ceiling else None
        lines.append(
            f"| {name} | {fmt(row['rps'], '{:,.1f}')} | {fmt(r, '{:.2f}×')} | {fmt(row['p50_ms'])} | "
            f"{fmt(row['p99_ms'])} | {row['errors']} | {fmt(row.get('requests'))} | "
            f"{fmt(row.get('rss_mb'))} | {fmt(row.get('other_cpu'))} | {note[:300]} |")
    return "\n".join(lines)


def report(results):
    out = [f"## Newsdesk benchmark, {results['date']}, commit {results['commit']}", "",
           f"Machine: {results['machine']}. Load: {results['load_generator']}, "
           f"{results['args']['connections']} connections, {results['args']['duration']} s "
           f"per scenario, "
           f"{'Accept-Encoding: ' + COMPRESSED if results['args']['compressed'] else 'no Accept-Encoding'}.",
           ""]
    out += results["notes"] and [*(f"- {n}" for n in results["notes"]), ""] or []
    for r in results["runs"]:
        if "failed" in r:
            out += [f"### {r['db']}: FAILED: {r['failed']}", ""]
            continue
        for p in r["passes"]:
            out += [pass_table(r, p), ""]
            notes = p["notes"] + p.get("service_log", [])
            out += [f"- {n}" for n in notes] + ([""] if notes else [])
        if "media" in r:
            out += [media_table(r, r["media"]), ""]
            notes = r["media"]["notes"] + r["media"].get("service_log", [])
            out += [f"- {n}" for n in notes] + ([""] if notes else [])
        out += [f"{r['db']}: seed {r['seed_seconds']} s, peak RSS {fmt(r['peak_rss_mb'])} MB"
                + (f" (the media pass's service: {fmt(r['media'].get('rss_mb'))} MB)"
                   if "media" in r else "") + ".", ""]
    ok_runs = [r for r in results["runs"] if "targets" in r]
    if ok_runs:
        out += ["### Targets (issues 5 and 10, and the media library's)", "",
                "| target | " + " | ".join(r["db"] for r in ok_runs) + " |",
                "| --- |" + " --- |" * len(ok_runs)]
        for i, t in enumerate(ok_runs[0]["targets"]):
            cells = []
            for r in ok_runs:
                c = r["targets"][i]
                mark = {True: "met", False: "**not met**", None: ""}[c["met"]]
                cells.append(f"{c['shown']} {mark}".strip())
            out.append(f"| {t['target']} | " + " | ".join(cells) + " |")
    return "\n".join(out)
