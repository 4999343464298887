"""The command line: options, and the run from build to report."""

import argparse
import atexit
import datetime
import os
import shutil
import signal
import tempfile

from .common import (COMPRESSED, DEFAULT_TARGET_DIR, MIXED_WRITES, REPO, RESULTS, SCENARIOS,
                     UPLOADERS, Failure, log)
from .passes import run_engine
from .processes import on_signal, stop_all
from .report import report
from .results import commit, failures, load_json, machine, save
from .service import supports_response_cache
from .targets import targets
from .tools import build, install_load_generator


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Benchmark Newsdesk (see bench/README.md).")
    ap.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--comments", type=int, help="default: 10 per article")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--duration", type=float, default=10, help="seconds per scenario")
    ap.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per scenario")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--timeout", type=float, default=10,
                    help="seconds a request may take before it counts as an error")
    ap.add_argument("--cache", choices=("off", "on", "both"), default="both",
                    help="NEWSDESK_RESPONSE_CACHE passes to run")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS),
                    help="comma-separated subset, in any order")
    ap.add_argument("--mixed-writes", type=float, default=MIXED_WRITES,
                    help="comments a second posted during the mixed scenario")
    ap.add_argument("--uploaders", type=int, default=UPLOADERS,
                    help="authors uploading at once in upload, readers drawing cold renditions "
                         "in rendition (2 at most with --smoke)")
    ap.add_argument("--media-memory-mib", type=int,
                    help="NEWSDESK_MEDIA_MEMORY_MIB of the service (default: the service's own)")
    ap.add_argument("--compressed", action="store_true",
                    help=f"send Accept-Encoding: {COMPRESSED} in every scenario")
    ap.add_argument("--smoke", action="store_true",
                    help="tiny data set, 1 s per scenario, 8 connections (CI)")
    ap.add_argument("--profile", choices=("release", "dev"), default="release",
                    help="cargo profile of the binaries: dev for a quick check that every "
                         "scenario works (CI's smoke run), never for figures")
    ap.add_argument("--target-dir", default=os.environ.get("BENCH_TARGET_DIR"),
                    help=f"CARGO_TARGET_DIR of the build (release: {DEFAULT_TARGET_DIR}; "
                         f"dev: the repository's target/, which the test suite has built)")
    ap.add_argument("--load-generator", choices=("oha", "wrk"), default="oha",
                    help="wrk (from apt) is the fallback where oha cannot be built")
    ap.add_argument("--no-build", action="store_true", help="use the binaries already built")
    ap.add_argument("--keep", action="store_true", help="keep the databases and work files")
    ap.add_argument("--output", default=str(RESULTS / "latest.json"))
    args = ap.parse_args(argv)
    if args.target_dir is None:
        args.target_dir = DEFAULT_TARGET_DIR if args.profile == "release" else str(REPO / "target")
    if args.smoke:
        # No warm-up: the probe request of each scenario checks it works,
        # and smoke figures are not compared with anything.
        args.articles, args.duration, args.warmup = 300, 1, 0
        args.connections = min(args.connections, 8)
    if args.comments is None:
        args.comments = 10 * args.articles
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        ap.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return args


def main(argv):
    args = parse_args(argv)
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    newsdesk, ceiling, photo = map(str, build(args))
    workdir = tempfile.mkdtemp(prefix="newsdesk-bench-")
    if not args.keep:
        atexit.register(shutil.rmtree, workdir, True)
    loadgen = install_load_generator(workdir, args.load_generator, args.timeout)
    results = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "commit": commit() + (" (--no-build: binaries as found)" if args.no_build else ""),
               "machine": machine(), "load_generator": loadgen.version,
               "args": {k: v for k, v in vars(args).items()}, "notes": [], "runs": []}
    if args.profile != "release":
        results["notes"].append(f"{args.profile}-profile binaries: the figures say nothing of speed")

    # Which response-cache passes to run: the setting is only passed to a
    # build that knows it; otherwise one uncached pass.
    wanted = ["off", "on"] if args.cache == "both" else [args.cache]
    if supports_response_cache(newsdesk):
        cache_modes = wanted
    else:
        cache_modes = [None]
        results["notes"].append("this build has no NEWSDESK_RESPONSE_CACHE setting: "
                                "one uncached pass only")
    if not loadgen.rotates_urls:
        results["notes"].append("this oha cannot rotate URLs: article and write-comment "
                                "use one URL each")

    ctx = {"args": args, "loadgen": loadgen, "newsdesk": newsdesk, "ceiling": ceiling,
           "photo": photo, "workdir": workdir, "cache_modes": cache_modes}
    previous = load_json(RESULTS / "articles-100000.json")
    engines = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for engine in engines:
        try:
            run_result = run_engine(ctx, engine)
            run_result["targets"] = targets(run_result, previous)
        except Failure as exc:
            log(f"{engine}: FAILED: {exc}")
            run_result = {"db": engine, "failed": str(exc)}
        results["runs"].append(run_result)

    save(results, args)
    print(report(results))
    problems = failures(results)
    for p in problems:
        log(f"problem: {p}")
    return 1 if problems else 0
