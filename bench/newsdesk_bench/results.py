"""Results: the JSON files, what the run ran on, and what makes it fail."""

import json
import os
import platform
from pathlib import Path

from .common import REPO, RESULTS, log
from .processes import run


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} × {cpu}, {mem:.0f} GiB, {platform.system()} {platform.release()}"


def head_commit():
    """HEAD's short hash ("" where git cannot tell), and whether tracked files
    have changed since."""
    try:
        head = run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], check=False)
        dirty = run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                    check=False)
    except OSError:
        return "", False
    return head.stdout.strip(), bool(dirty.stdout.strip())


def commit():
    head, changed = head_commit()
    return (head or "unknown") + ("+dirty" if changed else "")


def failures(results):
    """What makes the run exit non-zero: a run or scenario that failed, or errors."""
    out = []
    for r in results["runs"]:
        if "failed" in r:
            out.append(f"{r['db']}: {r['failed']}")
            continue
        for p in r["passes"]:
            for name, row in p["scenarios"].items():
                if "failed" in row:
                    out.append(f"{r['db']}/{p['cache']}/{name}: {row['failed']}")
                elif row.get("errors"):
                    out.append(f"{r['db']}/{p['cache']}/{name}: {row['errors']} errors "
                               f"{row['error_kinds']}")
            if p.get("comment_counts_wrong"):
                out.append(f"{r['db']}/{p['cache']}: {p['comment_counts_wrong']} wrong comment_count")
        media = r.get("media")
        if media and "failed" in media:
            out.append(f"{r['db']}/media: {media['failed']}")
        for name, row in (media or {}).get("scenarios", {}).items():
            if "failed" in row:
                out.append(f"{r['db']}/media/{name}: {row['failed']}")
            elif row.get("errors"):
                out.append(f"{r['db']}/media/{name}: {row['errors']} errors {row['error_kinds']} "
                           f"{row.get('error_samples', '')}")
    return out


def load_json(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def save(results, args):
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, ensure_ascii=False)
    Path(args.output).write_text(text + "\n")
    if not args.smoke:
        # Kept per data-set size so that a 1,000,000-article run can be
        # compared with the 100,000-article one; a run on one database
        # replaces only that database's figures, and a run without cache
        # passes (the media scenarios alone) none.
        per_size = RESULTS / f"articles-{args.articles}.json"
        merged = dict(results)
        fresh = [r for r in results["runs"] if r.get("passes") or "failed" in r]
        merged["runs"] = [r for r in (load_json(per_size) or {}).get("runs", [])
                          if r["db"] not in {f["db"] for f in fresh}] + fresh
        per_size.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    log(f"wrote {args.output}")
